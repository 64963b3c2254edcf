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
import { joinPath, makeSharedDir } from "../log/mod.ts";
import {
  type Control,
  CONTROL_NAMES,
  loadControl,
  type Profile,
  type ReadText,
  readTextFile,
} from "../profile/mod.ts";

// The runtime's own object: importing node:process costs Bun about 0.15 M instructions at start.
const process = globalThis.process;

/**
 * The parsed control files of a profile, kept in its cache/ folder between deliveries:
 * parsing the 16 files cost a small delivery about 3.5 M instructions (a sixth of it),
 * reading the cache a fraction of that.
 *
 * A stale cache is never used. The cache records the binary's build (binaryStamp) and
 * the identity (device, inode, size, modification and change times, mode) of each
 * layer's control folder (a file added, removed or renamed there changes the folder) and
 * of each control file that was read; every delivery compares them all before it uses
 * the cache. The change time cannot be set back by a user, and a cache is written only
 * when every one of those times lies RACY_MS in the past, so a later change, even of the
 * same size within the same clock tick, shows, and only when those stamps are the ones
 * the folders and files had when they were read. A cache that cannot be read, does not
 * parse, or was not written by this user with a mode others cannot write, is ignored and
 * written anew. It is written to a temporary name and renamed into place, mode 0600
 * whatever the umask, one file per user (`control-UID.json`).
 *
 * Only the compiled binary keeps a cache: its build stands for the built-in defaults and
 * the parsers. A profile whose parsed form is not plain JSON (a scanners.yaml with virus
 * patterns) is never cached.
 */
export async function loadCachedControl(
  profile: Profile,
  options: { readonly binary?: string; readonly racyMs?: number; readonly read?: ReadText } = {},
): Promise<Control> {
  const binary = options.binary === undefined ? binaryStamp() : stampOf(options.binary);
  if (binary === undefined) return await loadControl(profile);
  const path = joinPath(profile.cacheDir, `control-${process.getuid?.() ?? "x"}.json`);
  const cached = readCache(path);
  if (cached && cached.key === keyOf(profile, binary, cached.winners)) return cached.control;
  // The key must name what was read: each layer's control folder is stamped before the
  // parse, each file just before and just after its read, and the cache is written only
  // when the stamps taken afterwards are the same. A change landing between a read and
  // the stamps (an edit, a deploy that switches a symlink to an older release) would
  // otherwise key the old text to the new files' stamps, used until their next change.
  const read = options.read ?? readTextFile;
  const folders = profile.layers.map((l) => stampTextOf(joinPath(l.dir, "control")));
  const files = new Map<string, string>();
  const control = await loadControl(profile, (file) => {
    const before = stampTextOf(file);
    const text = read(file);
    files.set(file, stampTextOf(file) === before ? before : "changed while read");
    return text;
  });
  try {
    writeCache(path, profile, binary, control, options.racyMs ?? RACY_MS, { folders, files });
  } catch { /* a cache that cannot be written costs the next delivery a parse, nothing else */ }
  return control;
}

/** Change and modification times this close to now are not trusted to reveal a change. */
const RACY_MS = 2_000;
const FORMAT = "qmvc-control-cache-3";

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
  seen: { readonly folders: readonly string[]; readonly files: ReadonlyMap<string, string> },
): void {
  const winners = CONTROL_NAMES.map((name) => {
    const source = control.sources[name];
    if (source.layer === "built-in") return -1;
    const layer = profile.layers.findIndex((_, i) => controlFile(profile, i, name) === source.path);
    return layer < 0 ? -2 : layer;
  });
  if (winners.includes(-2)) return;
  // Scanners declared in scanners.yaml carry RegExps (their virus patterns): such a profile
  // is never cached, so no delivery of it should make and remove a temporary file below.
  if (Object.keys(control["scanners.yaml"].scanners).length > 0) return;
  const stamps = stampsOf(profile, binary, winners);
  const read = [
    binary.text,
    ...seen.folders,
    ...winners.map((w, i) =>
      w < 0 ? "-" : seen.files.get(controlFile(profile, w, CONTROL_NAMES[i]!))
    ),
  ];
  if (stamps.some((s, i) => (s?.text ?? "-") !== read[i])) return;
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
    // A property that is undefined (a scanner line without path=) is left out and reads
    // back as undefined; only in an array would it come back as something else (null).
    const json = JSON.stringify(
      { key: keyText(stamps), winners, control },
      function (this: unknown, _, value) {
        if (
          value === undefined && Array.isArray(this) || typeof value === "function" ||
          typeof value === "bigint" || value instanceof RegExp || value instanceof Map ||
          value instanceof Set
        ) {
          throw new Error("not plain data");
        }
        return value;
      },
    );
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

/** A file's identity as keyText() writes it, "-" when absent; never throws. */
function stampTextOf(path: string): string {
  try {
    return stampOf(path)?.text ?? "-";
  } catch {
    return "unknown";
  }
}

/** The build's name, given by scripts/build.ts (bun build --define); new for every build. */
declare const QMVC_BUILD_ID: string | undefined;

/**
 * The compiled binary's identity, or undefined when not running as one (deno, bun main.ts):
 * its build's name, which stands for its defaults and parsers without a look at any file
 * (a copy of the same build shares its cache). A binary built without a name goes by the
 * running program's file (/proc/self/exe), not whatever file its path names by now: a
 * binary installed while this one started must not get this one's defaults.
 */
function binaryStamp(): Stamp | undefined {
  const script = process.argv[1] ?? "";
  if (!script.startsWith("/$bunfs")) return undefined;
  if (typeof QMVC_BUILD_ID === "string") return { text: `build ${QMVC_BUILD_ID}`, changed: 0 };
  try {
    return stampOf("/proc/self/exe") ?? stampOf(process.execPath);
  } catch {
    return undefined;
  }
}

function stampsOf(
  profile: Profile,
  binary: Stamp,
  winners: readonly number[],
): (Stamp | undefined)[] {
  // Loops, not map and spreads: this runs on every delivery, and each of those built-ins
  // costs the runtime a compilation on its first use in a process.
  const stamps: (Stamp | undefined)[] = [binary];
  for (const l of profile.layers) stamps.push(stampOf(joinPath(l.dir, "control")));
  for (let i = 0; i < winners.length; i++) {
    const w = winners[i]!;
    stamps.push(w < 0 ? undefined : stampOf(controlFile(profile, w, CONTROL_NAMES[i]!)));
  }
  return stamps;
}

/** The path of control file `name` in the profile's layer `layer`. */
function controlFile(profile: Profile, layer: number, name: string): string {
  return joinPath(profile.layers[layer]!.dir, "control", name);
}

function keyText(stamps: readonly (Stamp | undefined)[]): string {
  let text = FORMAT;
  for (const s of stamps) text += `\n${s?.text ?? "-"}`;
  return text;
}

function keyOf(profile: Profile, binary: Stamp, winners: readonly number[]): string | undefined {
  for (const w of winners) {
    if (!Number.isInteger(w) || w < -1 || w >= profile.layers.length) return undefined;
  }
  try {
    return keyText(stampsOf(profile, binary, winners));
  } catch {
    return undefined;
  }
}
