/**
 * The scanner verdict cache lives in the profile's cache/, which every user of a shared
 * (group-writable) profile may write: an entry is taken only from this user, and writing
 * one never follows a name another user placed there.
 */
import assert from "node:assert/strict";
import { chownSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { VerdictCache } from "../../src/scan/mod.ts";
import type { ScannerOutcome } from "../../src/rules/mod.ts";
import { tempDir } from "../_helpers/temp_dirs.ts";

const NOW = new Date("2026-11-25T10:00:00Z");
const CLEAN: ScannerOutcome[] = [{ scanner: "clamd", result: { kind: "clean" }, milliseconds: 3 }];
const KEY = VerdictCache.key(new TextEncoder().encode("the message"), "[]");

Deno.test({
  name: "verdict cache: a verdict another user of the shared cache/ wrote is not taken",
  ignore: Deno.uid() !== 0, // giving a file to another user needs root
  fn() {
    const dir = tempDir("qmvc-verdicts-");
    const entry = join(dir, `${KEY}.json`);
    writeFileSync(entry, JSON.stringify({ time: NOW.getTime(), outcomes: CLEAN }), { mode: 0o644 });
    chownSync(entry, 65533, 65533);
    assert.equal(new VerdictCache(dir, () => NOW).get(KEY), undefined);
  },
});

Deno.test("verdict cache: a verdict others may write is not taken", () => {
  const dir = tempDir("qmvc-verdicts-");
  const cache = new VerdictCache(dir, () => NOW);
  cache.put(KEY, CLEAN);
  assert.deepEqual(cache.get(KEY), CLEAN, "this user's own entry is used");
  Deno.chmodSync(join(dir, `${KEY}.json`), 0o666);
  assert.equal(cache.get(KEY), undefined);
});

Deno.test("verdict cache: writing does not follow a symlink placed at its temporary name", () => {
  const dir = tempDir("qmvc-verdicts-");
  const victim = join(tempDir("qmvc-home-"), ".qmail");
  writeFileSync(victim, "./Maildir/\n");
  symlinkSync(victim, join(dir, `.${KEY}.${Deno.pid}.tmp`));
  new VerdictCache(dir, () => NOW).put(KEY, CLEAN);
  assert.equal(readFileSync(victim, "utf8"), "./Maildir/\n");
});
