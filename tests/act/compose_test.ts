import assert from "node:assert/strict";
import {
  composeMail,
  formatHeaderField,
  isOwnNotification,
  notificationMark,
  safeHostname,
} from "../../src/act/mod.ts";
import { parseMessage } from "../../src/message/mod.ts";

const SECRET = new Uint8Array(32).fill(7);

Deno.test("formatHeaderField() folds at spaces to 78 characters", () => {
  const field = formatHeaderField("Subject", "word ".repeat(40).trim());
  const lines = field.trimEnd().split("\n");
  assert.ok(lines.length > 1);
  for (const line of lines) assert.ok(line.length <= 78, line);
  assert.ok(lines.slice(1).every((l) => l.startsWith(" ")));
  assert.equal(field.replace(/\n /g, " "), `Subject: ${"word ".repeat(40).trim()}\n`);
});

Deno.test("formatHeaderField() never writes a line over 998 characters", () => {
  const field = formatHeaderField("X-Long", "y".repeat(5000));
  for (const line of field.split("\n")) assert.ok(line.length <= 998);
});

Deno.test("safeHostname() takes the first plain host name, never one with CR/LF or spaces", () => {
  assert.equal(
    safeHostname("example.org\r\nBcc: x@example.com", "mx.example.org"),
    "mx.example.org",
  );
  assert.equal(safeHostname("mail.example.org"), "mail.example.org");
  assert.equal(safeHostname("bad host", "-bad"), "localhost");
});

Deno.test("composeMail() marks its mail so that only the holder of the secret recognises it", async () => {
  const bytes = composeMail({ headers: [["Subject", "hi"]], body: "text" }, {
    from: "qmvc <MAILER-DAEMON@example.org>",
    to: ["bob@example.org"],
    kind: "recipient",
    host: "example.org",
    now: new Date("2026-11-25T08:00:00Z"),
    secret: SECRET,
  });
  const mail = await parseMessage(bytes);
  assert.equal(isOwnNotification(mail.headers, bytes, SECRET), true);
  assert.equal(isOwnNotification(mail.headers, bytes, new Uint8Array(32).fill(8)), false);
});

Deno.test("isOwnNotification() refuses a valid mark copied onto another message, whatever its Message-ID", () => {
  const body = new TextEncoder().encode("the notice\n");
  const mark = notificationMark("recipient", "<a@example.org>", body, SECRET);
  const message = (id: string, text: string) =>
    new TextEncoder().encode(`Message-ID: ${id}\nX-QMVC-Notification: ${mark}\n\n${text}`);
  const headers = (id: string) => [
    { name: "Message-ID", value: ` ${id}` },
    { name: "X-QMVC-Notification", value: ` ${mark}` },
  ];
  assert.equal(
    isOwnNotification(
      headers("<a@example.org>"),
      message("<a@example.org>", "the notice\n"),
      SECRET,
    ),
    true,
  );
  assert.equal(
    isOwnNotification(
      headers("<b@example.org>"),
      message("<b@example.org>", "the notice\n"),
      SECRET,
    ),
    false,
  );
  assert.equal(
    isOwnNotification(headers("<a@example.org>"), message("<a@example.org>", "a virus\n"), SECRET),
    false,
  );
});
