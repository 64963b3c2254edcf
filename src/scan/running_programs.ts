// The runtime's own object: importing node:process costs Bun about 0.15 M instructions at start.
const process = globalThis.process;

/**
 * Process groups of the programs qmvc runs now (scanners, body programs, qmail-inject),
 * so a dying qmvc (SIGTERM, the delivery deadline) can take them along. A module of its
 * own, without node:child_process, so that main.ts can reach it at no start-up cost.
 */
const running = new Set<number>();

/** Note a program's process group while it runs. */
export function trackProgram(pgid: number): void {
  running.add(pgid);
}

/** Forget a program's group once it ended or was killed. */
export function untrackProgram(pgid: number): void {
  running.delete(pgid);
}

/** SIGKILL one process group; gone already is fine. */
export function killGroup(pgid: number): void {
  try {
    process.kill(-pgid, "SIGKILL");
  } catch { /* the group is gone already */ }
}

/** SIGKILL every program qmvc started and that still runs, with all of its children. */
export function killRunningPrograms(): void {
  for (const pgid of running) killGroup(pgid);
}
