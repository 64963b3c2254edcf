/** Office and RTF documents through dist/qmvc with the built-in control files. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseIncidentRecord, parseLogRecord } from "../../src/log/mod.ts";
import { deliverToSite, fixture, makeSite, readLogLines } from "../_helpers/qmail_local.ts";

Deno.test("|qmvc -n: an RTF carrying an executable in a Package object is quarantined", async () => {
  const site = makeSite();
  const result = await deliverToSite(site, fixture("attach_rtf_package_exe.eml"));
  assert.equal(result.code, 99, result.stderr);
  const incident = parseIncidentRecord(
    readFileSync(join(site.system, "log/qmvc.rep"), "utf8").trim(),
  );
  assert.deepEqual(
    incident.matches.filter((m) => m.condition === "badloadertype").map((m) => m.evidence),
    ['pe (exe, packaged "invoice.exe")'],
  );
});

Deno.test("|qmvc -n: a Word 97 document with a password to open is unchecked", async () => {
  const site = makeSite();
  const result = await deliverToSite(site, fixture("attach_doc_encrypted.eml"));
  assert.equal(result.code, 99, result.stderr);
  const record = parseLogRecord(readLogLines(site.system)[0]!);
  assert.deepEqual(record.conditions, ["unchecked"]);
});
