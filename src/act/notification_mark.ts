import { Buffer } from "node:buffer";
import { randomBytes } from "node:crypto";
import {
  closeSync,
  fchmodSync,
  linkSync,
  openSync,
  readFileSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { dirname } from "node:path";
import { adoptOwner, fileModeIn } from "../log/mod.ts";
import { type HeaderField, headerValue } from "../message/mod.ts";
import { bodyOf, markMac, sameMac } from "./_mark_mac.ts";

/** The header that marks qmvc's own mail, so it is never answered with another notification. */
export const NOTIFICATION_HEADER = "X-QMVC-Notification";

/** 32 random bytes, written once per profile as 64 hex digits. */
const SECRET_BYTES = 32;

/**
 * The profile's notification secret, created on first use: mode 0600, or 0640 in a
 * profile whose directory is group-writable (shared by the users of its group, who must
 * all recognise the profile's notifications). Only mail that
 * carries a mark made with it counts as qmvc's own: an outsider who writes
 * `X-QMVC-Notification:` into a message cannot switch notifications off.
 * Concurrent first deliveries agree on one secret: each writes a private file and
 * links it into place, and whoever loses the link reads the winner's.
 */
export function loadNotificationSecret(path: string): Uint8Array {
  const existing = readSecret(path);
  if (existing) return existing;
  const tmp = `${path}.${process.pid}.${randomBytes(6).toString("hex")}`;
  const mode = fileModeIn(dirname(path), 0o640);
  const fd = openSync(tmp, "wx", mode);
  try {
    fchmodSync(fd, mode);
    writeSync(fd, `${randomBytes(SECRET_BYTES).toString("hex")}\n`);
    adoptOwner(tmp, fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, path);
  } catch (error) {
    if ((error as { code?: string }).code !== "EEXIST") throw error;
  } finally {
    unlinkSync(tmp);
  }
  const secret = readSecret(path);
  if (!secret) throw new Error(`${path} does not hold ${SECRET_BYTES * 2} hex digits`);
  return secret;
}

function readSecret(path: string): Uint8Array | undefined {
  let text: string;
  try {
    text = readFileSync(path, "latin1");
  } catch (error) {
    if ((error as { code?: string }).code === "ENOENT") return undefined;
    throw error;
  }
  const hex = text.trim();
  if (!/^[0-9a-f]{64}$/.test(hex)) {
    throw new Error(`${path} does not hold ${SECRET_BYTES * 2} hex digits: remove it`);
  }
  return Uint8Array.from(Buffer.from(hex, "hex"));
}

/**
 * The header value for a notification of `kind` with this Message-ID and this body:
 * `kind; mac=...`. The body is in it so that the mark, copied onto any other message
 * (with the notice's Message-ID), proves nothing.
 */
export function notificationMark(
  kind: string,
  messageId: string,
  body: Uint8Array,
  secret: Uint8Array,
): string {
  return `${kind}; mac=${markMac([kind, messageId], body, secret)}`;
}

/**
 * True when the message carries a mark this profile made: the kind, the message's own
 * Message-ID and its body, authenticated with the secret. A copied header on another
 * message or a made-up one does not count.
 */
export function isOwnNotification(
  headers: readonly HeaderField[],
  message: Uint8Array,
  secret: Uint8Array,
): boolean {
  const messageId = headerValue(headers, "message-id")?.trim() ?? "";
  const body = bodyOf(message);
  return headers.some((h) => {
    if (h.name.toLowerCase() !== NOTIFICATION_HEADER.toLowerCase()) return false;
    const found = /^\s*([a-z]+)\s*;\s*mac=([A-Za-z0-9_-]+)\s*$/.exec(h.value);
    if (!found) return false;
    return sameMac(found[2]!, markMac([found[1]!, messageId], body, secret));
  });
}
