/**
 * RFC 5321 section 4.1.2 `Mailbox`: what an envelope address may be. qmvc passes an
 * address to another program (qmail-inject) only when it is exactly one mailbox, so a
 * comma, a space, an angle bracket or a control character can never turn one address
 * into several, or into an option.
 */

/** RFC 5321 4.5.3.1: 64 octets of local part, 255 of domain, 256 of path with brackets. */
const MAX_LOCAL = 64;
const MAX_DOMAIN = 255;
const MAX_MAILBOX = 254;

// atext of RFC 5322 3.2.3: letters, digits and !#$%&'*+-/=?^_`{|}~
const DOT_STRING = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+(?:\.[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+)*$/;
// qtextSMTP and quoted-pairSMTP: printable ASCII, with " and \ only escaped.
const QUOTED_STRING = /^"(?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\[\x20-\x7e])*"$/;
const SUB_DOMAIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const IPV4 = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6 = /^IPv6:[0-9A-Fa-f:.]{2,45}$/;

/** True when `address` is one RFC 5321 mailbox (`local@domain`), and nothing else. */
export function isMailbox(address: string): boolean {
  if (address.length === 0 || address.length > MAX_MAILBOX) return false;
  const at = address.lastIndexOf("@");
  if (at < 1) return false;
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (local.length > MAX_LOCAL || domain.length === 0 || domain.length > MAX_DOMAIN) return false;
  if (!DOT_STRING.test(local) && !QUOTED_STRING.test(local)) return false;
  return isDomain(domain);
}

/** An RFC 5321 `Domain` (LDH labels) or an address literal such as [192.0.2.1]. */
export function isDomain(domain: string): boolean {
  if (domain.startsWith("[") && domain.endsWith("]")) {
    const literal = domain.slice(1, -1);
    return IPV4.test(literal) || IPV6.test(literal);
  }
  if (domain.length > MAX_DOMAIN) return false;
  return domain.split(".").every((label) => SUB_DOMAIN.test(label));
}

/** The local part as the mailbox owner would write it: quotes and quoted-pairs removed. */
export function unquotedLocalPart(address: string): string {
  const at = address.lastIndexOf("@");
  const local = at < 0 ? address : address.slice(0, at);
  if (!local.startsWith('"') || !local.endsWith('"') || local.length < 2) return local;
  return local.slice(1, -1).replace(/\\(.)/g, "$1");
}
