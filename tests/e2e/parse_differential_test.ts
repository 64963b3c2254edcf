/**
 * Parse differentials through dist/qmvc with the built-in control files: a Content-Type
 * that reads as text to one parser and as a multipart to another does not hide the
 * executable inside.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseIncidentRecord, parseLogRecord } from "../../src/log/mod.ts";
import { deliverToSite, fixture, makeSite, readLogLines } from "../_helpers/qmail_local.ts";

for (
  const name of ["mime_content_type_control_char.eml", "mime_content_type_duplicate.eml"]
) {
  Deno.test(`|qmvc -n: ${name} is quarantined for the PE its multipart reading holds`, async () => {
    const site = makeSite();
    const result = await deliverToSite(site, fixture(name));
    assert.equal(result.code, 99, result.stderr);
    const record = parseLogRecord(readLogLines(site.system)[0]!);
    assert.equal(record.verdict, "quarantine");
    assert.ok(record.conditions.includes("badloadertype"), `${record.conditions}`);
    const incident = parseIncidentRecord(
      readFileSync(join(site.system, "log/qmvc.rep"), "utf8").trim(),
    );
    const pe = incident.matches.find((m) => m.condition === "badloadertype");
    assert.deepEqual([pe?.part, pe?.evidence], ["1.alt.2", "pe (exe)"]);
  });
}
