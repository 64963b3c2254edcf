import {
  chmodSync,
  chownSync,
  closeSync,
  constants,
  fchownSync,
  mkdirSync,
  openSync,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { parentDir } from "./paths.ts";

// The runtime's own object: importing node:process costs Bun about 0.15 M instructions at start.
const process = globalThis.process;

/**
 * Mode of the directories qmvc creates in a group-shared profile, whatever the umask
 * (qmail-local runs programs under umask 077): the owner and the profile's group may
 * write, so users who share the profile's group can all deliver through it.
 */
export const SHARED_DIR_MODE = 0o770;
/** Mode of the directories qmvc creates in a private profile (a user's ~/qmvc, -u). */
export const PRIVATE_DIR_MODE = 0o700;

/**
 * True when `dir` is shared with its group (group-writable, as `qmvc install` makes the
 * system profile): what qmvc creates in it is then group-writable too. Anywhere else
 * (a user's own profile under a home nobody else writes) it stays private.
 */
export function isGroupShared(dir: string): boolean {
  return (dirMode(dir) & 0o020) !== 0;
}

/** The mode bits of `dir`, or 0 (private, written by nobody else) when it cannot be read. */
export function dirMode(dir: string): number {
  return existingDirMode(dir) ?? 0;
}

/** dirMode of a folder that is there; undefined when there is none. */
export function existingDirMode(dir: string): number | undefined {
  try {
    const stat = statSync(dir, { throwIfNoEntry: false });
    return stat === undefined ? undefined : stat.mode;
  } catch {
    return 0;
  }
}

/** The mode for a file in `dir`: `shared` in a group-shared directory, owner-only elsewhere. */
export function fileModeIn(dir: string, shared: number): number {
  return fileModeFor(dirMode(dir), shared);
}

/** fileModeIn for a directory whose mode bits (`dirMode`) are known already. */
export function fileModeFor(dirBits: number, shared: number): number {
  return dirBits & 0o020 ? shared : shared & 0o700;
}

/**
 * Create `path` and the missing directories above it, each shared (SHARED_DIR_MODE,
 * keeping the set-group-ID bit, so files below keep the profile's group) where the
 * directory above is group-shared, and private (PRIVATE_DIR_MODE) where it is not.
 */
export function makeSharedDir(path: string): void {
  const first = mkdirSync(path, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (first === undefined) return;
  const created: string[] = [];
  for (let dir = path; dir.length >= first.length; dir = parentDir(dir)) {
    created.unshift(dir);
    if (dir === first || parentDir(dir) === dir) break;
  }
  for (const dir of created) {
    const parent = statSync(parentDir(dir)).mode;
    chmodSync(dir, parent & 0o020 ? SHARED_DIR_MODE | (parent & 0o2000) : PRIVATE_DIR_MODE);
    adoptOwner(dir);
  }
}

/**
 * Give a file or directory that root just made in a profile the owner of the directory
 * that holds it: an admin's `qmvc quarantine` or a report run as root must not leave
 * files behind that the deliveries (the alias user) cannot write. A no-op for others.
 * Given the open descriptor, the file itself is changed (fchown), never what its name
 * points to by then.
 */
export function adoptOwner(path: string, fd?: number): void {
  if (process.getuid?.() !== 0) return;
  const parent = statSync(parentDir(path));
  if (parent.uid === 0) return;
  if (fd === undefined) chownSync(path, parent.uid, parent.gid);
  else fchownSync(fd, parent.uid, parent.gid);
}

/** True when the group or anybody may write in `dir` (a shared profile's folder). */
export function isWritableByOthers(dir: string): boolean {
  return (dirMode(dir) & 0o022) !== 0;
}

/**
 * Open a new file at `path` to write, never through a symlink: whatever had the name (a
 * temporary file left by an earlier run, or a symlink another member of a shared profile's
 * group put there to make this user, the alias user's cron job, overwrite a file of its
 * own such as ~alias/.qmail-default) is removed first, and the file is created
 * exclusively, which follows no symlink.
 */
export function openFresh(path: string, mode: number): number {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as { code?: string }).code !== "ENOENT") throw error;
  }
  return openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
}

/** Write `text` to `path` anew, never through a symlink (see openFresh). */
export function writeFresh(path: string, text: string, mode = 0o640): void {
  const fd = openFresh(path, mode);
  try {
    const bytes = new TextEncoder().encode(text);
    for (let done = 0; done < bytes.length;) {
      done += writeSync(fd, bytes, done, bytes.length - done);
    }
  } finally {
    closeSync(fd);
  }
}
