import type { MimeNodeView } from "./_postal_tree.ts";
import { passLines } from "./_body_lines.ts";
import type { RawHeaderBlock } from "./_raw_header.ts";

/**
 * The parse tree of a message that needs no MIME decoding at all, built without
 * postal-mime: one text/plain part in 7bit or 8bit, no Content-Disposition, at most
 * one Content-Type with nothing but a charset. Most of postal-mime's cost for a small
 * message is its first run, so ordinary short mail is decided sooner this way.
 *
 * The tree is the one postal-mime builds for such a message, field for field (its body
 * lines without their line ends, each followed by "\n"); tests/message/simple_tree_test.ts
 * holds the two side by side on every fixture and corpus message. Anything else, or
 * anything in doubt, is undefined: postal-mime parses it.
 */
export function simpleMimeTree(
  bytes: Uint8Array,
  raw: RawHeaderBlock,
  maxHeaderBytes: number,
): MimeNodeView | undefined {
  if (!raw.separatorFound || raw.truncated || raw.bodyOffset >= maxHeaderBytes) return undefined;
  if (hasBareCr(bytes, raw.bodyOffset)) return undefined;
  let contentType: MimeNodeView["contentType"] = {
    value: "text/plain",
    parsed: { value: "text/plain", params: {} },
    multipart: false,
  };
  let transfer: MimeNodeView["contentTransferEncoding"] = { value: "8bit", encoding: "8bit" };
  const headers: { key: string; originalKey: string; value: string }[] = [];
  let typeSeen = false;
  let encodingSeen = false;
  for (const field of raw.fields) {
    const key = field.name.toLowerCase();
    if (key !== field.name.trim().toLowerCase() || field.eightBit) return undefined;
    headers.push({ key, originalKey: field.name, value: field.value });
    if (key === "content-disposition" || key.startsWith("content-") && !KNOWN.has(key)) {
      return undefined;
    }
    if (key === "content-type") {
      if (typeSeen) return undefined;
      typeSeen = true;
      const found = SIMPLE_TYPE.exec(field.value);
      if (!found) return undefined;
      const charset = found[4];
      if (charset !== undefined && !decodable(charset)) return undefined;
      contentType = {
        value: field.value,
        parsed: { value: found[1]!, params: charset === undefined ? {} : { charset } },
        multipart: false,
      };
    } else if (key === "content-transfer-encoding") {
      if (encodingSeen) return undefined;
      encodingSeen = true;
      const encoding = field.value.toLowerCase();
      if (encoding !== "7bit" && encoding !== "8bit") return undefined;
      transfer = { value: field.value, encoding };
    }
  }
  const content = bodyLines(bytes, raw.bodyOffset);
  const charset = contentType.parsed.params["charset"];
  return {
    childNodes: [],
    contentType,
    contentTransferEncoding: transfer,
    contentDisposition: { value: "", parsed: { value: "", params: {} } },
    headers,
    content,
    getTextContent: () => new TextDecoder(charset ?? "utf8").decode(content),
  };
}

/** Content-* fields that do not change how the body is read. */
const KNOWN = new Set([
  "content-type",
  "content-transfer-encoding",
  "content-id",
  "content-description",
  "content-language",
]);

/** `text/plain`, optionally `; charset=X` or `; charset="X"`: nothing to unquote or fold. */
const SIMPLE_TYPE = /^(text\/plain)(\s*;\s*charset\s*=\s*("?)([A-Za-z0-9._-]{1,40})\3)?$/i;

function decodable(label: string): boolean {
  try {
    new TextDecoder(label);
    return true;
  } catch {
    return false;
  }
}

/** A CR not followed by LF in the header: the two parsers could split lines differently. */
function hasBareCr(bytes: Uint8Array, end: number): boolean {
  // From CR to CR by the native indexOf: a loop over every byte costs the interpreter
  // about a thousand instructions a byte.
  for (let i = bytes.indexOf(0x0d); i >= 0 && i < end; i = bytes.indexOf(0x0d, i + 1)) {
    if (bytes[i + 1] !== 0x0a) return true;
  }
  return false;
}

/** The body as postal-mime's pass-through decoder keeps it: lines without line ends, each + "\n". */
function bodyLines(bytes: Uint8Array, start: number): Uint8Array {
  return start < bytes.length ? passLines(bytes, [start, bytes.length]) : new Uint8Array(0);
}
