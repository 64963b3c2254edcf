import {
  closeSync,
  constants,
  fchmodSync,
  fstatSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { makeSharedDir } from "../log/mod.ts";
import { type Control, CONTROL_NAMES, loadControl, type Profile } from "../profile/mod.ts";

// The runtime's own object: importing node:process costs Bun about 0.15 M instructions at start.
const process = globalThis.process;

/**
 * The parsed control files of a profile, kept in its cache/ folder between deliveries:
 * parsing the 16 files cost a small delivery about 3.5 M instructions (a sixth of it),
 * reading the cache a fraction of that.
 *
 * A stale cache is never used. The cache records the identity (device, inode, size,
 * modification and change times, mode) of the binary, of each layer's control folder
 * (a file added, removed or renamed there changes the folder) and of each control file
 * that was read; every delivery compares them all before it uses the cache. The change
 * time cannot be set back by a user, and a cache is written only when every one of those
 * times lies RACY_MS in the past, so a later change, even of the same size within the
 * same clock tick, shows. A cache that cannot be read, does not parse, or was not
 * written by this user with a mode others cannot write, is ignored and written anew.
 * It is written to a temporary name and renamed into place, mode 0600 whatever the
 * umask, one file per user (`control-UID.json`).
 *
 * Only the compiled binary keeps a cache: its own identity stands for the built-in
 * defaults and the parsers. A profile whose parsed form is not plain JSON (a
 * scanners.yaml with virus patterns) is never cached.
 */
export async function loadCachedControl(
  profile: Profile,
  options: { readonly binary?: string; readonly racyMs?: number } = {},
): Promise<Control> {
  const binary = options.binary === undefined ? binaryStamp() : stampOf(options.binary);
  if (binary === undefined) return await loadControl(profile);
  const path = join(profile.cacheDir, `control-${process.getuid?.() ?? "x"}.json`);
  const cached = readCache(path);
  if (cached && cached.key === keyOf(profile, binary, cached.winners)) return cached.control;
  const control = await loadControl(profile);
  try {
    writeCache(path, profile, binary, control, options.racyMs ?? RACY_MS);
  } catch { /* a cache that cannot be written costs the next delivery a parse, nothing else */ }
  return control;
}

/** Change and modification times this close to now are not trusted to reveal a change. */
const RACY_MS = 2_000;
const FORMAT = "qmvc-control-cache-1";

interface CacheFile {
  readonly key: string;
  /** Per control file, the layer index it was read from, or -1 for the built-in default. */
  readonly winners: readonly number[];
  readonly control: Control;
}

function readCache(path: string): CacheFile | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const stat = fstatSync(fd);
    // Only a regular file of this user's that nobody else may write is trusted.
    if (!stat.isFile() || stat.uid !== process.getuid?.() || (stat.mode & 0o022) !== 0) {
      return undefined;
    }
    const data = JSON.parse(readFileSync(fd, "utf8")) as Partial<CacheFile>;
    if (
      typeof data.key !== "string" || !Array.isArray(data.winners) ||
      data.winners.length !== CONTROL_NAMES.length || typeof data.control !== "object" ||
      data.control === null
    ) {
      return undefined;
    }
    return data as CacheFile;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

function writeCache(
  path: string,
  profile: Profile,
  binary: Stamp,
  control: Control,
  racyMs: number,
): void {
  const winners = CONTROL_NAMES.map((name) => {
    const source = control.sources[name];
    if (source.layer === "built-in") return -1;
    const layer = profile.layers.findIndex((l) => join(l.dir, "control", name) === source.path);
    return layer < 0 ? -2 : layer;
  });
  if (winners.includes(-2)) return;
  const stamps = stampsOf(profile, binary, winners);
  const now = Date.now();
  if (stamps.some((s) => s !== undefined && s.changed > now - racyMs)) return;
  // The temporary file first: where it cannot be made (a cache/ this user may not
  // write), every delivery would otherwise pay for the JSON below and then fail.
  makeSharedDir(profile.cacheDir);
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, "wx", 0o600);
  try {
    fchmodSync(fd, 0o600);
    // Only plain data survives JSON: anything else (a RegExp) means no cache for this profile.
    const json = JSON.stringify({ key: keyText(stamps), winners, control }, (_, value) => {
      if (
        value === undefined || typeof value === "function" || typeof value === "bigint" ||
        value instanceof RegExp || value instanceof Map || value instanceof Set
      ) {
        throw new Error("not plain data");
      }
      return value;
    });
    writeFileSync(fd, json);
    closeSync(fd);
    renameSync(tmp, path);
  } catch (error) {
    try {
      closeSync(fd);
    } catch { /* closed already */ }
    unlinkSync(tmp);
    throw error;
  }
}

/** A file's identity, and the later of its modification and change times (ms). */
interface Stamp {
  readonly text: string;
  readonly changed: number;
}

function stampOf(path: string): Stamp | undefined {
  const s = statSync(path, { throwIfNoEntry: false });
  if (!s) return undefined;
  return {
    text: `${s.dev}:${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}:${s.mode}:${s.uid}`,
    changed: Math.max(s.mtimeMs, s.ctimeMs),
  };
}

/** The compiled binary's identity, or undefined when not running as one (deno, bun main.ts). */
function binaryStamp(): Stamp | undefined {
  const script = process.argv[1] ?? "";
  if (!script.startsWith("/$bunfs")) return undefined;
  try {
    return stampOf(process.execPath);
  } catch {
    return undefined;
  }
}

function stampsOf(
  profile: Profile,
  binary: Stamp,
  winners: readonly number[],
): (Stamp | undefined)[] {
  return [
    binary,
    ...profile.layers.map((l) => stampOf(join(l.dir, "control"))),
    ...winners.map((w, i) =>
      w < 0 ? undefined : stampOf(join(profile.layers[w]!.dir, "control", CONTROL_NAMES[i]!))
    ),
  ];
}

function keyText(stamps: readonly (Stamp | undefined)[]): string {
  return [FORMAT, ...stamps.map((s) => s?.text ?? "-")].join("\n");
}

function keyOf(profile: Profile, binary: Stamp, winners: readonly number[]): string | undefined {
  if (winners.some((w) => !Number.isInteger(w) || w < -1 || w >= profile.layers.length)) {
    return undefined;
  }
  try {
    return keyText(stampsOf(profile, binary, winners));
  } catch {
    return undefined;
  }
}
