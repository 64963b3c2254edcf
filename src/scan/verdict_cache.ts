import process from "node:process";
import { createHash } from "node:crypto";
import {
  closeSync,
  constants,
  fstatSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { makeSharedDir } from "../log/mod.ts";
import type { ScannerOutcome } from "../rules/mod.ts";

/** How long a verdict is reused: the copies of one message to many recipients arrive together. */
export const CACHE_TTL_MS = 15 * 60 * 1000;
/** Entries kept at most; the oldest go first. Bounds the directory on a busy host. */
export const MAX_CACHE_ENTRIES = 5000;

/**
 * A file per verdict, named by the SHA-256 of the message and of the scanner
 * configuration, written to a temporary name and renamed into place, so concurrent
 * deliveries never read half an entry. Failures are never cached; any cache trouble
 * means "scan again", never a failed delivery. Only this user's own entries are taken:
 * in a shared profile, the copies a message has for other users are scanned again.
 */
export class VerdictCache {
  constructor(private readonly dir: string, private readonly now: () => Date) {}

  static key(message: Uint8Array, configuration: string): string {
    return createHash("sha256").update(message).update("\0").update(configuration).digest("hex");
  }

  get(key: string): ScannerOutcome[] | undefined {
    try {
      const entry = JSON.parse(readOwnFile(join(this.dir, `${key}.json`))) as {
        time: number;
        outcomes: ScannerOutcome[];
      };
      if (this.now().getTime() - entry.time > CACHE_TTL_MS || !Array.isArray(entry.outcomes)) {
        return undefined;
      }
      return entry.outcomes;
    } catch {
      return undefined;
    }
  }

  put(key: string, outcomes: readonly ScannerOutcome[]): void {
    if (outcomes.some((o) => o.result.kind === "failed")) return;
    try {
      makeSharedDir(this.dir);
      const tmp = join(this.dir, `.${key}.${process.pid}.tmp`);
      // "wx": never through a name another user of a shared cache/ placed there first.
      writeFileSync(tmp, JSON.stringify({ time: this.now().getTime(), outcomes }), {
        mode: 0o600,
        flag: "wx",
      });
      renameSync(tmp, join(this.dir, `${key}.json`));
      this.prune();
    } catch { /* a cache that cannot be written only costs a scan */ }
  }

  private prune(): void {
    const names = readdirSync(this.dir).filter((n) => n.endsWith(".json"));
    if (names.length <= MAX_CACHE_ENTRIES) return;
    const aged = names.map((n) => {
      try {
        return { n, t: statSync(join(this.dir, n)).mtimeMs };
      } catch {
        return { n, t: 0 };
      }
    }).sort((a, b) => a.t - b.t);
    for (const { n } of aged.slice(0, names.length - MAX_CACHE_ENTRIES)) {
      try {
        unlinkSync(join(this.dir, n));
      } catch { /* another delivery removed it first */ }
    }
  }
}

/**
 * A file's text when it is a regular file of this user's that nobody else may write. In
 * a shared profile every user of the group may write cache/: a verdict placed there by
 * another one would let a message they send pass its scanners unseen.
 */
function readOwnFile(path: string): string {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.uid !== process.getuid?.() || (stat.mode & 0o022) !== 0) {
      throw new Error(`${path}: not this user's own file`);
    }
    return readFileSync(fd, "utf8");
  } finally {
    closeSync(fd);
  }
}
