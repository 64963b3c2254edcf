/**
 * Bounded memory (DESIGN invariant 9): a delivery of any message peaks at no more than
 * twice the message plus 80 MiB resident, whatever its shape. Each shape runs through
 * the real binary the way qmail-local runs it, its peak measured by GNU time; the sizes
 * are small enough for CI, bench/memory.ts runs 100 MB and more.
 */
import assert from "node:assert/strict";
import { chmodSync, existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { deliver, makeSite, writeControl } from "../_helpers/qmail_local.ts";
import { MEMORY_SHAPES, memoryBudget, realisticMessage } from "../_helpers/memory_shapes.ts";

const GNU_TIME = "/usr/bin/time";
const MiB = 1024 * 1024;
const figures: string[] = [];

/** Exit status and peak RSS (bytes) of `qmvc -n` delivering `bytes`. */
async function peakOf(bytes: Uint8Array): Promise<{ code: number; rss: number; stderr: string }> {
  const site = makeSite();
  writeControl(site.system, "filters", "notify-recipient=n\n");
  const path = join(site.root, "big.eml");
  writeFileSync(path, bytes);
  chmodSync(path, 0o644);
  const result = await deliver({
    line: `${GNU_TIME} -f 'qmvc-peak-rss %M' qmvc -n`,
    message: path,
    home: site.home,
    env: { QMVC_HOME: site.system },
  });
  const rss = Number(/qmvc-peak-rss (\d+)/.exec(result.stderr)?.[1] ?? NaN) * 1024;
  return { code: result.code, rss, stderr: result.stderr };
}

const CASES: readonly (readonly [string, number, (size: number) => Uint8Array])[] = [
  ...MEMORY_SHAPES.filter((s) => s.label !== "realistic mail").map((s) =>
    [s.label, 8 * MiB, s.build] as const
  ),
  ["realistic mail", 5 * MiB, realisticMessage],
  ["realistic mail", 28 * MiB, realisticMessage],
];

for (const [label, size, build] of CASES) {
  Deno.test({
    name: `bounded memory: ${size / MiB} MiB of ${label} peaks under twice its size + 80 MiB`,
    ignore: !existsSync(GNU_TIME),
    async fn() {
      const bytes = build(size);
      const run = await peakOf(bytes);
      assert.ok([0, 99].includes(run.code), `exit ${run.code}: ${run.stderr}`);
      assert.ok(Number.isFinite(run.rss), `no peak reported: ${run.stderr}`);
      const budget = memoryBudget(bytes.length);
      figures.push(
        `${label.padEnd(32)} ${(bytes.length / MiB).toFixed(1).padStart(6)} MiB  peak ${
          (run.rss / MiB).toFixed(0).padStart(4)
        } MiB  budget ${(budget / MiB).toFixed(0).padStart(4)} MiB`,
      );
      assert.ok(
        run.rss <= budget,
        `${label}: peak ${(run.rss / MiB).toFixed(0)} MiB over ${(budget / MiB).toFixed(0)} MiB`,
      );
    },
  });
}

Deno.test({
  name: "bounded memory figures",
  ignore: !existsSync(GNU_TIME),
  fn() {
    // deno-lint-ignore no-console
    console.log(`peak RSS per shape (dist/qmvc -n):\n${figures.join("\n")}`);
  },
});
