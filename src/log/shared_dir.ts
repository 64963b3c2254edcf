import { chmodSync, chownSync, mkdirSync, statSync } from "node:fs";
import process from "node:process";
import { dirname } from "node:path";

/**
 * Mode of every directory qmvc creates in a profile, whatever the umask (qmail-local
 * runs programs under umask 077): the owner and the profile's group may write, so
 * users who share the profile's group can all deliver through it.
 */
export const SHARED_DIR_MODE = 0o770;

/**
 * Create `path` and the missing directories above it with SHARED_DIR_MODE, keeping the
 * set-group-ID bit where the parent has it, so files below keep the profile's group.
 */
export function makeSharedDir(path: string): void {
  const first = mkdirSync(path, { recursive: true, mode: SHARED_DIR_MODE });
  if (first === undefined) return;
  const created: string[] = [];
  for (let dir = path; dir.length >= first.length; dir = dirname(dir)) {
    created.unshift(dir);
    if (dir === first || dirname(dir) === dir) break;
  }
  for (const dir of created) {
    const setgid = statSync(dirname(dir)).mode & 0o2000;
    chmodSync(dir, SHARED_DIR_MODE | setgid);
    adoptOwner(dir);
  }
}

/**
 * Give a file or directory that root just made in a profile the owner of the directory
 * that holds it: an admin's `qmvc quarantine` or a report run as root must not leave
 * files behind that the deliveries (the alias user) cannot write. A no-op for others.
 */
export function adoptOwner(path: string): void {
  if (process.getuid?.() !== 0) return;
  const parent = statSync(dirname(path));
  if (parent.uid !== 0) chownSync(path, parent.uid, parent.gid);
}
