import { postalMime } from "./_postal_module.ts";

/** The header fields that hold address lists (RFC 5322 section 3.6.2 and 3.6.3). */
export const ADDRESS_FIELDS: readonly string[] = ["from", "sender", "reply-to", "to", "cc", "bcc"];

/**
 * The mailboxes of an address field's value, groups flattened, as postal-mime's
 * addressParser reads them; "unparsable" when it throws. The simple forms (bare
 * addresses and `Plain Name <address>`, comma-separated) are read here without
 * postal-mime (see simpleMailboxes); tests/message/address_field_test.ts holds the two
 * readings equal.
 */
export function addressFieldMailboxes(
  value: string,
): readonly { readonly address?: string | undefined }[] | "unparsable" {
  const simple = simpleMailboxes(value);
  if (simple) return simple;
  const { addressParser } = postalMime();
  try {
    return addressParser(value, { flatten: true });
  } catch {
    return "unparsable";
  }
}

/**
 * The addresses of a list of simple mailboxes, or undefined for anything else: a bare
 * address or `Name <address>` whose name is plain words, comma-separated. Only letters,
 * digits and `. _ % + - '` occur, so nothing is quoted, commented, grouped or encoded.
 * Values over 998 characters (a line's limit) are left to postal-mime, which bounds the
 * time spent here.
 */
export function simpleMailboxes(value: string): { address: string }[] | undefined {
  if (value.length > 998) return undefined;
  const mailboxes: { address: string }[] = [];
  // An index loop: the first array iterator (entries()) of a process costs it about
  // 0.1 M instructions, and every delivery reads an address field.
  const pieces = value.split(",");
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i]!;
    const m = SIMPLE_MAILBOX.exec(i > 0 && piece.startsWith(" ") ? piece.slice(1) : piece);
    if (!m) return undefined;
    mailboxes.push({ address: (m[1] ?? m[2])! });
  }
  return mailboxes;
}

const ADDRESS = "[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+";
const SIMPLE_MAILBOX = new RegExp(
  `^(?:(${ADDRESS})|[A-Za-z0-9'-]+(?: [A-Za-z0-9'-]+)* <(${ADDRESS})>)$`,
);
