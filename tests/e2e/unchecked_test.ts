/**
 * Fail closed, through qmail-local's way of running dist/qmvc with the built-in control
 * files: what qmvc could not inspect is quarantined as `unchecked`, and an archive that
 * one reader would refuse is still looked into.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseIncidentRecord, parseLogRecord } from "../../src/log/mod.ts";
import {
  deliverToSite,
  fixture,
  listMaildir,
  makeSite,
  readLogLines,
} from "../_helpers/qmail_local.ts";

async function deliverWithDefaults(name: string) {
  const site = makeSite();
  const result = await deliverToSite(site, fixture(name));
  const record = parseLogRecord(readLogLines(site.system)[0]!);
  const incident = parseIncidentRecord(
    readFileSync(join(site.system, "log/qmvc.rep"), "utf8").trim(),
  );
  const quarantined = listMaildir(join(site.system, "quarantine"));
  return { result, record, incident, quarantined };
}

Deno.test("|qmvc -n: an encrypted zip is unchecked and quarantined (exit 99)", async () => {
  const d = await deliverWithDefaults("attach_zip_encrypted.eml");
  assert.equal(d.result.code, 99, d.result.stderr);
  assert.equal(d.record.verdict, "quarantine");
  assert.deepEqual(d.record.conditions, ["unchecked"]);
  assert.deepEqual(d.incident.matches.map((m) => [m.condition, m.evidence]), [
    ["unchecked", "ARCHIVE_ENCRYPTED: hello.txt"],
  ]);
  assert.equal(d.quarantined.length, 1);
});

Deno.test("|qmvc -n: a zip with a member named ../x still shows the .exe beside it", async () => {
  const d = await deliverWithDefaults("attach_zip_unsafe_member_name.eml");
  assert.equal(d.result.code, 99, d.result.stderr);
  assert.deepEqual(d.record.conditions, ["badfilename", "badmimetype", "badloadertype"]);
  const evidence = d.incident.matches.map((m) => `${m.condition} ${m.evidence}`);
  assert.ok(evidence.includes("badfilename invoice.exe"), evidence.join("\n"));
  assert.ok(evidence.includes("badloadertype invoice.exe: pe (exe)"), evidence.join("\n"));
  assert.equal(d.quarantined.length, 1);
});

Deno.test("|qmvc -n: a message of 1001 parts is unchecked and quarantined", async () => {
  const d = await deliverWithDefaults("mime_1001_parts.eml");
  assert.equal(d.result.code, 99, d.result.stderr);
  assert.deepEqual(d.record.conditions, ["unchecked"]);
  assert.deepEqual(d.incident.matches.map((m) => m.evidence), [
    "MIME_TOO_MANY_PARTS: more than 1000 parts",
  ]);
});

Deno.test("|qmvc -n: a password-protected Word document is unchecked and quarantined", async () => {
  const d = await deliverWithDefaults("attach_docx_encrypted.eml");
  assert.equal(d.result.code, 99, d.result.stderr);
  assert.deepEqual(d.record.conditions, ["unchecked"]);
  assert.deepEqual(d.incident.matches.map((m) => m.evidence), [
    "DOCUMENT_ENCRYPTED: contract.docx",
  ]);
});
