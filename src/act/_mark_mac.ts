import { Buffer } from "node:buffer";
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

/**
 * The MAC of a mark qmvc puts on mail it sends or re-injects: HMAC-SHA256 under the
 * profile's secret over the given fields and the SHA-256 of the body, one per line,
 * as 32 base64url characters (192 bits), short enough for one header line.
 */
export function markMac(fields: readonly string[], body: Uint8Array, secret: Uint8Array): string {
  const digest = createHash("sha256").update(body).digest("hex");
  return createHmac("sha256", secret).update([...fields, digest].join("\n"))
    .digest("base64url").slice(0, 32);
}

/** True when `given` is `expected`, compared in constant time. */
export function sameMac(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The bytes after the header's empty line (LF or CRLF); the whole message without one. */
export function bodyOf(message: Uint8Array): Uint8Array {
  for (let i = 0; i + 1 < message.length; i++) {
    if (message[i] !== 0x0a) continue;
    if (message[i + 1] === 0x0a) return message.subarray(i + 2);
    if (message[i + 1] === 0x0d && message[i + 2] === 0x0a) return message.subarray(i + 3);
  }
  return message;
}
