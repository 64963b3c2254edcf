import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MEMORY_SHAPES, memoryBudget } from "../tests/_helpers/memory_shapes.ts";
import { mailWithZip, nestedOverlappingZip } from "../tests/_helpers/zip_shapes.ts";

const MiB = 1024 * 1024;
/** Message sizes per shape; tests/reliability/bounded_memory_test.ts runs the small ones. */
const SIZES = [5 * MiB, 28 * MiB, 100 * MiB];

/** Archives whose size is their members' count, not their bytes: [label, outer, inner]. */
const ZIP_SHAPES: readonly (readonly [string, number, number])[] = [
  ["zip of 10,000 empty members", 1, 10_000],
  ["12,000 zip entries at one such zip", 12_000, 10_000],
];

/**
 * Peak resident memory of `qmvc -n` against message size, per shape, beside DESIGN's
 * budget (2 x size + 80 MiB). One run each: the peak does not vary like a time does.
 */
export async function benchMemory(binary: string): Promise<string[]> {
  const lines = [
    "peak RSS against size, dist/qmvc -n (GNU time), no scanner, built-in controls",
    `${"shape".padEnd(38)} ${"size".padStart(9)}  ${"peak".padStart(9)}  ${"budget".padStart(9)}  ${
      "time".padStart(7)
    }  exit`,
  ];
  const dir = mkdtempSync(join(tmpdir(), "qmvc-bench-memory-"));
  try {
    for (const shape of MEMORY_SHAPES) {
      for (const size of SIZES) {
        const bytes = shape.build(size);
        const path = join(dir, "m.eml");
        writeFileSync(path, bytes);
        const run = await peakOf(binary, path, dir);
        const over = run.rss > memoryBudget(bytes.length) ? "  OVER" : "";
        lines.push(
          `${shape.label.padEnd(38)} ${mib(bytes.length)}  ${mib(run.rss)}  ${
            mib(memoryBudget(bytes.length))
          }  ${(run.seconds.toFixed(2) + " s").padStart(7)}  ${run.code}${over}`,
        );
        rmSync(path);
      }
    }
    for (const [label, outer, inner] of ZIP_SHAPES) {
      const bytes = new TextEncoder().encode(mailWithZip(nestedOverlappingZip(outer, inner)));
      const path = join(dir, "m.eml");
      writeFileSync(path, bytes);
      const run = await peakOf(binary, path, dir);
      const over = run.rss > memoryBudget(bytes.length) ? "  OVER" : "";
      lines.push(
        `${label.padEnd(38)} ${mib(bytes.length)}  ${mib(run.rss)}  ${
          mib(memoryBudget(bytes.length))
        }  ${(run.seconds.toFixed(2) + " s").padStart(7)}  ${run.code}${over}`,
      );
      rmSync(path);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return lines;
}

function mib(bytes: number): string {
  return `${(bytes / MiB).toFixed(0)} MiB`.padStart(9);
}

async function peakOf(
  binary: string,
  message: string,
  home: string,
): Promise<{ rss: number; seconds: number; code: number }> {
  const started = performance.now();
  const run = await new Deno.Command("/bin/sh", {
    args: [
      "-c",
      'exec 0<"$1"; shift; exec /usr/bin/time -f "qmvc-peak-rss %M" "$@"',
      "sh",
      message,
      binary,
      "-n",
    ],
    env: { QMVC_HOME: home, SENDER: "a@example.net", RECIPIENT: "b@example.org" },
    stdout: "null",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(run.stderr);
  return {
    rss: Number(/qmvc-peak-rss (\d+)/.exec(stderr)?.[1] ?? NaN) * 1024,
    seconds: (performance.now() - started) / 1000,
    code: run.code,
  };
}
