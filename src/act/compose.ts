import { randomBytes } from "node:crypto";
import { concatBytes } from "../message/mod.ts";
import { formatHeaderField, headerSafe, rfc5322Date } from "./mail_format.ts";
import { NOTIFICATION_HEADER, notificationMark } from "./notification_mark.ts";
import type { RenderedTemplate } from "./template.ts";

/** The most a notification may be (RFC 3834 3.1: keep reflected content bounded). */
export const MAX_NOTIFICATION_BYTES = 64 * 1024;

/**
 * Build an RFC 5322 message from a rendered template: Date, Message-ID, MIME-Version,
 * Auto-Submitted: auto-generated and the authenticated qmvc mark; a text/plain body, or
 * with `original` a multipart/mixed whose second part is that message as message/rfc822.
 * Header lines are folded to 78 characters; the whole message, without the enclosed
 * original, is at most 64 KiB.
 */
export function composeMail(
  template: RenderedTemplate,
  options: {
    readonly from: string;
    readonly to: readonly string[];
    readonly kind: string;
    /** A plain host name (safeHostname): it goes into the Message-ID. */
    readonly host: string;
    readonly now: Date;
    /** The profile's notification secret, which marks the mail as qmvc's own. */
    readonly secret: Uint8Array;
    readonly original?: Uint8Array;
  },
): Uint8Array {
  const id = `<${Math.floor(options.now.getTime() / 1000)}.${
    randomBytes(9).toString("base64url")
  }.qmvc@${options.host}>`;
  const fields: [string, string][] = [
    ["From", headerSafe(options.from)],
    ["To", options.to.map(headerSafe).join(", ")],
    ...template.headers.filter(([name]) =>
      !/^(from|to|date|message-id|mime-version|auto-submitted|x-qmvc-|content-)/i.test(name)
    )
      .map(([name, value]) => [name, value] as [string, string]),
    ["Date", rfc5322Date(options.now)],
    ["Message-ID", id],
    ["MIME-Version", "1.0"],
    ["Auto-Submitted", "auto-generated"],
  ];
  const templateFrom = template.headers.find(([name]) => /^from$/i.test(name));
  if (templateFrom) fields[0] = ["From", templateFrom[1]];
  const encoder = new TextEncoder();
  // The header is at most this big (the mark adds a line of fixed length), so the body
  // can be cut to fit 64 KiB before the mark, which covers the body, is made.
  const headerRoom = fields.map(([name, value]) => formatHeaderField(name, value)).join("")
    .length + 512;
  const text = boundedBody(template.body, MAX_NOTIFICATION_BYTES - headerRoom);
  let contentType: string;
  let body: Uint8Array;
  if (!options.original) {
    contentType = "text/plain; charset=utf-8";
    body = encoder.encode(text);
  } else {
    const boundary = boundaryFor(options.original);
    contentType = `multipart/mixed; boundary="${boundary}"`;
    body = concatBytes([
      encoder.encode(
        `This is a MIME message.\n\n--${boundary}\n` +
          `Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n${text}\n--${boundary}\n` +
          `Content-Type: message/rfc822\nContent-Disposition: attachment\nContent-Transfer-Encoding: 8bit\n\n`,
      ),
      options.original,
      encoder.encode(`\n--${boundary}--\n`),
    ]);
  }
  fields.push([NOTIFICATION_HEADER, notificationMark(options.kind, id, body, options.secret)]);
  const header = fields.map(([name, value]) => formatHeaderField(name, value)).join("") +
    formatHeaderField("Content-Type", contentType) +
    (options.original ? "" : "Content-Transfer-Encoding: 8bit\n");
  return concatBytes([encoder.encode(`${header}\n`), body]);
}

/**
 * A boundary nobody can predict (128 random bits), checked against the enclosed
 * message: a line of the original can then never close the enclosure early or add a
 * part of its own beside it.
 */
function boundaryFor(original: Uint8Array): string {
  const text = new TextDecoder("latin1").decode(original);
  for (;;) {
    const boundary = `qmvc-${randomBytes(16).toString("hex")}`;
    if (!text.includes(boundary)) return boundary;
  }
}

/** The body ended with LF and cut, between characters, to `limit` UTF-8 bytes. */
function boundedBody(text: string, limit: number): string {
  const body = text.endsWith("\n") ? text : `${text}\n`;
  const bytes = new TextEncoder().encode(body);
  if (bytes.length <= limit) return body;
  const note = "\n[... cut: a notification is at most 64 KiB]\n";
  const room = limit - note.length;
  let end = room;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return new TextDecoder().decode(bytes.subarray(0, end)) + note;
}
