import { closeSync, constants, fstatSync, lstatSync, openSync, readFileSync } from "node:fs";

/** Reads a file: its text, or undefined when it does not exist. Anything else throws. */
export type ReadText = (path: string) => string | undefined;

/** A control file or template is small text: a bigger one is a mistake or an attack. */
export const MAX_CONTROL_FILE_BYTES = 1024 * 1024;

/**
 * Read a file with node:fs; ENOENT and ENOTDIR mean "absent", other errors propagate.
 * It is opened without blocking and checked with fstat before a byte is read: a FIFO, a
 * device or a file over 1 MiB is refused at once instead of hanging or filling memory.
 */
export function readTextFile(path: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if ((code === "ENOENT" || code === "ENOTDIR") && !isLink(path)) return undefined;
    // A symlink that points nowhere is a broken file, not an absent one.
    if (code === "ENOENT") {
      throw Object.assign(new Error("dangling symlink"), { code: "a dangling symlink" });
    }
    throw error;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) {
      throw Object.assign(new Error("not a regular file"), { code: "not a regular file" });
    }
    if (stat.size > MAX_CONTROL_FILE_BYTES) {
      throw Object.assign(new Error("larger than 1 MiB"), {
        code: `${stat.size} bytes, more than 1 MiB`,
      });
    }
    return readFileSync(fd, "utf8");
  } finally {
    closeSync(fd);
  }
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
