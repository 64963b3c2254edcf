/** Builds MIME messages around real files, for fixtures and tests. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO } from "./qmail_local.ts";

export const BIN_FIXTURES = join(REPO, "tests/fixtures/bin");

export function base64Lines(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(s).replace(/.{76}/g, "$&\n");
}

export interface Attachment {
  readonly headers: string;
  readonly body: string;
}

/** A base64 attachment of a file from tests/fixtures/bin, named after it unless headers say otherwise. */
export function attachFixture(file: string, headers?: string): Attachment {
  return {
    headers: headers ??
      `Content-Type: application/octet-stream; name="${file}"\nContent-Disposition: attachment; filename="${file}"`,
    body: base64Lines(readFileSync(join(BIN_FIXTURES, file))),
  };
}

/** A multipart/mixed message with a text part and the attachments. */
export function multipartMessage(
  subject: string,
  id: string,
  attachments: readonly Attachment[],
  text = "See the attachment.\n",
): string {
  const boundary = `----=_qmvc_fixture_${id}`;
  const parts = [
    `Content-Type: text/plain; charset=us-ascii\n\n${text}`,
    ...attachments.map((a) => `${a.headers}\nContent-Transfer-Encoding: base64\n\n${a.body}\n`),
  ];
  return [
    "From: Sender <sender@example.net>",
    "To: Bob Example <bob@example.org>",
    `Subject: ${subject}`,
    "Date: Wed, 25 Nov 2026 08:00:00 +0000",
    `Message-ID: <${id}@fixtures.qmvc.invalid>`,
    "MIME-Version: 1.0",
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    "",
    "This is a multi-part message in MIME format.",
    ...parts.map((p) => `--${boundary}\n${p}`),
    `--${boundary}--`,
    "",
  ].join("\n");
}

/** Every loader fixture in one message (rspamd's gargantua.eml idea), built from tests/fixtures/bin. */
export function gargantuaMessage(): string {
  const files = readdirSync(BIN_FIXTURES).filter((f) => f !== "README.md").sort();
  return multipartMessage(
    "Every loader type at once",
    "gargantua",
    files.map((f) => attachFixture(f)),
  );
}
