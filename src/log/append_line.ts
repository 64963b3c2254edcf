import {
  closeSync,
  constants,
  fchmodSync,
  fstatSync,
  fsyncSync,
  openSync,
  readSync,
  writeSync,
} from "node:fs";
import { parentDir } from "./paths.ts";
import { adoptOwner, dirMode, existingDirMode, fileModeFor, makeSharedDir } from "./shared_dir.ts";

// The runtime's own object: importing node:process costs Bun about 0.15 M instructions at start.
const process = globalThis.process;

/**
 * Mode of qmvc.log and qmvc.rep whatever the umask: in a group-shared profile the
 * group may append too; in a private one, only the owner.
 */
export const RECORD_FILE_MODE = 0o660;

/**
 * Append one line with one write(2) on an O_APPEND descriptor, so lines of concurrent
 * deliveries never interleave (DESIGN invariant 4). A short write is an error: the caller
 * defers, and qmail retries the delivery. The torn line it leaves (a full disk) must not
 * swallow the next record: when the file does not end with a newline, the next line
 * starts with one, in the same write, and readers skip the torn piece as a bad line.
 */
export function appendLine(path: string, line: string, options: { sync?: boolean } = {}): void {
  const dir = parentDir(path);
  // One look at the folder serves the file's mode and the open flags, and tells whether
  // it must be made first (only the first delivery of a profile makes it).
  let dirBits = existingDirMode(dir);
  if (dirBits === undefined) {
    makeSharedDir(dir);
    dirBits = dirMode(dir);
  }
  const mode = fileModeFor(dirBits, RECORD_FILE_MODE);
  const fd = openSync(path, appendFlags(dirBits), mode);
  try {
    const stat = fstatSync(fd);
    if (stat.size === 0 && stat.uid === process.getuid?.()) {
      fchmodSync(fd, mode);
      adoptOwner(path, fd);
    }
    const bytes = new TextEncoder().encode(endsTorn(fd, stat.size) ? `\n${line}` : line);
    const written = writeSync(fd, bytes, 0, bytes.length);
    if (written !== bytes.length) {
      throw new Error(`Short write to "${path}": ${written} of ${bytes.length} bytes`);
    }
    if (options.sync) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Open flags for appending: in a directory others may write (a group-shared profile's log/),
 * never through a symlink, which another member of the group could have put in place of
 * the log to make this user's delivery append to a file of this user's (their ~/.qmail).
 * In a private directory an admin's own symlinked log is followed.
 */
function appendFlags(dirBits: number): number {
  const flags = constants.O_RDWR | constants.O_APPEND | constants.O_CREAT;
  return dirBits & 0o022 ? flags | constants.O_NOFOLLOW : flags;
}

/** True when the file's last byte is not a newline (an earlier write was cut short). */
function endsTorn(fd: number, size: number): boolean {
  if (size === 0) return false;
  const last = new Uint8Array(1);
  return readSync(fd, last, 0, 1, size - 1) === 1 && last[0] !== 0x0a;
}
