/**
 * Reactions: who is told, in which language, and when nobody is (spec section 5). Each
 * notification is read back from the test injector's Maildir and parsed.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { headerValue } from "../../src/message/mod.ts";
import { parseIncidentRecord } from "../../src/log/mod.ts";
import {
  deliver,
  deliverToSite,
  fixture,
  makeSite,
  readInjected,
  useTestInjector,
  writeControl,
} from "../_helpers/qmail_local.ts";
import { ONLY_ADMIN, ONLY_RECIPIENT, ONLY_SENDER, run } from "../_helpers/notifications.ts";

Deno.test("notify-recipient=y: the recipient gets one RFC 5322 notification from the null sender", async () => {
  const { code, sent } = await run({ filters: ONLY_RECIPIENT });
  assert.equal(code, 99);
  assert.equal(sent.length, 1);
  const [note] = sent;
  assert.equal(note!.from, "");
  assert.deepEqual(note!.to, ["bob@example.org"]);
  const h = note!.mail.headers;
  assert.equal(headerValue(h, "to"), "bob@example.org");
  assert.equal(headerValue(h, "auto-submitted"), "auto-generated");
  assert.match(headerValue(h, "x-qmvc-notification") ?? "", /^recipient; mac=[\w-]{32}$/);
  assert.equal(headerValue(h, "mime-version"), "1.0");
  assert.match(headerValue(h, "message-id") ?? "", /^<\d+\.[\w-]{12}\.qmvc@example\.org>$/);
  assert.match(
    headerValue(h, "date") ?? "",
    /^[A-Z][a-z]{2}, \d{1,2} [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d \+0000$/,
  );
  assert.equal(note!.mail.subject, "[qmvc] A message to you was quarantined: ILOVEYOU");
  assert.match(note!.text, /^ {2}badsubject: ILOVEYOU$/m);
  assert.match(note!.text, /^The message was put into quarantine and was not delivered\.$/m);
  assert.deepEqual(note!.mail.defects, []);
});

Deno.test("notify-sender=y: the sender is told, in the sender template", async () => {
  const { sent } = await run({ filters: ONLY_SENDER, sender: "someone@example.com" });
  assert.equal(sent.length, 1);
  assert.deepEqual(sent[0]!.to, ["someone@example.com"]);
  assert.equal(sent[0]!.mail.subject, "[qmvc] Your message was quarantined: ILOVEYOU");
});

Deno.test("notify-admin=y: all admins get one message together, with the original header", async () => {
  const { sent } = await run({
    filters: ONLY_ADMIN,
    admins: "postmaster@example.org\nsecurity@example.org\n",
  });
  assert.equal(sent.length, 1);
  assert.deepEqual(sent[0]!.to, ["postmaster@example.org", "security@example.org"]);
  assert.equal(
    headerValue(sent[0]!.mail.headers, "to"),
    "postmaster@example.org, security@example.org",
  );
  assert.match(sent[0]!.text, /^Original header:\nFrom: Someone <someone@example.com>$/m);
});

Deno.test("notify-admin=y with an empty admins file sends nothing and records why", async () => {
  const { sent, site } = await run({ filters: ONLY_ADMIN });
  assert.equal(sent.length, 0);
  const incident = parseIncidentRecord(
    readFileSync(join(site.system, "log/qmvc.rep"), "utf8").trim(),
  );
  assert.deepEqual(incident.reactions, [{
    reaction: "notify-admin",
    to: [],
    outcome: "suppressed: admins lists no address",
  }]);
});

Deno.test("language=de: the notification uses the German template", async () => {
  const { sent } = await run({ filters: `${ONLY_RECIPIENT}language=de\n` });
  assert.equal(
    sent[0]!.mail.subject,
    "[qmvc] Eine Nachricht an Sie wurde in Quarant\u00e4ne gestellt: ILOVEYOU",
  );
  assert.match(
    sent[0]!.text,
    /^Die Nachricht wurde in Quarant\u00e4ne gestellt und nicht zugestellt\.$/m,
  );
});

Deno.test("languages: a recipient pattern picks the language; an unknown language falls back to en", async () => {
  const fr = await run({ filters: ONLY_RECIPIENT, languages: "*@example.org=fr\n" });
  assert.match(
    fr.sent[0]!.mail.subject,
    /^\[qmvc\] Un message qui vous \u00e9tait destin\u00e9 a \u00e9t\u00e9 mis en quarantaine/,
  );
  const unknown = await run({ filters: `${ONLY_RECIPIENT}language=pt\n` });
  assert.equal(unknown.sent[0]!.mail.subject, "[qmvc] A message to you was quarantined: ILOVEYOU");
});

for (
  const [name, sender] of [
    ["the null sender", ""],
    ["MAILER-DAEMON", "MAILER-DAEMON@example.com"],
    ["#@[]", "#@[]"],
  ]
) {
  Deno.test(`notify-sender=y: nothing is sent to ${name}`, async () => {
    const { code, sent, site } = await run({ filters: ONLY_SENDER, sender: sender! });
    assert.equal(code, 99);
    assert.equal(sent.length, 0);
    const incident = parseIncidentRecord(
      readFileSync(join(site.system, "log/qmvc.rep"), "utf8").trim(),
    );
    assert.match(incident.reactions[0]!.outcome, /^suppressed: sender ".*" takes no mail \(.+\)$/);
  });
}

const BULK_HEADERS = [
  ["Precedence: bulk", "Precedence: bulk"],
  ["Precedence: list", "Precedence: list"],
  ["List-Id: <news.example.com>", "List-Id present"],
  ["Auto-Submitted: auto-replied", "Auto-Submitted: auto-replied"],
] as const;

for (const [header, why] of BULK_HEADERS) {
  Deno.test(`notify-sender=y: mail with "${header}" gets no sender notification`, async () => {
    const raw = readFileSync(fixture("subject_iloveyou.eml"), "utf8").replace(
      "Subject:",
      `${header}\nSubject:`,
    );
    const { sent, site } = await run({ filters: ONLY_SENDER, sender: "someone@example.com", raw });
    assert.equal(sent.length, 0);
    const incident = parseIncidentRecord(
      readFileSync(join(site.system, "log/qmvc.rep"), "utf8").trim(),
    );
    assert.equal(incident.reactions[0]!.outcome, `suppressed: ${why}`);
  });
}

Deno.test("all three reactions on: one notification per party, never more", async () => {
  const { sent } = await run({
    filters: "notify-recipient=y\nnotify-sender=y\nnotify-admin=y\n",
    admins: "postmaster@example.org\n",
    sender: "someone@example.com",
    message: "attach_six_bad_names.eml",
  });
  assert.deepEqual(
    sent.map((s) => headerValue(s.mail.headers, "x-qmvc-notification")?.split(";")[0]).sort(),
    [
      "admin",
      "recipient",
      "sender",
    ],
  );
});

Deno.test("a subject with CR/LF cannot inject header fields into a notification", async () => {
  const { sent } = await run({ filters: ONLY_RECIPIENT, message: "subject_crlf_injection.eml" });
  assert.equal(sent.length, 1);
  const note = sent[0]!;
  assert.equal(headerValue(note.mail.headers, "bcc"), undefined);
  assert.equal(note.mail.headers.filter((h) => /^bcc$/i.test(h.name)).length, 0);
  // The control characters are shown, escaped, so the reader sees what was attempted.
  assert.equal(
    note.mail.subject,
    "[qmvc] A message to you was quarantined: ILOVEYOU\\u{000D}\\u{000A}Bcc: victim@example.com\\u{000D}\\u{000A}<script>",
  );
});

Deno.test("a failing injector never costs the message: quarantine stands (99), the failure is reported", async () => {
  const site = makeSite();
  writeControl(site.system, "qmailinject", "/bin/false\n");
  writeControl(site.system, "filters", ONLY_RECIPIENT);
  const result = await deliverToSite(site, fixture("subject_iloveyou.eml"));
  assert.equal(result.code, 99);
  assert.match(
    result.stderr,
    /^qmvc: notify-recipient to bob@example.org failed: \/bin\/false exited 1; the message itself was handled\n$/,
  );
  const incident = parseIncidentRecord(
    readFileSync(join(site.system, "log/qmvc.rep"), "utf8").trim(),
  );
  assert.equal(incident.reactions[0]!.outcome, "failed: /bin/false exited 1");
});

Deno.test("|qmvc -c BASEDIR -v-: the notification goes to the real address of a virtual-domain account", async () => {
  const site = makeSite();
  const base = join(site.root, "example.org");
  const outbox = useTestInjector(base);
  writeControl(base, "filters", ONLY_RECIPIENT);
  const result = await deliver({
    line: `qmvc -n -c ${base} -v-`,
    message: fixture("subject_iloveyou.eml"),
    home: site.home,
    recipient: "example-info@example.org",
    env: { QMVC_HOME: site.system, USER: "example" },
  });
  assert.equal(result.code, 99, result.stderr);
  assert.deepEqual(readInjected(outbox)[0]!.to, ["info@example.org"]);
});
