/** How much of an HTML part the meta prescan reads (WHATWG: the first 1024 bytes). */
const PRESCAN_BYTES = 1024;

/**
 * The encoding an HTML part is decoded with when that is not simply its MIME charset, in
 * the WHATWG order: a byte order mark wins; then a MIME charset a decoder knows (then this
 * returns undefined); then a `<meta charset>` or `<meta http-equiv="Content-Type">` found in the
 * first 1024 bytes. Undefined when nothing but the MIME charset (or the default) applies.
 */
export function sniffHtmlEncoding(bytes: Uint8Array, mimeCharset: string): string | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return "utf-8";
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return "utf-16be";
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return "utf-16le";
  // A MIME charset no decoder knows is no charset at all (WHATWG): go on to the meta tags.
  if (mimeCharset.trim() !== "" && isKnownLabel(mimeCharset)) return undefined;
  return prescanMeta(bytes.subarray(0, PRESCAN_BYTES));
}

function isKnownLabel(label: string): boolean {
  try {
    new TextDecoder(label.trim());
    return true;
  } catch {
    return false;
  }
}

/** WHATWG "prescan a byte stream to determine its encoding", for meta tags. */
function prescanMeta(bytes: Uint8Array): string | undefined {
  let head = "";
  for (const b of bytes) head += String.fromCharCode(b);
  let i = 0;
  while (i < head.length) {
    if (head.startsWith("<!--", i)) {
      const end = head.indexOf("-->", i + 2);
      if (end < 0) return undefined;
      i = end + 3;
      continue;
    }
    const meta = /^<meta[\t\n\f\r \/]/i.exec(head.slice(i, i + 6));
    if (meta) {
      const tag = readTag(head, i + 5);
      const label = metaCharset(tag.attributes);
      if (label !== undefined) {
        const encoding = supportedEncoding(label);
        if (encoding !== undefined) return encoding;
      }
      i = tag.end;
      continue;
    }
    if (/^<\/?[a-z]/i.test(head.slice(i, i + 3))) {
      i = readTag(head, i + 1).end;
      continue;
    }
    if (head.startsWith("<!", i) || head.startsWith("</", i) || head.startsWith("<?", i)) {
      const end = head.indexOf(">", i + 2);
      if (end < 0) return undefined;
      i = end + 1;
      continue;
    }
    i++;
  }
  return undefined;
}

function metaCharset(attributes: ReadonlyMap<string, string>): string | undefined {
  const charset = attributes.get("charset");
  if (charset !== undefined) return charset.trim();
  if (attributes.get("http-equiv")?.trim().toLowerCase() !== "content-type") return undefined;
  const match = /charset\s*=\s*["']?([^"';\s]+)/i.exec(attributes.get("content") ?? "");
  return match?.[1];
}

/** The decoder's name for a label, with WHATWG's two overrides for HTML meta tags. */
function supportedEncoding(label: string): string | undefined {
  let name: string;
  try {
    name = new TextDecoder(label).encoding;
  } catch {
    return undefined;
  }
  // A meta tag cannot declare UTF-16 (the bytes were read as ASCII to find it).
  if (name === "utf-16le" || name === "utf-16be") return "utf-8";
  if (name === "x-user-defined") return "windows-1252";
  return name;
}

function readTag(
  text: string,
  from: number,
): { attributes: Map<string, string>; end: number } {
  const attributes = new Map<string, string>();
  const pattern =
    /[\t\n\f\r \/]*([^\t\n\f\r \/>=][^\t\n\f\r \/>=]*)(?:[\t\n\f\r ]*=[\t\n\f\r ]*(?:"([^"]*)"|'([^']*)'|([^\t\n\f\r >]*)))?|[\t\n\f\r \/]*>/y;
  pattern.lastIndex = from;
  for (;;) {
    const start = pattern.lastIndex;
    const match = pattern.exec(text);
    if (!match || pattern.lastIndex === start) return { attributes, end: text.length };
    if (match[1] === undefined) return { attributes, end: pattern.lastIndex };
    const name = match[1].toLowerCase();
    if (!attributes.has(name)) attributes.set(name, match[2] ?? match[3] ?? match[4] ?? "");
  }
}
