import { readFileSync } from "node:fs";

// The runtime's own object: importing node:process costs Bun about 0.15 M instructions at start.
const process = globalThis.process;

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

/** Hold deliveries to `bytes` (limits: memory), and to 95 % of the cgroup's memory cap. */
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

/**
 * The share of a cgroup's cap a delivery may use. The kernel kills at the cap (the runtime,
 * which reads the cap too, collects harder before): stopping a little below it leaves a log
 * line, and a delivery that would have fitted is rarely stopped.
 */
const CAP_SHARE = 0.95;

function effectiveLimit(configured: number): { bytes: number; source: string } {
  const cap = cgroupMemoryCap();
  if (cap !== undefined && cap.bytes * CAP_SHARE < configured) {
    return {
      bytes: Math.floor(cap.bytes * CAP_SHARE),
      source: `${CAP_SHARE * 100} % of ${cap.file} ${Math.round(cap.bytes / 2 ** 20)} MiB`,
    };
  }
  return { bytes: configured, source: "memory in limits" };
}

/**
 * The smallest memory cap of this process's cgroup and its ancestors: `memory.max` under
 * cgroup v2, `memory.limit_in_bytes` of the memory controller under v1. Undefined when
 * none is set or none can be read.
 */
function cgroupMemoryCap(): { bytes: number; file: string } | undefined {
  let lines: string[];
  try {
    lines = readFileSync("/proc/self/cgroup", "utf8").split("\n");
  } catch {
    return undefined;
  }
  const places: { base: string; path: string; file: string }[] = [];
  for (const line of lines) {
    const [, controllers, path] = /^\d+:([^:]*):(.*)$/.exec(line) ?? [];
    if (path === undefined) continue;
    if (controllers === "") places.push({ base: "/sys/fs/cgroup", path, file: "memory.max" });
    if (controllers?.split(",").includes("memory")) {
      places.push({ base: "/sys/fs/cgroup/memory", path, file: "memory.limit_in_bytes" });
    }
  }
  let smallest: { bytes: number; file: string } | undefined;
  for (const { base, path, file } of places) {
    const parts = path.split("/").filter(Boolean);
    for (let depth = parts.length; depth >= 0; depth--) {
      const at = [base, ...parts.slice(0, depth), file].join("/");
      let text: string;
      try {
        text = readFileSync(at, "utf8").trim();
      } catch {
        continue; // no such controller here: look further up
      }
      // "max" (v2) or a page-rounded 2^63 (v1) is no cap.
      const bytes = /^\d+$/.test(text) ? Number(text) : Infinity;
      if (bytes < 2 ** 50 && (smallest === undefined || bytes < smallest.bytes)) {
        smallest = { bytes, file: at };
      }
    }
  }
  return smallest;
}
