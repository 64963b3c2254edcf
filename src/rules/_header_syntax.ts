import { ADDRESS_FIELDS, addressFieldMailboxes } from "../message/mod.ts";

const DATE =
  /^(?:(?:mon|tue|wed|thu|fri|sat|sun),\s*)?\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\s+\d{2,4}\s+\d{1,2}:\d{2}(?::\d{2})?\s+(?:[+-]\d{4}|ut|gmt|[ecmp][sd]t|[a-ik-z])(?:\s*\(.*\))?$/i;
const MESSAGE_ID = /^<[^<>\s@]+@[^<>\s@]+>$/;
const MAILBOX = /^[^\s@]+@[^\s@]+$/;

/** Why a header value is malformed for its field, or undefined when it reads well (RFC 5322). */
export function headerSyntaxProblem(name: string, value: string): string | undefined {
  const field = name.toLowerCase();
  const v = value.trim();
  if (field === "date") return DATE.test(v) ? undefined : "not an RFC 5322 date";
  if (field === "message-id" || field === "in-reply-to" && v.startsWith("<")) {
    return MESSAGE_ID.test(v) ? undefined : "not a <local@domain> message id";
  }
  if (ADDRESS_FIELDS.includes(field)) {
    if (v === "") return "empty address field";
    const mailboxes = addressFieldMailboxes(v);
    if (mailboxes === "unparsable") return "address list does not parse";
    if (mailboxes.length === 0) return "no address";
    const bad = mailboxes.find((m) => !MAILBOX.test(m.address ?? ""));
    if (bad) return `"${(bad.address ?? "").slice(0, 80)}" is not an address`;
    if ((field === "sender") && mailboxes.length > 1) return "more than one mailbox";
    return undefined;
  }
  return v === "" ? "empty" : undefined;
}
