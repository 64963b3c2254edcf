/** Archives inside archives, through dist/qmvc with the built-in control files. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseIncidentRecord, parseLogRecord } from "../../src/log/mod.ts";
import {
  deliverToSite,
  fixture,
  makeSite,
  readLogLines,
  writeControl,
} from "../_helpers/qmail_local.ts";

Deno.test("|qmvc -n: an executable in a tar.gz in a zip is found and quarantined", async () => {
  const site = makeSite();
  const result = await deliverToSite(site, fixture("attach_zip_tgz_exe.eml"));
  assert.equal(result.code, 99, result.stderr);
  const record = parseLogRecord(readLogLines(site.system)[0]!);
  assert.deepEqual(record.conditions, ["badfilename", "badmimetype", "badloadertype"]);
  const incident = parseIncidentRecord(
    readFileSync(join(site.system, "log/qmvc.rep"), "utf8").trim(),
  );
  assert.ok(
    incident.matches.some((m) =>
      m.condition === "badloadertype" && m.evidence === "bundle.tgz/setup.exe: pe (exe)"
    ),
    JSON.stringify(incident.matches),
  );
});

Deno.test("|qmvc -n: an executable in a 7z archive is found and quarantined", async () => {
  const site = makeSite();
  const result = await deliverToSite(site, fixture("attach_7z_exe.eml"));
  assert.equal(result.code, 99, result.stderr);
  const incident = parseIncidentRecord(
    readFileSync(join(site.system, "log/qmvc.rep"), "utf8").trim(),
  );
  assert.ok(
    incident.matches.some((m) =>
      m.condition === "badloadertype" && m.evidence === "setup.exe: pe (exe)"
    ),
    JSON.stringify(incident.matches),
  );
});

Deno.test("|qmvc -n: a 7z with encrypted names is unchecked and quarantined", async () => {
  const site = makeSite();
  const result = await deliverToSite(site, fixture("attach_7z_encrypted_names.eml"));
  assert.equal(result.code, 99, result.stderr);
  assert.deepEqual(parseLogRecord(readLogLines(site.system)[0]!).conditions, ["unchecked"]);
});

Deno.test("|qmvc -n: 7-Zip's failing status does not leak into qmvc's exit code (uncheckedmail=pass exits 0)", async () => {
  const site = makeSite();
  writeControl(site.system, "filters", "uncheckedmail=pass\n");
  const result = await deliverToSite(site, fixture("attach_7z_encrypted_names.eml"));
  assert.equal(result.code, 0, result.stderr);
  const record = parseLogRecord(readLogLines(site.system)[0]!);
  assert.equal(record.verdict, "pass");
  assert.deepEqual(record.conditions, ["unchecked"]);
});
