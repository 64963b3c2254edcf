import { Buffer } from "node:buffer";
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { HeaderField } from "../message/mod.ts";

/** The header `qmvc quarantine release` puts on top of a message it re-injects. */
export const RELEASE_HEADER = "X-QMVC-Released";

/**
 * The header line for a released message: which conditions the admin overruled, who,
 * when, and a MAC over all of that, the message's Message-ID and the SHA-256 of its
 * body under the profile's secret. qmail-inject may rewrite header fields, never the
 * body, so the mark survives re-injection; nobody without the secret can make one.
 */
export function releaseHeaderLine(
  release: { conditions: readonly string[]; by: string; at: Date },
  message: Uint8Array,
  messageId: string,
  secret: Uint8Array,
): string {
  const fields = releaseFields(release.conditions, safeWord(release.by), release.at.toISOString());
  return `${RELEASE_HEADER}: ${fields}; mac=${mac(fields, message, messageId, secret)}\n`;
}

/**
 * The conditions an admin released this message from, when it carries a valid release
 * mark of this profile; an empty list otherwise (no mark, a forged or copied one).
 */
export function releasedConditions(
  headers: readonly HeaderField[],
  message: Uint8Array,
  secret: Uint8Array,
): string[] {
  const messageId = headers.find((h) => h.name.toLowerCase() === "message-id")?.value.trim() ?? "";
  for (const h of headers) {
    if (h.name.toLowerCase() !== RELEASE_HEADER.toLowerCase()) continue;
    const found = /^\s*(conditions=[a-z,]*; by=[\w.@-]*; at=[\dT:.Z-]+); mac=([\w-]+)\s*$/.exec(
      h.value,
    );
    if (!found) continue;
    const expected = Buffer.from(mac(found[1]!, message, messageId, secret));
    const given = Buffer.from(found[2]!);
    if (given.length === expected.length && timingSafeEqual(given, expected)) {
      return /conditions=([a-z,]*)/.exec(found[1]!)![1]!.split(",").filter(Boolean);
    }
  }
  return [];
}

function releaseFields(conditions: readonly string[], by: string, at: string): string {
  return `conditions=${conditions.join(",")}; by=${by}; at=${at}`;
}

function safeWord(text: string): string {
  return text.replace(/[^\w.@-]/g, "_").slice(0, 64) || "unknown";
}

function mac(fields: string, message: Uint8Array, messageId: string, secret: Uint8Array): string {
  const body = createHash("sha256").update(bodyOf(message)).digest("hex");
  return createHmac("sha256", secret).update(`released\n${fields}\n${messageId}\n${body}`)
    .digest("base64url").slice(0, 32);
}

/** The bytes after the header's empty line (LF or CRLF); the whole message without one. */
function bodyOf(message: Uint8Array): Uint8Array {
  for (let i = 0; i + 1 < message.length; i++) {
    if (message[i] !== 0x0a) continue;
    if (message[i + 1] === 0x0a) return message.subarray(i + 2);
    if (message[i + 1] === 0x0d && message[i + 2] === 0x0a) return message.subarray(i + 3);
  }
  return message;
}
