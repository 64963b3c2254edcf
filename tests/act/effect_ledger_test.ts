import assert from "node:assert/strict";
import { readdirSync, readFileSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { EffectLedger, LEDGER_RETENTION_DAYS } from "../../src/act/mod.ts";
import { tempDir } from "../_helpers/temp_dirs.ts";

const NOW = new Date("2026-11-25T12:00:00Z");
const HASH = EffectLedger.hashMessage("alice@example.net", new TextEncoder().encode("x"));

Deno.test("EffectLedger.claim() lets one claimant go ahead, and no one after it", () => {
  const dir = tempDir();
  const ledgers = Array.from({ length: 20 }, () => new EffectLedger(dir, HASH, NOW));
  const won = ledgers.map((l) => l.claim("notify-sender", "alice@example.net"));
  assert.equal(won.filter(Boolean).length, 1);
});

Deno.test("EffectLedger: a released claim can be claimed again", () => {
  const ledger = new EffectLedger(tempDir(), HASH, NOW);
  assert.equal(ledger.claim("notify-admin", "root@example.org"), true);
  ledger.release("notify-admin", "root@example.org");
  assert.equal(ledger.claim("notify-admin", "root@example.org"), true);
});

Deno.test("EffectLedger: a record is found on a retry days later, and not for another sender", () => {
  const dir = tempDir();
  new EffectLedger(dir, HASH, NOW).record("quarantine", "bob@example.org", "/q/new/1");
  const later = new Date(NOW.getTime() + 6 * 86_400_000);
  assert.equal(
    new EffectLedger(dir, HASH, later).find("quarantine", "bob@example.org"),
    "/q/new/1",
  );
  const other = EffectLedger.hashMessage("mallory@example.net", new TextEncoder().encode("x"));
  assert.equal(
    new EffectLedger(dir, other, later).find("quarantine", "bob@example.org"),
    undefined,
  );
});

Deno.test("EffectLedger removes day folders past the retention when it writes", () => {
  const dir = tempDir();
  new EffectLedger(dir, HASH, NOW).record("forward", "bob@example.org", "injected");
  const much_later = new Date(NOW.getTime() + (LEDGER_RETENTION_DAYS + 1) * 86_400_000);
  const ledger = new EffectLedger(dir, HASH, much_later);
  assert.equal(ledger.find("forward", "bob@example.org"), undefined);
  ledger.record("forward", "carol@example.org", "injected");
  assert.deepEqual(readdirSync(dir), [join("20261204")]);
});

Deno.test("EffectLedger.record() does not write through a symlink another user put in its place", () => {
  // cache/effects/ of a shared profile is writable by every user of its group.
  const dir = tempDir();
  const ledger = new EffectLedger(dir, HASH, NOW);
  ledger.record("quarantine", "bob@example.org", "/q/new/1");
  const [day] = readdirSync(dir);
  const [name] = readdirSync(join(dir, day!));
  const victim = join(tempDir(), ".qmail");
  writeFileSync(victim, "./Maildir/\n");
  unlinkSync(join(dir, day!, name!));
  symlinkSync(victim, join(dir, day!, name!));
  try {
    ledger.record("quarantine", "bob@example.org", "/q/new/2");
  } catch { /* refusing is fine: the caller reports it and goes on */ }
  assert.equal(readFileSync(victim, "utf8"), "./Maildir/\n");
});
