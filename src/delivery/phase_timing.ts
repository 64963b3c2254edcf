// The runtime's own object: importing node:process costs Bun about 0.15 M instructions at start.
const process = globalThis.process;

/**
 * Where a delivery's time goes, for the start-up profile in bench/RESULTS.md: with
 * QMVC_TIMING=1 in the environment, the filter writes one line to stderr with the
 * milliseconds since the process started at each phase, and the resident memory then. Off, a mark costs one test.
 */
const marks: [string, number, number][] = [];
let enabled = false;

/** Start recording (main.ts, when QMVC_TIMING is set). */
export function enablePhaseTiming(): void {
  enabled = true;
}

/** Note that a phase ended now. */
export function markPhase(name: string): void {
  if (enabled) marks.push([name, performance.now(), process.memoryUsage.rss()]);
}

/** `qmvc timing: imports 4.1 control 5.0 ...` or "" when not enabled. */
export function phaseTimingLine(): string {
  if (!enabled) return "";
  return `qmvc timing (ms since start): ${
    marks.map(([name, ms, rss]) =>
      `${name} ${ms.toFixed(1)} (rss ${(rss / 2 ** 20).toFixed(0)} MiB)`
    )
      .join(", ")
  }\n`;
}
