import type { HeaderField } from "../message/mod.ts";
import { bodyOf, markMac, sameMac } from "./_mark_mac.ts";

/** The header `qmvc quarantine release` puts on top of a message it re-injects. */
export const RELEASE_HEADER = "X-QMVC-Released";

/** How long a release mark is honoured: long enough for qmail's retries, not for replays. */
export const RELEASE_VALID_MS = 7 * 86_400_000;

/**
 * The header line for a released message: which conditions the admin overruled, who,
 * when, and a MAC over all of that, the recipient it is released to, the message's
 * Message-ID and the SHA-256 of its body under the profile's secret. qmail-inject may
 * rewrite header fields, never the body, so the mark survives re-injection; nobody
 * without the secret can make one, and a copy delivered to anyone else counts for nothing.
 */
export function releaseHeaderLine(
  release: { conditions: readonly string[]; by: string; at: Date; to: string },
  message: Uint8Array,
  messageId: string,
  secret: Uint8Array,
): string {
  const fields = releaseFields(release.conditions, safeWord(release.by), release.at.toISOString());
  const code = mac(fields, release.to, message, messageId, secret);
  return `${RELEASE_HEADER}: ${fields}; mac=${code}\n`;
}

/**
 * The conditions an admin released this message from, when it carries a valid release
 * mark of this profile; an empty list otherwise (no mark, a forged or copied one).
 */
export function releasedConditions(
  headers: readonly HeaderField[],
  message: Uint8Array,
  delivery: { readonly recipient: string; readonly now: Date },
  secret: Uint8Array,
): string[] {
  const messageId = headers.find((h) => h.name.toLowerCase() === "message-id")?.value.trim() ?? "";
  for (const h of headers) {
    if (h.name.toLowerCase() !== RELEASE_HEADER.toLowerCase()) continue;
    const found = /^\s*(conditions=[a-z,]*; by=[\w.@-]*; at=[\dT:.Z-]+); mac=([\w-]+)\s*$/.exec(
      h.value,
    );
    if (!found) continue;
    const at = Date.parse(/at=([\dT:.Z-]+)/.exec(found[1]!)![1]!);
    const age = delivery.now.getTime() - at;
    if (!(age >= -300_000 && age <= RELEASE_VALID_MS)) continue;
    const expected = mac(found[1]!, delivery.recipient, message, messageId, secret);
    if (sameMac(found[2]!, expected)) {
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

function mac(
  fields: string,
  recipient: string,
  message: Uint8Array,
  messageId: string,
  secret: Uint8Array,
): string {
  return markMac(
    ["released", fields, recipient.toLowerCase(), messageId],
    bodyOf(message),
    secret,
  );
}
