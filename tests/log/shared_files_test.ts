/**
 * Files in a profile the group shares are never written through a symlink another member
 * of the group put there: appending a record, or writing a file anew.
 */
import assert from "node:assert/strict";
import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
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
