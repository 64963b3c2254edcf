/**
 * Notifications and forwards can never be turned against anyone (DESIGN invariants 8
 * and 10). Each test is an attack that worked on the first release, driven through the
 * built binary the way qmail-local drives it; what qmvc submits is caught by a
 * qmail-inject stand-in that reads its arguments by qmail-inject's own getopt rules.
 */
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseIncidentRecord } from "../../src/log/mod.ts";
import { headerValue, parseMessage } from "../../src/message/mod.ts";
import {
  deliverTo,
  makeNotifyingSite,
  ONLY_ADMIN,
  ONLY_RECIPIENT,
  ONLY_SENDER,
  readSent,
  run,
} from "../_helpers/notifications.ts";
import { fixture, listMaildir, readLogLines } from "../_helpers/qmail_local.ts";

const ATTACK = "-hfbounce@evil.example, victim1@a.example, victim2@b.example, y@example.org";
const EVERYONE = "notify-recipient=y\nnotify-sender=y\nnotify-admin=y\n";

function incidents(system: string) {
  try {
    return readFileSync(join(system, "log/qmvc.rep"), "utf8").trim().split("\n").filter(Boolean)
      .map(parseIncidentRecord);
  } catch {
    return [];
  }
}

Deno.test("RECIPIENT holding options and an address list: nothing is sent to anyone it names", async () => {
  const { code, sent, site } = await run({ filters: ONLY_RECIPIENT, recipient: ATTACK });
  assert.equal(code, 99);
  assert.deepEqual(sent, []);
  assert.match(
    incidents(site.system)[0]!.reactions[0]!.outcome,
    /^suppressed: recipient ".*" is not one mailbox$/,
  );
});

Deno.test("SENDER holding options and an address list: no sender notification, the message is still quarantined", async () => {
  const { code, sent, site } = await run({ filters: ONLY_SENDER, sender: ATTACK });
  assert.equal(code, 99);
  assert.deepEqual(sent, []);
  assert.equal(listMaildir(join(site.system, "quarantine")).length, 1);
  assert.match(
    incidents(site.system)[0]!.reactions[0]!.outcome,
    /^suppressed: sender ".*" is not one mailbox$/,
  );
});

Deno.test("a recipient mailbox that starts with '-' reaches qmail-inject as an address, never as an option", async () => {
  const { sent } = await run({ filters: ONLY_RECIPIENT, recipient: "-hfbounce@example.org" });
  assert.equal(sent.length, 1);
  assert.equal(sent[0]!.from, "");
  assert.deepEqual(sent[0]!.to, ["-hfbounce@example.org"]);
});

Deno.test("thirty local recipients of one message: the sender and the admins are told once, each recipient once", async () => {
  const site = makeNotifyingSite({ filters: EVERYONE, admins: "postmaster@example.org\n" });
  const recipients = Array.from({ length: 30 }, (_, i) => `user${i}@example.org`);
  for (const recipient of recipients) {
    const result = await deliverTo(site, { sender: "someone@example.com", recipient });
    assert.equal(result.code, 99);
  }
  const sent = await readSent(site.outbox);
  const to = (kind: string) =>
    sent.filter((s) => headerValue(s.mail.headers, "x-qmvc-notification")?.startsWith(kind));
  assert.equal(to("sender").length, 1);
  assert.equal(to("admin").length, 1);
  assert.deepEqual(to("recipient").map((s) => s.to[0]).sort(), recipients.sort());
});

Deno.test("a delivery retried after a 111 leaves one quarantine copy, one notification per party and one incident record", async () => {
  const site = makeNotifyingSite({ filters: EVERYONE, admins: "postmaster@example.org\n" });
  const rep = join(site.system, "log/qmvc.rep");
  mkdirSync(rep, { recursive: true }); // the incident record cannot be written: 111
  const first = await deliverTo(site, { sender: "someone@example.com" });
  assert.equal(first.code, 111);
  rmSync(rep, { recursive: true });
  const second = await deliverTo(site, { sender: "someone@example.com" });
  const third = await deliverTo(site, { sender: "someone@example.com" });
  assert.deepEqual([second.code, third.code], [99, 99]);
  assert.equal(listMaildir(join(site.system, "quarantine")).length, 1);
  const kinds = (await readSent(site.outbox)).map((s) =>
    headerValue(s.mail.headers, "x-qmvc-notification")?.split(";")[0]
  ).sort();
  assert.deepEqual(kinds, ["admin", "recipient", "sender"]);
  assert.equal(incidents(site.system).length, 1);
  assert.equal(readLogLines(site.system).filter((l) => l.includes("\tquarantine\t")).length, 2);
});

Deno.test("a retried forward is injected once", async () => {
  const site = makeNotifyingSite({
    filters: "badmail=forward\nnotify-recipient=n\nnotify-admin=n\n",
  });
  mkdirSync(join(site.system, "log/qmvc.rep"), { recursive: true });
  Deno.writeTextFileSync(join(site.system, "control/forwardto"), "security@example.org\n");
  assert.equal((await deliverTo(site)).code, 111);
  rmSync(join(site.system, "log/qmvc.rep"), { recursive: true });
  assert.equal((await deliverTo(site)).code, 99);
  assert.equal((await readSent(site.outbox)).length, 1);
});

const NO_REPLY_SENDERS = [
  ["postmaster", "postmaster@example.com", "a postmaster"],
  ["a quoted MAILER-DAEMON", '"Mailer-Daemon"@example.com', "a MAILER-DAEMON"],
  ["a list owner", "owner-news@lists.example.com", "a list owner (owner-*)"],
  [
    "a list request address",
    "news-request@lists.example.com",
    "a list request address (*-request)",
  ],
] as const;

for (const [name, sender, why] of NO_REPLY_SENDERS) {
  Deno.test(`notify-sender=y: nothing is sent to ${name} (RFC 3834)`, async () => {
    const { sent, site } = await run({ filters: ONLY_SENDER, sender });
    assert.deepEqual(sent, []);
    assert.equal(
      incidents(site.system)[0]!.reactions[0]!.outcome,
      `suppressed: sender ${JSON.stringify(sender)} takes no mail (${why})`,
    );
  });
}

const AUTOMATIC_HEADERS = [
  ["List-Unsubscribe: <mailto:leave@lists.example.com>", "List-Unsubscribe present"],
  ["X-Auto-Response-Suppress: All", "X-Auto-Response-Suppress present"],
  ["Auto-Submitted: auto-generated (by a robot)", "Auto-Submitted: auto-generated"],
  ["Precedence: junk (or so)", "Precedence: junk"],
] as const;

for (const [header, why] of AUTOMATIC_HEADERS) {
  Deno.test(`notify-sender=y: "${header}" gets no sender notification (RFC 3834)`, async () => {
    const raw = readFileSync(fixture("subject_iloveyou.eml"), "utf8").replace(
      "Subject:",
      `${header}\nSubject:`,
    );
    const { sent, site } = await run({ filters: ONLY_SENDER, sender: "someone@example.com", raw });
    assert.deepEqual(sent, []);
    assert.equal(incidents(site.system)[0]!.reactions[0]!.outcome, `suppressed: ${why}`);
  });
}

Deno.test("notify-sender=y: a second Precedence field saying bulk behind a comment counts", async () => {
  const { sent, site } = await run({
    filters: ONLY_SENDER,
    sender: "news@lists.example.com",
    message: "sender_bulk_in_second_precedence.eml",
  });
  assert.deepEqual(sent, []);
  assert.equal(incidents(site.system)[0]!.reactions[0]!.outcome, "suppressed: Precedence: bulk");
});

Deno.test("reflected content is bounded: subject cut to 200 characters, lines folded to 78, body lines under 998", async () => {
  const long = "ILOVEYOU " + "word ".repeat(400);
  const hugeHeader = Array.from({ length: 60 }, (_, i) => `X-Filler-${i}: ${"x".repeat(3000)}`)
    .join("\n");
  const raw = readFileSync(fixture("subject_iloveyou.eml"), "utf8")
    .replace("Subject: ILOVEYOU", `${hugeHeader}\nSubject: ${long}`);
  const { sent } = await run({ filters: `${ONLY_ADMIN}`, admins: "postmaster@example.org\n", raw });
  assert.equal(sent.length, 1);
  const head = sent[0]!.text.slice(0, sent[0]!.text.indexOf("\n\n"));
  for (const line of head.split("\n")) assert.ok(line.length <= 78, line);
  for (const line of sent[0]!.text.split("\n")) assert.ok(line.length <= 998, line.slice(0, 80));
  const subjectLine = /^Subject: {4}(.*)$/m.exec(sent[0]!.text)![1]!;
  assert.equal(subjectLine, `${long.slice(0, 200)}...`);
});

Deno.test("a notification is at most 64 KiB, whatever the message gives it to reflect", async () => {
  const parts = Array.from(
    { length: 600 },
    (_, i) =>
      `--b\nContent-Type: application/octet-stream; name="a${i}_${"x".repeat(120)}.exe"\n\nMZ\n`,
  ).join("");
  const raw =
    `From: Someone <someone@example.com>\nTo: bob@example.org\nSubject: many\nDate: Thu, 4 May 2000 10:21:03 +0200\n` +
    `MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n${parts}--b--\n`;
  const { sent } = await run({ filters: `${ONLY_ADMIN}`, admins: "postmaster@example.org\n", raw });
  assert.equal(sent.length, 1);
  assert.ok(new TextEncoder().encode(sent[0]!.text).length <= 64 * 1024);
  assert.match(sent[0]!.text, /\[\.\.\. cut: a notification is at most 64 KiB\]\n$/);
});

Deno.test("errormail=pass (the default): a delivered message sends no notification", async () => {
  const { code, sent, site } = await run({
    filters: "notify-recipient=y\nnotify-admin=y\n",
    admins: "postmaster@example.org\n",
    message: "header_missing_date.eml",
  });
  assert.equal(code, 0);
  assert.deepEqual(sent, []);
  assert.deepEqual(incidents(site.system)[0]!.reactions.map((r) => r.outcome), [
    "suppressed: the message was delivered (pass) and notify-pass=n",
    "suppressed: the message was delivered (pass) and notify-pass=n",
  ]);
});

Deno.test("notify-pass=y: a pass notice says the message was delivered", async () => {
  const { sent } = await run({
    filters: `${ONLY_RECIPIENT}notify-pass=y\n`,
    message: "header_missing_date.eml",
  });
  assert.equal(sent.length, 1);
  assert.equal(
    sent[0]!.mail.subject,
    "[qmvc] A message to you was delivered: Minutes of the meeting",
  );
  assert.match(sent[0]!.text, /^The message was delivered all the same\.$/m);
  assert.doesNotMatch(sent[0]!.text, /stopped/);
});

Deno.test("badmail=forward: the original is enclosed intact behind a random boundary it does not contain", async () => {
  const site = makeNotifyingSite({
    filters: "badmail=forward\nnotify-recipient=n\nnotify-admin=n\n",
  });
  Deno.writeTextFileSync(join(site.system, "control/forwardto"), "security@example.org\n");
  const original = readFileSync(fixture("forward_boundary_lookalike.eml"));
  assert.equal((await deliverTo(site, { message: "forward_boundary_lookalike.eml" })).code, 99);
  assert.equal(
    (await deliverTo(site, {
      message: "forward_boundary_lookalike.eml",
      recipient: "carol@example.org",
    })).code,
    99,
  );
  const sent = await readSent(site.outbox);
  assert.equal(sent.length, 2);
  const boundaries = sent.map((s) => /boundary="([^"]+)"/.exec(s.text)![1]!);
  assert.notEqual(boundaries[0], boundaries[1]);
  for (const [i, s] of sent.entries()) {
    assert.match(boundaries[i]!, /^qmvc-[0-9a-f]{32}$/);
    assert.ok(!original.toString("latin1").includes(boundaries[i]!));
    assert.equal(s.text.split(`--${boundaries[i]}`).length - 1, 3);
    assert.ok(s.mail.parts.every((p) => p.declaredType !== "application/x-msdownload"));
    const marker = "Content-Disposition: attachment\nContent-Transfer-Encoding: 8bit\n\n";
    const enclosed = s.text.slice(s.text.indexOf(marker) + marker.length);
    assert.ok(enclosed.startsWith(original.toString("latin1")));
    assert.equal(enclosed.slice(original.length), `\n--${boundaries[i]}--\n`);
  }
});

Deno.test("HOST with CR/LF cannot add a header field to a notification", async () => {
  const { sent } = await run({
    filters: ONLY_RECIPIENT,
    env: { HOST: "example.org\r\nBcc: victim@example.com" },
  });
  assert.equal(sent.length, 1);
  assert.equal(sent[0]!.mail.headers.filter((h) => /^bcc$/i.test(h.name)).length, 0);
  assert.doesNotMatch(sent[0]!.text, /victim@example\.com/);
  const id = headerValue(sent[0]!.mail.headers, "message-id")!;
  assert.match(id, /^<\d+\.[\w-]{12}\.qmvc@[A-Za-z0-9.-]+>$/);
});

Deno.test("a forged X-QMVC-Notification header does not switch notifications off", async () => {
  const raw = readFileSync(fixture("subject_iloveyou.eml"), "utf8").replace(
    "Subject:",
    "X-QMVC-Notification: recipient\nX-QMVC-Notification: admin; mac=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\nSubject:",
  );
  const { sent } = await run({
    filters: EVERYONE,
    admins: "postmaster@example.org\n",
    sender: "someone@example.com",
    raw,
  });
  assert.equal(sent.length, 3);
});

Deno.test("qmvc's own notification coming back through qmvc is quarantined but answered by nobody (no loop)", async () => {
  const site = makeNotifyingSite({ filters: EVERYONE, admins: "postmaster@example.org\n" });
  assert.equal((await deliverTo(site, { sender: "someone@example.com" })).code, 99);
  const first = await readSent(site.outbox);
  assert.equal(first.length, 3);
  const notice = first.find((s) => s.to[0] === "bob@example.org")!;
  // The notice reflects the subject ILOVEYOU, so it is itself a badsubject.
  const again = await deliverTo(site, { raw: notice.text, sender: "" });
  assert.equal(again.code, 99);
  assert.equal((await readSent(site.outbox)).length, 3);
  const last = incidents(site.system).at(-1)!;
  assert.deepEqual(last.reactions.map((r) => r.outcome), [
    "suppressed: the message is a qmvc notification",
    "suppressed: the message is a qmvc notification",
    "suppressed: the message is a qmvc notification",
  ]);
  assert.equal(statSync(join(site.system, "secret")).mode & 0o777, 0o600);
});

Deno.test("C1 controls in the subject are escaped in qmvc.log, qmvc.rep and the notification", async () => {
  const raw = readFileSync(fixture("subject_iloveyou.eml"), "utf8").replace(
    "Subject: ILOVEYOU",
    "Subject: =?UTF-8?B?SUxPVkVZT1XCmzJKwps/MTA0OWg=?=",
  ).replace("Message-ID: <iloveyou.1@example.com>", "Message-ID: <c1\u009b2J@example.com>");
  const site = makeNotifyingSite({ filters: ONLY_RECIPIENT });
  assert.equal((await deliverTo(site, { raw })).code, 99);
  const rep = readFileSync(join(site.system, "log/qmvc.rep"), "utf8");
  const log = readFileSync(join(site.system, "log/qmvc.log"), "utf8");
  const [note] = await readSent(site.outbox);
  for (const text of [rep, log, note!.text]) assert.doesNotMatch(text, /\u009b/);
  assert.match(rep, /\\u009b2J/);
  assert.match(log, /<c1%9B2J@example\.com>/);
  assert.match(note!.text, /\\u\{009B\}2J/);
  const parsed = await parseMessage(new TextEncoder().encode(note!.text));
  assert.doesNotMatch(parsed.subject, /\u009b/);
});

Deno.test("a real notification's mark and Message-ID copied onto another message do not silence qmvc", async () => {
  const site = makeNotifyingSite({ filters: EVERYONE, admins: "postmaster@example.org\n" });
  await deliverTo(site, { sender: "someone@example.com" });
  const [notice] = await readSent(site.outbox);
  const mark = headerValue(notice!.mail.headers, "x-qmvc-notification")!;
  const id = headerValue(notice!.mail.headers, "message-id")!;
  const raw = readFileSync(fixture("subject_iloveyou.eml"), "utf8")
    .replace(
      "Message-ID: <iloveyou.1@example.com>",
      `Message-ID: ${id}\nX-QMVC-Notification: ${mark}`,
    )
    .replace("kindly check", "a different body: kindly check");
  assert.equal((await deliverTo(site, { raw, sender: "other@example.com" })).code, 99);
  assert.equal((await readSent(site.outbox)).length, 6);
});
