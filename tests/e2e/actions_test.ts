/**
 * Each condition under each action, through qmail-local's way of running qmvc: the exit
 * code, stdout, the quarantine Maildir, forwarded copies (parsed back), the log line and
 * the incident record.
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseIncidentRecord, parseLogRecord } from "../../src/log/mod.ts";
import { parseMessage } from "../../src/message/mod.ts";
import {
  ACTION_EXIT,
  deliver,
  deliverToSite,
  fixture,
  listMaildir,
  makeSite,
  readInjected,
  readLogLines,
  useTestInjector,
  writeControl,
} from "../_helpers/qmail_local.ts";

const CONDITIONS = [
  {
    condition: "errormail",
    group: "errormail",
    fixture: "header_separator_missing.eml",
    checks: "",
  },
  { condition: "spammail", group: "spammail", fixture: "spam_flagged.eml", checks: "spam=y" },
  {
    condition: "unchecked",
    group: "uncheckedmail",
    fixture: "attach_zip_encrypted.eml",
    checks: "",
  },
  { condition: "badsubject", group: "badmail", fixture: "subject_iloveyou.eml", checks: "" },
  { condition: "badbody", group: "badmail", fixture: "body_bad_text.eml", checks: "body=y" },
  { condition: "badfilename", group: "badmail", fixture: "attach_text_named_exe.eml", checks: "" },
  {
    condition: "badmimetype",
    group: "badmail",
    fixture: "attach_declared_msdownload.eml",
    checks: "",
  },
  { condition: "badloadertype", group: "badmail", fixture: "attach_msi_named_dat.eml", checks: "" },
  { condition: "virusbomb", group: "virusmail", fixture: "attach_six_bad_names.eml", checks: "" },
] as const;

for (const c of CONDITIONS) {
  for (const action of Object.keys(ACTION_EXIT) as (keyof typeof ACTION_EXIT)[]) {
    Deno.test(`|qmvc -n: ${c.condition} with ${c.group}=${action} exits ${ACTION_EXIT[action]}`, async () => {
      const site = makeSite();
      const outbox = useTestInjector(site.system);
      writeControl(
        site.system,
        "filters",
        `${c.checks}\n${c.group}=${action}\nnotify-recipient=n\nnotify-admin=n\n`,
      );
      writeControl(site.system, "badbodytexts", "wire the money\n");
      writeControl(site.system, "forwardto", "abuse@example.org\n");
      const message = fixture(c.fixture);
      const result = await deliver({
        line: "qmvc -n",
        message,
        home: site.home,
        env: { QMVC_HOME: site.system },
      });
      assert.equal(result.code, ACTION_EXIT[action], result.stderr);

      const record = parseLogRecord(readLogLines(site.system)[0]!);
      assert.equal(record.verdict, action);
      assert.ok(record.conditions.includes(c.condition), `conditions ${record.conditions}`);

      const incident = parseIncidentRecord(
        readFileSync(join(site.system, "log/qmvc.rep"), "utf8").trim(),
      );
      assert.equal(incident.action, action);
      assert.ok(incident.matches.some((m) => m.condition === c.condition));

      const quarantined = listMaildir(join(site.system, "quarantine"));
      assert.equal(quarantined.length, action === "quarantine" ? 1 : 0);
      if (action === "quarantine") {
        assert.deepEqual(readFileSync(quarantined[0]!), readFileSync(message));
      }
      assert.equal(incident.quarantined, action === "quarantine" ? quarantined[0] : undefined);

      const injected = readInjected(outbox);
      assert.equal(injected.length, action === "forward" ? 1 : 0);
      if (action === "forward") {
        assert.deepEqual(injected[0]!.to, ["abuse@example.org"]);
        assert.equal(injected[0]!.from, "");
        const forwarded = await parseMessage(injected[0]!.message);
        assert.match(
          forwarded.subject,
          new RegExp(`^\\[qmvc\\] Forwarded \\(.*${c.condition}.*\\)`),
        );
        const inner = forwarded.innerMessages[0];
        assert.ok(inner, "the original is attached as message/rfc822");
        assert.equal(inner.path, "2");
      }
      assert.equal(
        result.stdout,
        action === "bounce"
          ? `Message refused by qmvc: ${record.conditions.join(", ")} (#5.7.1)\n`
          : "",
      );
    });
  }
}

Deno.test("|qmvc -n: badmail=forward with a failing injector defers (111) and logs defer", async () => {
  const site = makeSite();
  writeControl(site.system, "qmailinject", "/bin/false\n");
  writeControl(site.system, "filters", "badmail=forward\n");
  writeControl(site.system, "forwardto", "abuse@example.org\n");
  const result = await deliverToSite(site, fixture("subject_iloveyou.eml"));
  assert.equal(result.code, 111);
  assert.match(result.stderr, /Unable to forward to abuse@example.org: \/bin\/false exited 1/);
  assert.equal(parseLogRecord(readLogLines(site.system)[0]!).verdict, "defer");
});

Deno.test("|qmvc -n: badmail=forward without forwardto is a configuration error (111)", async () => {
  const site = makeSite();
  writeControl(site.system, "filters", "badmail=forward\n");
  const result = await deliverToSite(site, fixture("clean_plain.eml"));
  assert.equal(result.code, 111);
  assert.match(
    result.stderr,
    /forwardto: badmail=forward in .*filters needs an address here: add one, or choose another action/,
  );
});

Deno.test("|qmvc -n: the incident record carries parts, evidence and the rule that matched", async () => {
  const site = makeSite();
  writeControl(site.system, "filters", "notify-recipient=n\n");
  await deliverToSite(site, fixture("attach_msi_named_dat.eml"));
  const incident = parseIncidentRecord(
    readFileSync(join(site.system, "log/qmvc.rep"), "utf8").trim(),
  );
  assert.deepEqual(incident.conditions, ["badloadertype"]);
  assert.equal(incident.messageId, "<loader.1@example.net>");
  assert.equal(incident.parts[0]?.filename, "setup.dat");
  assert.equal(incident.parts[0]?.loaderType, "msi (installer)");
  assert.match(incident.parts[0]?.sha256 ?? "", /^[0-9a-f]{64}$/);
  assert.deepEqual(incident.matches[0]?.rule, {
    file: "control/badloadertypes",
    line: 10,
    pattern: "msi",
  });
  assert.match(incident.header, /^From: Alice Example <alice@example.net>$/m);
});

Deno.test("|qmvc -n: a text rule finds its phrase far into a large body, read a piece at a time", async () => {
  // Over 64 KiB of text is folded in pieces, with a turn of the event loop between them.
  const site = makeSite();
  writeControl(
    site.system,
    "filters",
    "body=y\nbadmail=trash\nnotify-recipient=n\nnotify-admin=n\n",
  );
  writeControl(site.system, "badbodytexts", "wire the money\n");
  const filler = "The quarterly figures are attached as agreed last week.\n".repeat(6_000);
  const message = join(site.root, "long_body.eml");
  writeFileSync(
    message,
    "From: alice@example.net\nTo: bob@example.org\nSubject: figures\n" +
      "Date: Tue, 24 Nov 2026 09:12:44 +0100\nMessage-ID: <long@example.net>\n\n" +
      `${filler}Please wire the money today.\n`,
  );
  const result = await deliverToSite(site, message);
  assert.equal(result.code, ACTION_EXIT.trash, result.stderr);
  const record = parseLogRecord(readLogLines(site.system)[0]!);
  assert.deepEqual([record.verdict, record.conditions], ["trash", ["badbody"]]);
});
