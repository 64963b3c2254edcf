import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { benchCorpus } from "./corpus.ts";
import { ms, stats, timeProcess } from "./_measure.ts";

/**
 * Parser figures: in-process parse+analyse under Deno and under Bun (the binary's
 * runtime), then whole `dist/qmvc check` runs (start-up included) on the same messages.
 */
export async function benchParser(root: string, binary: string): Promise<string[]> {
  const lines = ["parser throughput (parse + analyse, in-process)"];
  for (
    const [label, command, args] of [
      ["deno", join(root, "node_modules/.bin/deno"), [
        "run",
        "-A",
        join(root, "bench/parse_throughput.ts"),
      ]],
      ["bun", join(root, "node_modules/.bin/bun"), [join(root, "bench/parse_throughput.ts")]],
    ] as const
  ) {
    const out = await new Deno.Command(command, { args: [...args], cwd: root, stderr: "null" })
      .output();
    const text = new TextDecoder().decode(out.stdout).trimEnd();
    lines.push(
      ...(out.code === 0 && text ? text.split("\n") : [`${label}: failed (exit ${out.code})`]),
    );
  }
  lines.push("", "dist/qmvc check, whole process per message");
  const dir = mkdtempSync(join(tmpdir(), "qmvc-bench-"));
  for (const message of benchCorpus()) {
    const path = join(dir, `${message.name}.eml`);
    writeFileSync(path, message.bytes);
    const samples: number[] = [];
    for (let i = 0; i < 15; i++) {
      samples.push((await timeProcess(binary, ["check", path], { env: { QMVC_HOME: dir } })).ms);
    }
    const s = stats(samples);
    lines.push(
      `${message.name.padEnd(18)} ${
        (message.bytes.length / 1024).toFixed(0).padStart(6)
      } KiB  median ${ms(s.median).padStart(10)}  p95 ${ms(s.p95).padStart(10)}`,
    );
  }
  return lines;
}
