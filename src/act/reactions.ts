import { type HeaderField, isMailbox } from "../message/mod.ts";
import { type Action, type Control, matchWildcard, type Reaction } from "../profile/mod.ts";
import { automaticSenderReason } from "../rules/mod.ts";

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
 * Decide who is told (spec section 5, RFC 3834). Never: about qmvc's own mail (no
 * loops); when the message was delivered anyway, unless `notify-pass=y`; to an address
 * that is not one valid mailbox (it would be passed to qmail-inject); to a null,
 * MAILER-DAEMON, #@[], postmaster or list-software sender; to the sender of bulk, list
 * or automatic mail (that is backscatter). At most one notification per party.
 */
export function planNotifications(
  reactions: readonly Reaction[],
  context: {
    readonly headers: readonly HeaderField[];
    readonly sender: string;
    readonly recipient: string;
    readonly control: Control;
    readonly action: Action;
    /** The message carries this profile's own authenticated notification mark. */
    readonly ownNotification: boolean;
  },
): { planned: PlannedNotification[]; suppressed: SuppressedNotification[] } {
  const planned: PlannedNotification[] = [];
  const { headers, sender, recipient, control } = context;
  const language = (address: string): string =>
    control.languages.rules.find((r) => matchWildcard(r.wildcard, address))?.language ??
      control.filters.language;
  const all = (why: string) => ({
    planned,
    suppressed: reactions.map((reaction) => ({ reaction, why })),
  });
  if (context.ownNotification) return all("the message is a qmvc notification");
  if ((context.action === "pass" || context.action === "tag") && !control.filters.notifyPass) {
    return all(`the message was delivered (${context.action}) and notify-pass=n`);
  }
  const suppressed: SuppressedNotification[] = [];
  for (const reaction of reactions) {
    switch (reaction) {
      case "notify-recipient":
        if (!recipient) suppressed.push({ reaction, why: "no recipient address" });
        else if (!isMailbox(recipient)) {
          suppressed.push({ reaction, why: `recipient ${quoted(recipient)} is not one mailbox` });
        } else {planned.push({
            reaction,
            template: "recipient",
            to: [recipient],
            language: language(recipient),
          });}
        break;
      case "notify-sender": {
        const automatic = automaticSenderReason(sender);
        const bulk = bulkReason(headers);
        if (automatic) {
          suppressed.push({
            reaction,
            why: `sender ${quoted(sender || "<>")} takes no mail (${automatic})`,
          });
        } else if (!isMailbox(sender)) {
          suppressed.push({ reaction, why: `sender ${quoted(sender)} is not one mailbox` });
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

/**
 * Why the message counts as bulk, list or automatic mail (RFC 3834 section 2, RFC 2369,
 * RFC 2919), or undefined. Every occurrence of a header counts, comments are ignored.
 */
export function bulkReason(headers: readonly HeaderField[]): string | undefined {
  const values = (name: string): string[] =>
    headers.filter((h) => h.name.toLowerCase() === name).map((h) => withoutComments(h.value));
  for (const value of values("precedence")) {
    const word = value.toLowerCase();
    if (word === "bulk" || word === "list" || word === "junk") return `Precedence: ${word}`;
  }
  if (values("list-id").length > 0) return "List-Id present";
  if (values("list-unsubscribe").length > 0) return "List-Unsubscribe present";
  for (const value of values("auto-submitted")) {
    const keyword = value.split(";")[0]!.trim().toLowerCase();
    if (keyword !== "no") return `Auto-Submitted: ${keyword || "(empty)"}`;
  }
  if (values("x-auto-response-suppress").length > 0) return "X-Auto-Response-Suppress present";
  return undefined;
}

/** A header value without RFC 5322 comments (nested parentheses, quoted pairs), trimmed. */
function withoutComments(value: string): string {
  let out = "";
  let depth = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === "\\" && depth > 0) i++;
    else if (c === "(") depth++;
    else if (c === ")" && depth > 0) depth--;
    else if (depth === 0) out += c;
  }
  return out.trim();
}

/** An address as it is shown in a reason: quoted, cut, controls escaped by the log's writer. */
function quoted(address: string): string {
  return JSON.stringify(address.length > 100 ? `${address.slice(0, 100)}...` : address);
}
