import { unquotedLocalPart } from "../message/mod.ts";

/** The null sender, the double-bounce sender #@[] and MAILER-DAEMON never get mail from qmvc. */
export function isBounceSender(sender: string): boolean {
  if (sender === "" || sender === "#@[]") return true;
  return unquotedLocalPart(sender).toLowerCase() === "mailer-daemon";
}

/**
 * Why an envelope sender must never get an automatic reply (RFC 3834 section 2 and
 * qmail's bouncesaying conventions), or undefined when it may: the null sender, the
 * double-bounce sender, MAILER-DAEMON in any case or quoting, postmaster, and the
 * addresses of mailing-list software (owner-*, *-request).
 */
export function automaticSenderReason(sender: string): string | undefined {
  if (sender === "") return "the null sender";
  if (sender === "#@[]") return "the double-bounce sender";
  const local = unquotedLocalPart(sender).toLowerCase();
  if (local === "mailer-daemon") return "a MAILER-DAEMON";
  if (local === "postmaster") return "a postmaster";
  if (local.startsWith("owner-")) return "a list owner (owner-*)";
  if (local.endsWith("-request")) return "a list request address (*-request)";
  return undefined;
}
