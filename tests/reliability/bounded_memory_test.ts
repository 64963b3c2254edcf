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
import {
  MEMORY_SHAPES,
  memoryBudget,
  type MemoryShape,
  realisticMessage,
} from "../_helpers/memory_shapes.ts";
import { mailWithZip, nestedOverlappingZip } from "../_helpers/zip_shapes.ts";

const GNU_TIME = "/usr/bin/time";
const MiB = 1024 * 1024;
const figures: string[] = [];

/** How the binary is run on the message. */
type Run = "delivery" | "delivery with a text rule" | "plainmail" | "plainmail -e";

/** Exit status and peak RSS (bytes) of dist/qmvc run on `bytes` (`qmvc -n`, as qmail-local). */
async function peakOf(
  bytes: Uint8Array,
  how: Run,
): Promise<{ code: number; rss: number; stderr: string }> {
  const site = makeSite();
  const textRule = how === "delivery with a text rule";
  writeControl(site.system, "filters", `notify-recipient=n\n${textRule ? "body=y\n" : ""}`);
  if (textRule) writeControl(site.system, "badbodytexts", "*wire*money*now*\n");
  const path = join(site.root, "big.eml");
  writeFileSync(path, bytes);
  chmodSync(path, 0o644);
  const qmvc = how === "plainmail"
    ? "qmvc plainmail >/dev/null"
    : how === "plainmail -e"
    ? "qmvc plainmail -e '*wire*money*now*'"
    : "qmvc -n";
  const result = await deliver({
    line: `${GNU_TIME} -f 'qmvc-peak-rss %M' ${qmvc}`,
    message: path,
    home: site.home,
    env: { QMVC_HOME: site.system },
  });
  const rss = Number(/qmvc-peak-rss (\d+)/.exec(result.stderr)?.[1] ?? NaN) * 1024;
  return { code: result.code, rss, stderr: result.stderr };
}

/** Note the figure, and fail when the peak is over twice the message + 80 MiB. */
function assertWithinBudget(label: string, bytes: Uint8Array, rss: number): void {
  const budget = memoryBudget(bytes.length);
  figures.push(
    `${label.padEnd(52)} ${(bytes.length / MiB).toFixed(1).padStart(6)} MiB  peak ${
      (rss / MiB).toFixed(0).padStart(4)
    } MiB  budget ${(budget / MiB).toFixed(0).padStart(4)} MiB`,
  );
  assert.ok(
    rss <= budget,
    `${label}: peak ${(rss / MiB).toFixed(0)} MiB over ${(budget / MiB).toFixed(0)} MiB`,
  );
}

const HTML = MEMORY_SHAPES.find((s) => s.label === "an HTML body") as MemoryShape;

const CASES: readonly (readonly [string, number, (size: number) => Uint8Array, Run])[] = [
  ...MEMORY_SHAPES.filter((s) => s.label !== "realistic mail").map((s) =>
    [s.label, 8 * MiB, s.build, "delivery"] as const
  ),
  ["realistic mail", 5 * MiB, realisticMessage, "delivery"],
  ["realistic mail", 28 * MiB, realisticMessage, "delivery"],
  [HTML.label, 16 * MiB, HTML.build, "delivery with a text rule"],
  [HTML.label, 16 * MiB, HTML.build, "plainmail"],
  [HTML.label, 16 * MiB, HTML.build, "plainmail -e"],
];

for (const [label, size, build, how] of CASES) {
  Deno.test({
    name: `bounded memory: ${
      size / MiB
    } MiB of ${label} (${how}) peaks under twice its size + 80 MiB`,
    ignore: !existsSync(GNU_TIME),
    async fn() {
      const bytes = build(size);
      const run = await peakOf(bytes, how);
      // Delivered or bounced; plainmail -e: matched or not; never an error.
      assert.ok(
        [0, 99, ...(how === "plainmail -e" ? [1] : [])].includes(run.code),
        `exit ${run.code}: ${run.stderr}`,
      );
      assert.ok(Number.isFinite(run.rss), `no peak reported: ${run.stderr}`);
      assertWithinBudget(`${label} (${how})`, bytes, run.rss);
    },
  });
}

Deno.test({
  name:
    "bounded memory: an 8 KB mail whose zip has 10,000 members peaks under twice its size + 80 MiB",
  ignore: !existsSync(GNU_TIME),
  async fn() {
    // Its size is its members' count: each member read through zip.js's streams, and every
    // entry held to the end of the walk, made 286 MiB of it.
    const bytes = new TextEncoder().encode(mailWithZip(nestedOverlappingZip(1, 10_000)));
    const run = await peakOf(bytes, "delivery");
    assert.equal(run.code, 0, run.stderr);
    assertWithinBudget("a zip of 10,000 members (delivery)", bytes, run.rss);
  },
});

Deno.test({
  name: "bounded memory figures",
  ignore: !existsSync(GNU_TIME),
  fn() {
    // deno-lint-ignore no-console
    console.log(`peak RSS per shape (dist/qmvc):\n${figures.join("\n")}`);
  },
});
