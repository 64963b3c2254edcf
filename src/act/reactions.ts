import { type HeaderField, headerValue } from "../message/mod.ts";
import { type Control, matchWildcard, type Reaction } from "../profile/mod.ts";
import { isBounceSender } from "../rules/mod.ts";
import { NOTIFICATION_HEADER } from "./compose.ts";

/** One notification to send: which template, to whom, in which language. */
export interface PlannedNotification {
  readonly reaction: Reaction;
  readonly template: "recipient" | "sender" | "admin";
  readonly to: readonly string[];
  readonly language: string;
}

/** A notification that is not sent, and why. */
export interface SuppressedNotification {
  readonly reaction: Reaction;
  readonly why: string;
}

/**
 * Decide who is told (spec section 5). Never: about qmvc's own mail (no loops); to a
 * null, MAILER-DAEMON or #@[] sender; to the sender of bulk, list or automatic mail
 * (that is backscatter). At most one notification per party and message.
 */
export function planNotifications(
  reactions: readonly Reaction[],
  context: {
    readonly headers: readonly HeaderField[];
    readonly sender: string;
    readonly recipient: string;
    readonly control: Control;
  },
): { planned: PlannedNotification[]; suppressed: SuppressedNotification[] } {
  const planned: PlannedNotification[] = [];
  const suppressed: SuppressedNotification[] = [];
  const { headers, sender, recipient, control } = context;
  const language = (address: string): string =>
    control.languages.rules.find((r) => matchWildcard(r.wildcard, address))?.language ??
      control.filters.language;
  if (headerValue(headers, NOTIFICATION_HEADER) !== undefined) {
    return {
      planned,
      suppressed: reactions.map((reaction) => ({
        reaction,
        why: "the message is a qmvc notification",
      })),
    };
  }
  for (const reaction of reactions) {
    switch (reaction) {
      case "notify-recipient":
        if (!recipient) suppressed.push({ reaction, why: "no recipient address" });
        else {planned.push({
            reaction,
            template: "recipient",
            to: [recipient],
            language: language(recipient),
          });}
        break;
      case "notify-sender": {
        const bulk = bulkReason(headers);
        if (isBounceSender(sender)) {
          suppressed.push({ reaction, why: `sender "${sender || "<>"}" takes no mail` });
        } else if (bulk) suppressed.push({ reaction, why: bulk });
        else {planned.push({
            reaction,
            template: "sender",
            to: [sender],
            language: language(sender),
          });}
        break;
      }
      case "notify-admin":
        if (control.admins.addresses.length === 0) {
          suppressed.push({ reaction, why: "admins lists no address" });
        } else {planned.push({
            reaction,
            template: "admin",
            to: control.admins.addresses,
            language: control.filters.language,
          });}
        break;
      default: {
        const never: never = reaction;
        return never;
      }
    }
  }
  return { planned, suppressed };
}

/** Why the message counts as bulk, list or automatic mail, or undefined. */
export function bulkReason(headers: readonly HeaderField[]): string | undefined {
  const precedence = headerValue(headers, "precedence")?.trim().toLowerCase();
  if (precedence === "bulk" || precedence === "list" || precedence === "junk") {
    return `Precedence: ${precedence}`;
  }
  if (headerValue(headers, "list-id") !== undefined) return "List-Id present";
  const auto = headerValue(headers, "auto-submitted")?.trim().toLowerCase();
  if (auto !== undefined && !auto.startsWith("no")) return `Auto-Submitted: ${auto}`;
  return undefined;
}
