import { closeSync, fchmodSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { fileModeIn, makeSharedDir } from "../log/mod.ts";

/** A quarantined copy: the deliverer writes it, the group of a shared profile (the admin) reads it. */
const COPY_MODE = 0o640;

let deliveries = 0;

/**
 * Store a message in a Maildir the way qmail-local does: write into tmp/, fsync, rename
 * into new/, fsync the directory. Only then is the copy durable and may qmvc tell qmail
 * the message is delivered (exit 99). Returns the path in new/.
 */
export function storeInMaildir(dir: string, bytes: Uint8Array, now: Date): string {
  for (const sub of ["tmp", "new", "cur"]) {
    makeSharedDir(join(dir, sub));
  }
  const host = hostname().replace(/[/:]/g, "_");
  const micros = Math.floor(performance.now() * 1000) % 1_000_000;
  const unique = `${
    Math.floor(now.getTime() / 1000)
  }.M${micros}P${process.pid}Q${++deliveries}.${host}`;
  const tmp = join(dir, "tmp", unique);
  const mode = fileModeIn(join(dir, "tmp"), COPY_MODE);
  const fd = openSync(tmp, "wx", mode);
  try {
    fchmodSync(fd, mode);
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
    fsyncSync(fd);
  } catch (error) {
    // A partial copy (a full disk) must not stay behind and fill a small quarantine.
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw error;
  }
  closeSync(fd);
  const target = join(dir, "new", unique);
  renameSync(tmp, target);
  syncDirectory(join(dir, "new"));
  return target;
}

function syncDirectory(path: string): void {
  const fd = openSync(path, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
