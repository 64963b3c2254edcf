import { chmodSync, chownSync, lstatSync, statSync } from "node:fs";
import { relative } from "node:path";

/**
 * Files a report command creates in a profile (pages, archive zips, a live log started
 * again after archiving) must stay usable by the deliveries, which run as the owner of
 * the profile's log directory. Run as root, every such file is given that owner, group
 * and the directory's mode without execute bits (0750 gives 0640); run as anyone else
 * the files are theirs already. `claim(path)` does it for one path inside the profile.
 */
export function ownerClaim(profileHome: string, logDir: string): (path: string) => void {
  const uid = process.getuid?.();
  let owner: { uid: number; gid: number; mode: number } | undefined;
  try {
    const s = statSync(logDir);
    owner = { uid: s.uid, gid: s.gid, mode: s.mode & 0o777 };
  } catch {
    return () => {};
  }
  if (uid !== 0 || owner.uid === 0) return () => {};
  const { uid: ownerUid, gid, mode } = owner;
  return (path) => {
    const inside = relative(profileHome, path);
    if (inside.startsWith("..")) return; // an --out elsewhere is the admin's to place
    const isDir = lstatSync(path).isDirectory();
    chownSync(path, ownerUid, gid);
    chmodSync(path, isDir ? mode : mode & 0o666);
  };
}

/**
 * Why this user may not change the log directory's files, or undefined when it may: only
 * its owner or root (who hands the files to the owner, see ownerClaim).
 */
export function ownerProblem(logDir: string): string | undefined {
  const uid = process.getuid?.();
  if (uid === undefined || uid === 0) return undefined;
  let owner: number;
  try {
    owner = statSync(logDir).uid;
  } catch {
    return undefined;
  }
  return owner === uid
    ? undefined
    : `Run this as the owner of "${logDir}" (uid ${owner}) or as root: the deliveries must keep writing the files it would create`;
}
