import { ADDRESS_FIELDS, addressFieldMailboxes } from "../message/mod.ts";

/** RFC 5322 section 3.3 (and its obsolete zones), leniently. */
export const DATE =
  /^(?:(?:mon|tue|wed|thu|fri|sat|sun),\s*)?\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\s+\d{2,4}\s+\d{1,2}:\d{2}(?::\d{2})?\s+(?:[+-]\d{4}|ut|gmt|[ecmp][sd]t|[a-ik-z])(?:\s*\(.*\))?$/i;
const MESSAGE_ID = /^<[^<>\s@]+@[^<>\s@]+>$/;
const MAILBOX = /^[^\s@]+@[^\s@]+$/;

const DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * True for the form nearly every mailer writes, `Tue, 24 Nov 2026 09:12:44 +0100`, with
 * an optional ` (comment)` of printable ASCII: only strings DATE accepts too (a subset of
 * its language, held so by tests/rules/header_syntax_test.ts), checked without compiling
 * DATE, which cost a small delivery about 0.3 M instructions. Anything else goes to DATE.
 */
export function usualDate(v: string): boolean {
  const digits = (from: number, to: number): boolean => {
    for (let i = from; i < to; i++) {
      const c = v.charCodeAt(i);
      if (c < 0x30 || c > 0x39) return false;
    }
    return true;
  };
  if (!DAYS.includes(v.slice(0, 3)) || v.slice(3, 5) !== ", ") return false;
  let at = v.charCodeAt(6) === 0x20 ? 6 : 7; // one or two digits of the day
  if (!digits(5, at) || v[at] !== " " || !MONTHS.includes(v.slice(at + 1, at + 4))) return false;
  at += 4;
  // " YYYY HH:MM:SS +ZZZZ"
  if (v[at] !== " " || !digits(at + 1, at + 5) || v[at + 5] !== " ") return false;
  if (!digits(at + 6, at + 8) || v[at + 8] !== ":" || !digits(at + 9, at + 11)) return false;
  if (v[at + 11] !== ":" || !digits(at + 12, at + 14) || v[at + 14] !== " ") return false;
  if ((v[at + 15] !== "+" && v[at + 15] !== "-") || !digits(at + 16, at + 20)) return false;
  at += 20;
  if (at === v.length) return true;
  if (v.slice(at, at + 2) !== " (" || v[v.length - 1] !== ")") return false;
  for (let i = at; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

/** Why a header value is malformed for its field, or undefined when it reads well (RFC 5322). */
export function headerSyntaxProblem(name: string, value: string): string | undefined {
  const field = name.toLowerCase();
  const v = value.trim();
  if (field === "date") {
    return usualDate(v) || DATE.test(v) ? undefined : "not an RFC 5322 date";
  }
  if (field === "message-id" || field === "in-reply-to" && v.startsWith("<")) {
    return MESSAGE_ID.test(v) ? undefined : "not a <local@domain> message id";
  }
  if (ADDRESS_FIELDS.includes(field)) {
    if (v === "") return "empty address field";
    const mailboxes = addressFieldMailboxes(v);
    if (mailboxes === "unparsable") return "address list does not parse";
    if (mailboxes.length === 0) return "no address";
    for (const m of mailboxes) {
      const address = m.address ?? "";
      if (!MAILBOX.test(address)) return `"${address.slice(0, 80)}" is not an address`;
    }
    if ((field === "sender") && mailboxes.length > 1) return "more than one mailbox";
    return undefined;
  }
  return v === "" ? "empty" : undefined;
}
