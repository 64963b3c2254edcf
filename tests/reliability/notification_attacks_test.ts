/**
 * Reliability: the attacks on qmvc's own mail (notifications, forwards), tried as the
 * unprivileged user through the real binary; one printed line per attack with what
 * was tried and what held. The e2e suite specifies each behaviour; this is the record.
 */
import assert from "node:assert/strict";
import { chmodSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { headerValue } from "../../src/message/mod.ts";
import { deliverTo, makeNotifyingSite, readSent, type Sent } from "../_helpers/notifications.ts";
import { fixture, listMaildir } from "../_helpers/qmail_local.ts";

const NOBODY = 65534;
const EVERYONE = "notify-recipient=y\nnotify-sender=y\nnotify-admin=y\n";
const held: string[] = [];

/** A notifying site the unprivileged user owns, as the alias user owns /var/qmvc. */
function nobodySite(filters = EVERYONE) {
  const site = makeNotifyingSite({ filters, admins: "postmaster@example.org\n" });
  for (const dir of [site.root, site.home]) chmodSync(dir, 0o755);
  for (const dir of [site.system, join(site.system, "control")]) {
    Deno.chownSync(dir, NOBODY, NOBODY);
  }
  Deno.writeTextFileSync(join(site.system, "control/forwardto"), "security@example.org\n");
  return site;
}

function asNobody(site: ReturnType<typeof nobodySite>, options: Parameters<typeof deliverTo>[1]) {
  return deliverTo(site, options, NOBODY);
}

function raw(change: (text: string) => string): string {
  return change(readFileSync(fixture("subject_iloveyou.eml"), "utf8"));
}

const kinds = (sent: Sent[]) =>
  sent.map((s) => headerValue(s.mail.headers, "x-qmvc-notification")?.split(";")[0]).sort();

Deno.test("attack 1: options and address lists in SENDER and RECIPIENT reach qmail-inject as nothing", async () => {
  const site = nobodySite();
  const attack = "-hfbounce@evil.example, victim1@a.example, victim2@b.example";
  await asNobody(site, { sender: attack, recipient: `${attack}, bob@example.org` });
  const sent = await readSent(site.outbox);
  const outside = sent.flatMap((s) => s.to).filter((a) => !a.endsWith("@example.org"));
  assert.deepEqual(outside, []);
  assert.ok(sent.every((s) => s.from === ""));
  held.push(
    `1 option injection: SENDER/RECIPIENT "${attack}": 0 outside recipients, envelope sender always <>`,
  );
});

Deno.test("attack 2: one virus mail to 30 local recipients, retried 3 times each", async () => {
  const site = nobodySite();
  for (let i = 0; i < 30; i++) {
    for (let retry = 0; retry < 3; retry++) {
      await asNobody(site, { sender: "forged@example.com", recipient: `user${i}@example.org` });
    }
  }
  const sent = await readSent(site.outbox);
  const count = (k: string) => kinds(sent).filter((x) => x === k).length;
  assert.deepEqual([count("sender"), count("admin"), count("recipient")], [1, 1, 30]);
  held.push(
    "2 one notice per party: 90 deliveries (30 recipients x 3 tries): sender told 1, admins 1, each recipient 1",
  );
});

Deno.test("attack 3: automatic and list mail gets no sender notification", async () => {
  const site = nobodySite("notify-recipient=n\nnotify-sender=y\nnotify-admin=n\n");
  const headers = [
    "Precedence: (x) junk",
    "List-Unsubscribe: <mailto:u@example.com>",
    "Auto-Submitted: auto-replied",
    "X-Auto-Response-Suppress: All",
  ];
  for (const h of headers) {
    await asNobody(site, {
      raw: raw((t) => t.replace("Subject:", `${h}\nSubject:`)),
      sender: "a@example.com",
    });
  }
  for (
    const sender of ["postmaster@example.com", '"MAILER-DAEMON"@example.com', "owner-l@example.com"]
  ) {
    await asNobody(site, { sender });
  }
  assert.equal((await readSent(site.outbox)).length, 0);
  held.push("3 RFC 3834: 4 automatic/list headers and 3 no-reply senders: 0 notifications");
});

Deno.test("attack 4: mail delivered anyway is not announced as stopped", async () => {
  const site = nobodySite();
  await asNobody(site, { message: "header_missing_date.eml", sender: "a@example.com" });
  assert.equal((await readSent(site.outbox)).length, 0);
  held.push("4 truthful notices: errormail=pass (missing Date): delivered, 0 notifications");
});

Deno.test("attack 5: a body that guesses the forward boundary stays inside the enclosure", async () => {
  const site = nobodySite("badmail=forward\nnotify-recipient=n\nnotify-admin=n\n");
  await asNobody(site, { message: "forward_boundary_lookalike.eml" });
  const [forward] = await readSent(site.outbox);
  assert.ok(forward!.mail.parts.every((p) => p.declaredType !== "application/x-msdownload"));
  held.push("5 forward enclosure: guessed time.pid.host boundary in the body: 0 parts escaped");
});

Deno.test("attack 6: CR/LF in HOST adds no header field", async () => {
  const site = nobodySite("notify-recipient=y\nnotify-sender=n\nnotify-admin=n\n");
  await asNobody(site, { env: { HOST: "example.org\r\nBcc: victim@example.com" } });
  const [note] = await readSent(site.outbox);
  assert.equal(note!.mail.headers.filter((h) => /^bcc$/i.test(h.name)).length, 0);
  held.push("6 header injection: HOST with CR/LF Bcc: 0 Bcc fields, Message-ID host checked");
});

Deno.test("attack 7: a forged X-QMVC-Notification header does not silence qmvc", async () => {
  const site = nobodySite();
  await asNobody(site, {
    raw: raw((t) => t.replace("Subject:", "X-QMVC-Notification: recipient\nSubject:")),
    sender: "a@example.com",
  });
  assert.deepEqual(kinds(await readSent(site.outbox)), ["admin", "recipient", "sender"]);
  held.push("7 forged marker: X-QMVC-Notification on a bad mail: all 3 parties still told");
});

Deno.test("attack 8: a terminal escape (U+009B CSI) in the subject reaches no log raw", async () => {
  const site = nobodySite("notify-recipient=y\nnotify-sender=n\nnotify-admin=n\n");
  await asNobody(site, {
    raw: raw((t) =>
      t.replace("Subject: ILOVEYOU", "Subject: =?UTF-8?B?SUxPVkVZT1XCmzJKwps/MTA0OWg=?=")
    ),
  });
  const texts = [
    readFileSync(join(site.system, "log/qmvc.rep"), "utf8"),
    readFileSync(join(site.system, "log/qmvc.log"), "utf8"),
    ...(await readSent(site.outbox)).map((s) => s.text),
  ];
  assert.ok(texts.every((t) => !t.includes("\u009b")));
  held.push("8 C1 controls: CSI in the subject: escaped in qmvc.log, qmvc.rep and the notice");
});

Deno.test("retry: a delivery whose record fails three times quarantines once", async () => {
  const site = nobodySite();
  const rep = join(site.system, "log/qmvc.rep");
  mkdirSync(rep, { recursive: true });
  Deno.chownSync(join(site.system, "log"), NOBODY, NOBODY);
  const codes = [];
  for (let i = 0; i < 3; i++) codes.push((await asNobody(site, { sender: "a@example.com" })).code);
  rmSync(rep, { recursive: true });
  codes.push((await asNobody(site, { sender: "a@example.com" })).code);
  assert.deepEqual(codes, [111, 111, 111, 99]);
  assert.equal(listMaildir(join(site.system, "quarantine")).length, 1);
  assert.deepEqual(kinds(await readSent(site.outbox)), ["admin", "recipient", "sender"]);
  held.push("retries: 3 x 111 then 99: 1 quarantine copy, 1 notice per party");
});

Deno.test("notification attacks: what held", () => {
  // deno-lint-ignore no-console
  console.log(held.map((line) => `notify attack ${line}`).join("\n"));
  assert.equal(held.length, 9);
});
