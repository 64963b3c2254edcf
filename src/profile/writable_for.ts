import { readFileSync, statSync } from "node:fs";
import { parentDir } from "../log/mod.ts";

/** A Unix account as /etc/passwd and /etc/group describe it. */
interface Account {
  readonly uid: number;
  readonly gids: ReadonlySet<number>;
}

/** The uid and every group of `name` (primary and supplementary), or undefined. */
export function lookupAccount(name: string, etc = "/etc"): Account | undefined {
  const passwd = readFileSync(`${etc}/passwd`, "utf8").split("\n").map((l) => l.split(":"));
  const entry = passwd.find((f) => f[0] === name);
  if (!entry || entry.length < 4) return undefined;
  const gids = new Set([Number(entry[3])]);
  for (const group of readFileSync(`${etc}/group`, "utf8").split("\n").map((l) => l.split(":"))) {
    if ((group[3] ?? "").split(",").includes(name)) gids.add(Number(group[2]));
  }
  return { uid: Number(entry[2]), gids };
}

/** The gid of group `name` in /etc/group, or undefined. */
export function lookupGroup(name: string, etc = "/etc"): number | undefined {
  const entry = readFileSync(`${etc}/group`, "utf8").split("\n").map((l) => l.split(":"))
    .find((f) => f[0] === name);
  return entry && entry.length >= 3 ? Number(entry[2]) : undefined;
}

/**
 * Why `user` could not create files in `dir` (or, when it does not exist yet, in the
 * directory that would hold it), or undefined when it could. Judged from owners and
 * modes, the way the kernel would, without becoming that user.
 */
export function writableProblem(dir: string, user: string, etc = "/etc"): string | undefined {
  const account = lookupAccount(user, etc);
  if (!account) return `--as ${user}: no such user in ${etc}/passwd`;
  if (account.uid === 0) return undefined;
  let path = dir;
  for (;;) {
    try {
      const stat = statSync(path);
      const bits = stat.uid === account.uid
        ? (stat.mode >> 6) & 7
        : account.gids.has(stat.gid)
        ? (stat.mode >> 3) & 7
        : stat.mode & 7;
      if ((bits & 3) === 3) return undefined;
      return `${path} is not writable for ${user} (owner ${stat.uid}, group ${stat.gid}, mode ${
        (stat.mode & 0o7777).toString(8)
      }): deliveries as ${user} would defer; chown or chmod it`;
    } catch {
      const up = parentDir(path);
      if (up === path) return `${dir} cannot be checked for ${user}`;
      path = up;
    }
  }
}
