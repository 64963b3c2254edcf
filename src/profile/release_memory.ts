import { checkMemory } from "./memory_guard.ts";

/**
 * Ask the runtime to collect garbage now: a runtime difference, so it lives here (STYLE
 * 11). The reports and the HTML-to-text pass keep little alive but make garbage fast,
 * and Bun's collector lets the process grow well past the memory qmvc promises before it
 * runs on its own. Called every few megabytes it keeps the peak down (log2html --limit 1
 * over two million lines: 172 to 143 MiB; plainmail on 50 MB of HTML: 366 to 281 MiB).
 * Under Deno (V8) there is no such call without a flag, and nothing is done. In a
 * delivery the memory limit is then held (`checkMemory`): this is where memory grows.
 */
export function releaseMemory(): void {
  collectGarbage();
  checkMemory();
}

/** The collection alone, never throwing: for stages that must not be cut short by the guard. */
export function collectGarbage(): void {
  (globalThis as { Bun?: { gc(force: boolean): void } }).Bun?.gc(true);
}

/**
 * A turn of the event loop: awaited between pieces of a long synchronous read (a big body's
 * text), so a signal handler (qmail's SIGTERM) runs within a piece's time. node:timers loads
 * on the first turn: importing it at start cost every delivery, which mostly never turns.
 */
export async function turnOfEvents(): Promise<void> {
  const { setImmediate } = await import("node:timers");
  return await new Promise((resolve) => setImmediate(resolve));
}
