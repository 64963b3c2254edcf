/** Text rules through the binary (Bun) on words split by characters a reader does not see. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseIncidentRecord } from "../../src/log/mod.ts";
import { deliverToSite, fixture, makeSite, writeControl } from "../_helpers/qmail_local.ts";

Deno.test("|qmvc -n: badbodytexts and badsubjects see through soft hyphens and zero-width spaces", async () => {
  const site = makeSite();
  writeControl(site.system, "filters", "body=y\nnotify-recipient=n\nnotify-admin=n\n");
  writeControl(site.system, "badbodytexts", "*wire money*\n");
  const result = await deliverToSite(site, fixture("body_invisible_characters.eml"));
  assert.equal(result.code, 99, result.stderr);
  const record = parseIncidentRecord(
    readFileSync(join(site.system, "log/qmvc.rep"), "utf8").trim(),
  );
  assert.deepEqual(
    record.matches.map((m) => [m.condition, m.part, m.evidence]),
    [
      ["badsubject", "0", "I\u00adLOVE\u200bYOU"],
      ["badbody", "1", "*wire money*"],
    ],
  );
});
