import { readFileSync } from "node:fs";
import process from "node:process";

/**
 * The memory a delivery may use (`memory` in limits), held at the points where qmvc
 * collects garbage and between the phases of a delivery. Past it the delivery stops with
 * a temporary failure and a log line: the kernel's out-of-memory killer, or an abort
 * inside the runtime, would end it with no line at all. qmail keeps the message either way.
 */
export class MemoryLimitReached extends Error {}

interface Guard {
  readonly configured: number;
  /** The limit in force and where it comes from, found on the first check that needs it. */
  effective?: { readonly bytes: number; readonly source: string };
}

let guard: Guard | undefined;

/**
 * Below this a check costs one look at the peak resident size: the cgroup is read only by
 * a delivery that grows past it (a small one never does).
 */
const QUIET_BELOW = 96 * 1024 * 1024;

/** Hold deliveries to `bytes` (limits: memory), and to 90 % of the cgroup's memory.max. */
export function guardMemory(bytes: number): void {
  guard = { configured: bytes };
}

/** Throw MemoryLimitReached when the process is over the limit (nothing without a guard). */
export function checkMemory(): void {
  if (!guard) return;
  // The peak so far (getrusage: one system call; the current size reads /proc thrice).
  const rss = process.resourceUsage().maxRSS * 1024;
  if (rss <= guard.configured && rss <= QUIET_BELOW) return;
  guard.effective ??= effectiveLimit(guard.configured);
  if (rss <= guard.effective.bytes) return;
  const mib = (n: number) => `${Math.round(n / 2 ** 20)} MiB`;
  throw new MemoryLimitReached(
    `Memory limit reached: ${mib(rss)} resident, over ${
      mib(guard.effective.bytes)
    } (${guard.effective.source}); raise it if mail this large is expected`,
  );
}

function effectiveLimit(configured: number): { bytes: number; source: string } {
  const path = cgroupPath();
  const cap = path === undefined ? undefined : cgroupMemoryMax(path);
  if (cap !== undefined && cap * 0.9 < configured) {
    return {
      bytes: Math.floor(cap * 0.9),
      source: `90 % of memory.max ${Math.round(cap / 2 ** 20)} MiB of cgroup ${path}`,
    };
  }
  return { bytes: configured, source: "memory in limits" };
}

/** The smallest memory.max of this process's cgroup (v2) and its ancestors, if any is set. */
function cgroupMemoryMax(path: string): number | undefined {
  let smallest: number | undefined;
  const parts = path.split("/").filter(Boolean);
  for (let depth = parts.length; depth > 0; depth--) {
    try {
      const text = readFileSync(
        `/sys/fs/cgroup/${parts.slice(0, depth).join("/")}/memory.max`,
        "utf8",
      )
        .trim();
      const value = Number(text);
      if (/^\d+$/.test(text) && (smallest === undefined || value < smallest)) smallest = value;
    } catch { /* no such controller here: look further up */ }
  }
  return smallest;
}

/** This process's cgroup v2 path ("0::/path" in /proc/self/cgroup), if there is one. */
function cgroupPath(): string | undefined {
  try {
    const line = readFileSync("/proc/self/cgroup", "utf8").split("\n").find((l) =>
      l.startsWith("0::")
    );
    return line?.slice(3);
  } catch {
    return undefined;
  }
}
