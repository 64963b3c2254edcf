/**
 * Files in a profile the group shares are never written through a symlink another member
 * of the group put there: appending a record, or writing a file anew.
 */
import assert from "node:assert/strict";
import { chmodSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { appendLine, writeFresh } from "../../src/log/mod.ts";
import { tempDir } from "../_helpers/temp_dirs.ts";

function sharedLogDir(): { log: string; victim: string } {
  const root = tempDir("qmvc-shared-files-");
  const log = join(root, "log");
  mkdirSync(log);
  chmodSync(log, 0o2770);
  const victim = join(root, "dot-qmail");
  writeFileSync(victim, "./Maildir/\n");
  return { log, victim };
}

Deno.test("appendLine() in a group-writable log folder refuses a symlinked log, leaving its target alone", () => {
  const { log, victim } = sharedLogDir();
  symlinkSync(victim, join(log, "qmvc.log"));
  assert.throws(() => appendLine(join(log, "qmvc.log"), "a record\n"), /ELOOP|symbolic link/i);
  assert.equal(readFileSync(victim, "utf8"), "./Maildir/\n");
});

Deno.test("appendLine() in a private log folder follows the admin's own symlinked log", () => {
  const { log, victim } = sharedLogDir();
  chmodSync(log, 0o700);
  symlinkSync(victim, join(log, "qmvc.log"));
  appendLine(join(log, "qmvc.log"), "a record\n");
  assert.equal(readFileSync(victim, "utf8"), "./Maildir/\na record\n");
});

Deno.test("writeFresh() replaces a symlink at its name with a new file, leaving the target alone", () => {
  const { log, victim } = sharedLogDir();
  const marker = join(log, "qmvc.rotating.archived-2026-10");
  symlinkSync(victim, marker);
  writeFresh(marker, "archive.zip\n");
  assert.equal(readFileSync(victim, "utf8"), "./Maildir/\n");
  assert.equal(readFileSync(marker, "utf8"), "archive.zip\n");
});

Deno.test("appendLine() makes a missing log folder, shared under a group-shared profile and private under a private one", () => {
  for (
    const [profileMode, folderMode, fileMode] of [[0o2770, 0o2770, 0o660], [0o700, 0o700, 0o600]]
  ) {
    const profile = tempDir("qmvc-new-log-");
    chmodSync(profile, profileMode!);
    const path = join(profile, "log", "qmvc.log");
    appendLine(path, "a record\n");
    appendLine(path, "another\n");
    assert.equal(readFileSync(path, "utf8"), "a record\nanother\n");
    assert.equal(
      statSync(join(profile, "log")).mode & 0o7777,
      folderMode,
      profileMode!.toString(8),
    );
    assert.equal(statSync(path).mode & 0o777, fileMode, profileMode!.toString(8));
  }
});
