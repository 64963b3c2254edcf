/**
 * `qmvc scanners --check` proves each scanner end to end with the EICAR test file,
 * every clamd endpoint on its own, against real ClamAV with a test-written database.
 */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { eicarTestFile } from "../../src/scan/test_virus.ts";
import { CLAMSCAN, EICAR, HAVE_CLAMAV, startClamd, writeSignatureDb } from "../_helpers/clamav.ts";
import { makeSite, runQmvc, writeControl } from "../_helpers/qmail_local.ts";
import { tempDir } from "../_helpers/temp_dirs.ts";

const opts = { ignore: !HAVE_CLAMAV, sanitizeResources: false, sanitizeOps: false };
const clamd = HAVE_CLAMAV ? await startClamd() : undefined;

async function check(scanners: string) {
  const site = makeSite();
  writeControl(site.system, "scanners", scanners);
  return await runQmvc(["scanners", "--check"], { QMVC_HOME: site.system });
}

Deno.test("the built-in EICAR test file is the official one, though the binary never holds it", () => {
  assert.equal(new TextDecoder().decode(eicarTestFile()), EICAR);
});

Deno.test({
  ...opts,
  name:
    "qmvc scanners --check: a dead first clamd endpoint is reported, not hidden by a live second",
  fn: async () => {
    const { code, stdout } = await check(
      `clamd endpoint=/nonexistent/clamd.sock endpoint=${clamd!.socket}\n`,
    );
    assert.equal(code, 1);
    assert.match(stdout, /^clamd \/nonexistent\/clamd\.sock: FAILED: .*no clamd reachable/m);
    assert.match(
      stdout,
      new RegExp(
        `^clamd ${clamd!.socket}: ok: ClamAV .*; EICAR test file found as Qmvc-Test-EICAR`,
        "m",
      ),
    );
  },
});

Deno.test({
  ...opts,
  name:
    "qmvc scanners --check: clamdscan with no reachable clamd fails, though it prints a version",
  fn: async () => {
    const dir = mkdtempSync(join(tempDir(), "conf-"));
    const conf = join(dir, "clamd.conf");
    writeFileSync(conf, "LocalSocket /nonexistent/clamd.sock\n");
    const { code, stdout } = await check(`clamdscan -- --config-file=${conf}\n`);
    assert.equal(code, 1);
    assert.match(stdout, /^clamdscan: FAILED: .*scanning the EICAR test file failed/m);
  },
});

Deno.test({
  ...opts,
  name: "qmvc scanners --check: a scanner whose signatures miss the test virus fails",
  fn: async () => {
    const good = await check(`clamscan path=${CLAMSCAN} -- --database=${writeSignatureDb()}\n`);
    assert.equal(good.code, 0, good.stdout);
    assert.match(good.stdout, /^clamscan \S+: ok: .*EICAR test file found as/m);
    const db = tempDir();
    writeFileSync(join(db, "other.ndb"), "Qmvc-Test-Other:0:*:717576767878797a\n");
    const blind = await check(`clamscan path=${CLAMSCAN} -- --database=${db}\n`);
    assert.equal(blind.code, 1);
    assert.match(blind.stdout, /did not find the EICAR test file: its signatures are missing/);
  },
});

Deno.test({
  ...opts,
  name: "stop the scanners --check clamd",
  fn: async () => await clamd?.stop(),
});
