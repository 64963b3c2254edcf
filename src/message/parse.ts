import { scanBytes } from "./_byte_scan.ts";
import type { MimeNodeView } from "./_postal_tree.ts";
import { type RawHeaderBlock, readRawHeader } from "./_raw_header.ts";
import { simpleMimeTree } from "./_simple_tree.ts";
import { decodeWords } from "./decode_words.ts";
import { ADDRESS_FIELDS, simpleMailboxes } from "./address_field.ts";
import { loadPostalMime } from "./_postal_module.ts";
import type { Defect, DefectCode } from "./defect.ts";
import { DEFAULT_LIMITS, type Limits } from "./limits.ts";
import {
  type HeaderField,
  headerValue,
  type InnerMessage,
  type Message,
  type Part,
} from "./message.ts";
import { isTnef, readTnef } from "./tnef.ts";
import { extractEmbeddedFiles, mayHoldEmbeddedFiles } from "./uuencode.ts";
import { binaryString, startsALine } from "./binary_string.ts";
import { sniffHtmlEncoding } from "./_html_charset.ts";

/** RFC 5322 section 3.6: fields that may appear at most once in a message header. */
const SINGLETON_FIELDS = [
  "from",
  "sender",
  "reply-to",
  "to",
  "cc",
  "bcc",
  "message-id",
  "in-reply-to",
  "references",
  "subject",
  "date",
];

const KNOWN_TRANSFER_ENCODINGS = new Set([
  "",
  "7bit",
  "8bit",
  "binary",
  "base64",
  "quoted-printable",
]);
const UUENCODE_TRANSFER_ENCODINGS = new Set(["x-uuencode", "uuencode", "x-uue"]);
/** Transfer encodings whose body postal-mime keeps as it is, line by line. */
const PASS_THROUGH = new Set(["", "7bit", "8bit", "binary"]);

/** True when the message does not end with LF but its decoded body does. */
function lastLineUnended(message: Uint8Array, content: Uint8Array): boolean {
  return message.length > 0 && message[message.length - 1] !== 0x0a &&
    content.length > 0 && content[content.length - 1] === 0x0a;
}

/**
 * MIME nodes (leaves and the multiparts around them) parsed per allowed part. Past
 * that the structure is not followed: 800 000 empty parts in 4 MB cost gigabytes of
 * parse nodes, and the part limit leaves them unanalysed anyway.
 */
const MAX_NODES_PER_PART = 2;

interface Walk {
  readonly limits: Limits;
  readonly parts: Part[];
  readonly inner: InnerMessage[];
  readonly defects: Defect[];
  tooManyParts: boolean;
}

/**
 * Parse a message into its header fields, every leaf part (MIME leaves, uuencoded and
 * yEnc blocks in text bodies, TNEF attachments, the parts of nested messages) and the
 * structural defects seen on the way. Never throws on message content.
 */
export async function parseMessage(
  bytes: Uint8Array,
  options: { limits?: Limits } = {},
): Promise<Message> {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const walk: Walk = { limits, parts: [], inner: [], defects: [], tooManyParts: false };
  let input = bytes;
  if (bytes.length > limits.maxMessageBytes) {
    walk.defects.push({
      code: "MESSAGE_TOO_LARGE",
      part: "0",
      evidence: `${bytes.length} bytes, only the first ${limits.maxMessageBytes} are parsed`,
    });
    // Cut after the last whole line that fits: a body of whole lines needs no copy to
    // be read as text (the pass-through decoder hands back a view).
    const lastLine = bytes.lastIndexOf(0x0a, limits.maxMessageBytes - 1);
    input = bytes.subarray(0, lastLine > 0 ? lastLine + 1 : limits.maxMessageBytes);
  }
  if (bytes.length === 0) {
    walk.defects.push({ code: "MESSAGE_EMPTY", part: "0", evidence: "0 bytes" });
  }

  const header = await parseLevel(withoutMboxEnvelope(input), "", 0, walk);
  return {
    size: bytes.length,
    headers: header.fields,
    subject: decodeWords(headerValue(header.fields, "subject") ?? ""),
    from: decodeWords(headerValue(header.fields, "from") ?? ""),
    messageId: headerValue(header.fields, "message-id") ?? "",
    parts: walk.parts,
    innerMessages: walk.inner,
    defects: walk.defects,
  };
}

/**
 * Parse one message level (the message, or an inner message/rfc822); returns its header.
 * With `head` (another reading of a Content-Type), the header is `head` and `bytes` is
 * the body: the level is read as their concatenation, which is never built.
 */
async function parseLevel(
  bytes: Uint8Array,
  prefix: string,
  depth: number,
  walk: Walk,
  head?: Uint8Array,
): Promise<{ fields: HeaderField[] }> {
  const where = prefix || "0";
  const raw = readRawHeader(head ?? bytes, walk.limits.maxHeaderBytes);
  const bodyOffset = head ? 0 : raw.bodyOffset;
  checkHeader(raw, (head?.length ?? 0) + bytes.length, where, walk);
  checkBytes(bytes, where, walk, head);
  const fields: HeaderField[] = [];
  for (const f of raw.fields) fields.push({ name: f.name, value: f.value });
  // Whatever postal-mime will be asked for after the parse (decodeWords, the address
  // fields' check) is loaded now; a message with MIME parts loads it in leanMimeTree.
  if (depth === 0 && !head && needsPostalMime(bytes, fields)) await loadPostalMime();

  // Without the empty line postal-mime would read the body as more header lines and the
  // text would vanish from the analysis; parse as if the separator were there.
  const parseable = !head && !raw.separatorFound && raw.invalidLine
    ? insertSeparator(bytes, raw.bodyOffset)
    : bytes;
  let root: MimeNodeView;
  let cut = false;
  let longFields: readonly string[] = [];
  let loading = false;
  try {
    const simple = head ? undefined : simpleMimeTree(parseable, raw, walk.limits.maxHeaderBytes);
    if (simple) root = simple;
    else {
      // postal-mime and its side load only for a message the simple reading does not take.
      loading = true;
      const { leanMimeTree } = await import("./_lean_tree.ts");
      await loadPostalMime();
      loading = false;
      ({ root, cut, longFields } = await leanMimeTree(parseable, {
        maxNestingDepth: walk.limits.maxMimeDepth,
        maxHeadersSize: walk.limits.maxHeaderBytes,
        maxNodes: MAX_NODES_PER_PART * walk.limits.maxParts,
      }, head));
    }
  } catch (error) {
    // Code that does not load is qmvc's failure, not the message's: the delivery defers.
    if (loading) throw error;
    const text = error instanceof Error ? error.message : String(error);
    const code: DefectCode = /nesting depth/i.test(text)
      ? "MIME_NESTING_TOO_DEEP"
      : /header size/i.test(text)
      ? "HEADER_TOO_LARGE"
      : "MIME_PARSE_FAILED";
    addDefect(walk, code, where, text);
    // Nothing may hide behind a parse failure: the body is kept as one opaque part that
    // is scanned and sniffed like any attachment.
    addPart(walk, opaquePart(`${prefix ? prefix + "." : ""}1`, bytes.subarray(bodyOffset)));
    return { fields };
  }
  for (const field of longFields) addDefect(walk, "MIME_HEADER_TOO_LONG", where, field);
  const before = walk.parts.length;
  await walkNode(root, parseable, prefix, true, depth, walk);
  if (cut && !walk.tooManyParts) {
    walk.tooManyParts = true;
    addDefect(
      walk,
      "MIME_TOO_MANY_PARTS",
      where,
      `more than ${MAX_NODES_PER_PART * walk.limits.maxParts} MIME parts, the rest is not parsed`,
    );
  }
  if (root.contentType.multipart && root.childNodes.length > 0) {
    // Split under one boundary, a second Content-Type may name another that the body
    // also uses: that reading is inspected too.
    await inspectOtherReadings(root, bytes.subarray(bodyOffset), where, depth, walk);
  }
  if (walk.parts.length === before && bodyOffset < bytes.length && !walk.tooManyParts) {
    // A multipart whose boundary is missing or never used yields no parts; its body is
    // still what the recipient gets, so it is kept as one part to sniff and scan.
    addPart(walk, opaquePart(`${prefix ? prefix + "." : ""}1`, bytes.subarray(bodyOffset)));
  }
  return { fields };
}

function insertSeparator(bytes: Uint8Array, at: number): Uint8Array {
  const out = new Uint8Array(bytes.length + 1);
  out.set(bytes.subarray(0, at));
  out[at] = 0x0a;
  out.set(bytes.subarray(at), at + 1);
  return out;
}

/**
 * A message saved from an mbox starts with a `From sender date` envelope line, which
 * is not a header field. qmail-local never passes one to a program, but files given to
 * `qmvc check` often have it, so it is skipped rather than reported.
 */
function withoutMboxEnvelope(bytes: Uint8Array): Uint8Array {
  const isEnvelope = bytes[0] === 0x46 && bytes[1] === 0x72 && bytes[2] === 0x6f &&
    bytes[3] === 0x6d &&
    bytes[4] === 0x20;
  if (!isEnvelope) return bytes;
  const nl = bytes.indexOf(0x0a);
  return nl < 0 ? bytes : bytes.subarray(nl + 1);
}

function checkHeader(raw: RawHeaderBlock, size: number, where: string, walk: Walk): void {
  if (raw.truncated) {
    addDefect(
      walk,
      "HEADER_TOO_LARGE",
      where,
      `header block exceeds ${walk.limits.maxHeaderBytes} bytes`,
    );
  } else if (!raw.separatorFound && raw.bodyOffset < size) {
    const line = raw.invalidLine;
    addDefect(
      walk,
      "HEADER_SEPARATOR_MISSING",
      where,
      line
        ? `body starts at line ${line.line}: ${line.text.slice(0, 60)}`
        : "header block never ends",
    );
  }
  if (raw.invalidLine && raw.fields.length === 0) {
    addDefect(
      walk,
      "HEADER_LINE_INVALID",
      where,
      `line ${raw.invalidLine.line}: ${raw.invalidLine.text.slice(0, 80)}`,
    );
  }
  const eightBit = new Set<string>();
  const counts = new Map<string, number>();
  for (const f of raw.fields) {
    if (f.eightBit) eightBit.add(f.name);
    const key = f.name.toLowerCase();
    if (SINGLETON_FIELDS.includes(key)) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  if (eightBit.size) addDefect(walk, "HEADER_8BIT", where, [...eightBit].join(", "));
  // Each field given more than once, named as it is first written.
  const duplicates: string[] = [];
  for (const f of raw.fields) {
    const key = f.name.toLowerCase();
    if ((counts.get(key) ?? 0) > 1) {
      duplicates.push(f.name);
      counts.delete(key);
    }
  }
  if (duplicates.length) addDefect(walk, "HEADER_DUPLICATE", where, duplicates.join(", "));
}

function checkBytes(bytes: Uint8Array, where: string, walk: Walk, head?: Uint8Array): void {
  const scan = head ? scanJoined(head, bytes) : scanBytes(bytes);
  if (scan.nulBytes) {
    addDefect(
      walk,
      "MESSAGE_NUL_BYTE",
      where,
      `${scan.nulBytes} NUL byte(s), first at offset ${scan.firstNulOffset}`,
    );
  }
  if (scan.bareCr) addDefect(walk, "MESSAGE_BARE_CR", where, `${scan.bareCr} bare CR(s)`);
  if (scan.firstLongLine) {
    addDefect(
      walk,
      "LINE_TOO_LONG",
      where,
      `${scan.longLines} line(s) over 998 octets, first is line ${scan.firstLongLine.line} (${scan.firstLongLine.length})`,
    );
  }
}

/** scanBytes of `head` followed by `body` (head ending in a line end), without joining them. */
function scanJoined(head: Uint8Array, body: Uint8Array): ReturnType<typeof scanBytes> {
  const a = scanBytes(head);
  const b = scanBytes(body);
  let headLines = 0;
  for (let i = head.indexOf(0x0a); i >= 0; i = head.indexOf(0x0a, i + 1)) headLines++;
  return {
    nulBytes: a.nulBytes + b.nulBytes,
    firstNulOffset: a.firstNulOffset >= 0
      ? a.firstNulOffset
      : b.firstNulOffset >= 0
      ? head.length + b.firstNulOffset
      : -1,
    bareCr: a.bareCr + b.bareCr,
    longLines: a.longLines + b.longLines,
    firstLongLine: a.firstLongLine ??
      (b.firstLongLine &&
        { line: b.firstLongLine.line + headLines, length: b.firstLongLine.length }),
  };
}

async function walkNode(
  node: MimeNodeView,
  bytes: Uint8Array,
  path: string,
  isRoot: boolean,
  depth: number,
  walk: Walk,
): Promise<void> {
  const conflict = mayConflict(node) ? headerConflict(node) : undefined;
  if (conflict) addDefect(walk, "MIME_HEADER_CONFLICT", path || "0", conflict);
  if (node.contentType.multipart) {
    checkMultipart(node, bytes, path || "0", walk);
    if (node.childNodes.length === 0 && node.content && node.content.byteLength > 0) {
      // A multipart that did not split (no usable boundary) still reaches the recipient:
      // its body is one part to sniff and scan, and any other reading of its header too.
      const partPath = isRoot ? (path ? `${path}.1` : "1") : path;
      const body = contentBytes(node);
      if (!addPart(walk, opaquePart(partPath, body))) return;
      if (mayReadOtherwise(node)) await inspectOtherReadings(node, body, partPath, depth, walk);
      return;
    }
    let index = 0;
    for (const child of node.childNodes) {
      index++;
      await walkNode(child, bytes, path ? `${path}.${index}` : String(index), false, depth, walk);
    }
    return;
  }
  // A message that is not multipart has one part, numbered 1 (IMAP).
  const partPath = isRoot ? (path ? `${path}.1` : "1") : path;
  const type = node.contentType.parsed.value.toLowerCase() || "text/plain";
  const encoding = node.contentTransferEncoding.value.trim().toLowerCase();
  let content = contentBytes(node);
  if (isRoot && PASS_THROUGH.has(encoding) && lastLineUnended(bytes, content)) {
    // postal-mime ends every body line with LF; a message whose last line has none is
    // that many bytes, not one more.
    content = content.subarray(0, content.length - 1);
  }

  if (UUENCODE_TRANSFER_ENCODINGS.has(encoding)) {
    const file = extractEmbeddedFiles(content)[0];
    if (file) content = file.content;
  } else if (!KNOWN_TRANSFER_ENCODINGS.has(encoding)) {
    addDefect(
      walk,
      "MIME_ENCODING_UNKNOWN",
      partPath,
      node.contentTransferEncoding.value.slice(0, 80),
    );
  }

  if (type === "message/rfc822" || type === "message/global") {
    await openInnerMessage(node, content, partPath, depth, walk);
    return;
  }
  if (type === "message/partial") {
    // One fragment of a message split over several mails (RFC 2046 5.2.2): what the
    // whole carries can only be seen once reassembled, which qmvc does not do.
    const params = node.contentType.parsed.params;
    addDefect(
      walk,
      "MESSAGE_PARTIAL",
      partPath,
      `part ${(params["number"] ?? "?").slice(0, 10)} of ${(params["total"] ?? "?").slice(0, 10)}`,
    );
  }

  const part = mimePart(node, partPath, type, encoding, content);
  if (!addPart(walk, part)) return;
  if (type.startsWith("text/") && mayHoldEmbeddedFiles(content)) {
    addEmbedded(content, partPath, walk);
  }
  if (isTnef(content)) addTnef(content, partPath, walk);
  if (mayReadOtherwise(node)) await inspectOtherReadings(node, content, partPath, depth, walk);
}

/** A node's decoded body as bytes, without copying it. */
function contentBytes(node: MimeNodeView): Uint8Array {
  const content = node.content;
  if (content === null) return new Uint8Array(0);
  return content instanceof Uint8Array ? content : new Uint8Array(content);
}

/**
 * Parse differentials: a Content-Type that postal-mime reads one way may read as a
 * multipart to a mail client (a control character in it, a second Content-Type field).
 * Where another reading is a multipart whose boundary starts a line of this body, that
 * reading is inspected too (its parts numbered `PATH.alt.N`), and the ambiguity is a
 * defect. Each reading costs one level of `maxMessageDepth`, so readings of readings end.
 */
async function inspectOtherReadings(
  node: MimeNodeView,
  body: Uint8Array,
  path: string,
  depth: number,
  walk: Walk,
): Promise<void> {
  const fields: string[] = [];
  for (const h of node.headers) if (h.key === "content-type") fields.push(h.value);
  const usedBoundary = node.childNodes.length > 0
    ? node.contentType.parsed.params["boundary"]
    : undefined;
  const seen = new Set<string>();
  for (const field of fields) {
    const reading = multipartReading(field);
    if (!reading || reading.boundary === usedBoundary || seen.has(reading.boundary)) continue;
    if (!startsALine(body, new TextEncoder().encode(`--${reading.boundary}`))) continue;
    seen.add(reading.boundary);
    if (depth + 1 > walk.limits.maxMessageDepth) {
      addDefect(walk, "MESSAGE_NESTING_TOO_DEEP", path, "another reading of a Content-Type");
      return;
    }
    addDefect(
      walk,
      "CONTENT_TYPE_AMBIGUOUS",
      path,
      `${fields.length > 1 ? `${fields.length} Content-Type fields; ` : ""}"${
        escapeControls(field).slice(0, 100)
      }" reads as ${reading.type}; boundary="${
        reading.boundary.slice(0, 70)
      }", which this body uses: both readings inspected`,
    );
    const header = new TextEncoder().encode(
      `Content-Type: ${reading.type}; boundary="${reading.boundary}"\r\n\r\n`,
    );
    await parseLevel(body, `${path}.alt`, depth + 1, walk, header);
  }
}

/**
 * False when no Content-Type of the node can read as a multipart: none holds a control
 * character or the word (the usual leaf). The readings are then not looked for, and the
 * code that looks is not even loaded by the runtime: this runs for every part.
 */
function mayReadOtherwise(node: MimeNodeView): boolean {
  for (const h of node.headers) {
    if (h.key !== "content-type") continue;
    if (hasHeaderControl(h.value) || h.value.toLowerCase().includes("multipart")) return true;
  }
  return false;
}

/**
 * False when the node cannot show a header conflict: no field that may be given twice
 * with another value, and no parameter that may be given twice. (The usual part; see
 * mayReadOtherwise for why this is checked apart.)
 */
function mayConflict(node: MimeNodeView): boolean {
  let encodings = 0;
  let dispositions = 0;
  for (const h of node.headers) {
    if (h.key === "content-transfer-encoding") encodings++;
    else if (h.key === "content-disposition") dispositions++;
    else if (h.key !== "content-type") continue;
    if (h.key !== "content-transfer-encoding" && mayNameParameter(h.value)) return true;
  }
  return encodings > 1 || dispositions > 1;
}

/**
 * Two readings of how a part is to be read: a second Content-Transfer-Encoding or
 * Content-Disposition that says something else, or a boundary, name or filename given
 * twice with different values. qmvc reads the first, as postal-mime does; a mail client
 * may read the last, and see an executable where qmvc saw text. What the other reading
 * would show was not inspected, so this is `unchecked` (fail closed).
 */
function headerConflict(node: MimeNodeView): string | undefined {
  for (const field of ["content-transfer-encoding", "content-disposition"]) {
    const values = new Set<string>();
    for (const h of node.headers) if (h.key === field) values.add(h.value.trim().toLowerCase());
    if (values.size > 1) return `${field}: ${[...values].join(" / ").slice(0, 120)}`;
  }
  for (const field of ["content-type", "content-disposition"]) {
    const header = firstField(node.headers, field);
    // Every match has "=" and "name" or "boundary" (any case): without them the
    // expression is not compiled (most parts, and every small text message).
    if (!header || !mayNameParameter(header.value)) continue;
    const seen = new Map<string, string>();
    for (const m of header.value.matchAll(CONFLICT_PARAMS)) {
      const key = m[1]!.toLowerCase();
      const value = (m[3] ?? m[4] ?? "").trim();
      const earlier = seen.get(key);
      if (earlier !== undefined && earlier !== value) {
        return `${field} ${key}: "${earlier.slice(0, 60)}" / "${value.slice(0, 60)}"`;
      }
      seen.set(key, value);
    }
  }
  return undefined;
}

function firstField(
  headers: MimeNodeView["headers"],
  key: string,
): MimeNodeView["headers"][number] | undefined {
  for (const h of headers) if (h.key === key) return h;
  return undefined;
}

/** False when `value` cannot hold a CONFLICT_PARAMS match: no "=", or neither "name" nor "boundary". */
function mayNameParameter(value: string): boolean {
  if (!value.includes("=")) return false;
  const lower = value.toLowerCase();
  return lower.includes("name") || lower.includes("boundary");
}

/** boundary=, name=, filename= (and RFC 2231 name*= forms), quoted or not. */
const CONFLICT_PARAMS = /(?:^|;)\s*(boundary|name\*?|filename\*?)\s*=\s*("([^"]*)"|([^;\s]*))/gi;

/** C0 controls (but tab) and DEL: what mail clients drop from a header value. */
// deno-lint-ignore no-control-regex
const HEADER_CONTROLS = /[\x00-\x08\x0a-\x1f\x7f]/g;

/** A Content-Type value read with control characters dropped, when it is a multipart with a boundary. */
function multipartReading(value: string): { type: string; boundary: string } | undefined {
  const clean = hasHeaderControl(value) ? value.replace(HEADER_CONTROLS, "") : value;
  const semicolon = clean.indexOf(";");
  const type = (semicolon < 0 ? clean : clean.slice(0, semicolon)).trim().toLowerCase();
  if (semicolon < 0 || !type.startsWith("multipart/") || !/^multipart\/[a-z0-9.+-]+$/.test(type)) {
    return undefined;
  }
  for (const param of clean.slice(semicolon + 1).split(";")) {
    const eq = param.indexOf("=");
    if (eq < 0 || param.slice(0, eq).trim().toLowerCase() !== "boundary") continue;
    let boundary = param.slice(eq + 1).trim();
    if (boundary.startsWith('"') && boundary.endsWith('"') && boundary.length >= 2) {
      boundary = boundary.slice(1, -1);
    }
    return boundary && boundary.length <= 200 && !boundary.includes('"')
      ? { type, boundary }
      : undefined;
  }
  return undefined;
}

/** True when `value` holds a HEADER_CONTROLS character (a loop: no expression to compile). */
function hasHeaderControl(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f) return true;
  }
  return false;
}

function escapeControls(text: string): string {
  return text.replace(
    HEADER_CONTROLS,
    (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`,
  );
}

async function openInnerMessage(
  node: MimeNodeView,
  content: Uint8Array,
  path: string,
  depth: number,
  walk: Walk,
): Promise<void> {
  if (depth + 1 > walk.limits.maxMessageDepth) {
    addDefect(
      walk,
      "MESSAGE_NESTING_TOO_DEEP",
      path,
      `more than ${walk.limits.maxMessageDepth} nested messages`,
    );
    // Below the limit nothing is parsed, but the bytes still go to the scanners and the
    // sniffers as one part, so depth is no hiding place.
    addPart(walk, {
      ...mimePart(node, path, "message/rfc822", "", content),
      complete: false,
      hiddenNames: scanNames(content),
    });
    return;
  }
  const position = walk.inner.length;
  const header = await parseLevel(content, path, depth + 1, walk);
  // Outer messages before the messages they contain: document order.
  walk.inner.splice(position, 0, {
    path,
    subject: decodeWords(headerValue(header.fields, "subject") ?? ""),
    from: decodeWords(headerValue(header.fields, "from") ?? ""),
    headers: header.fields,
  });
}

function checkMultipart(node: MimeNodeView, bytes: Uint8Array, path: string, walk: Walk): void {
  const boundary = node.contentType.parsed.params["boundary"];
  const type = node.contentType.parsed.value.toLowerCase();
  if (!boundary) {
    addDefect(walk, "MIME_BOUNDARY_MISSING", path, type);
    return;
  }
  if (node.childNodes.length === 0) {
    addDefect(
      walk,
      "MIME_BOUNDARY_UNUSED",
      path,
      `boundary "${boundary.slice(0, 80)}" never appears`,
    );
    return;
  }
  if (!startsALine(bytes, new TextEncoder().encode(`--${boundary}--`))) {
    addDefect(
      walk,
      "MIME_MULTIPART_UNTERMINATED",
      path,
      `no closing "--${boundary.slice(0, 80)}--"`,
    );
  }
}

function mimePart(
  node: MimeNodeView,
  path: string,
  type: string,
  encoding: string,
  content: Uint8Array,
): Part {
  const params = node.contentType.parsed.params;
  const name = params["name"];
  const filename = node.contentDisposition.parsed.params["filename"];
  // The text is decoded when first read: only the text rules and plainmail read it, and
  // a large text part would otherwise be held a second time, as a string, by every
  // delivery.
  let text: string | undefined;
  let decoded = false;
  // An HTML part may name its charset only in a <meta> tag (or carry a BOM).
  const htmlEncoding = (): string | undefined =>
    type === "text/html" ? sniffHtmlEncoding(content, params["charset"] ?? "") : undefined;
  const decodeText = (): string | undefined => {
    const sniffed = htmlEncoding();
    if (sniffed !== undefined) return new TextDecoder(sniffed).decode(content);
    if (!type.startsWith("text/")) return undefined;
    try {
      return node.getTextContent();
    } catch {
      return new TextDecoder().decode(content);
    }
  };
  const textPieces = function* (): Generator<string> {
    if (!type.startsWith("text/")) return;
    if (!decoded) {
      // The bytes `text` decodes: the part's own for a sniffed page, postal-mime's otherwise.
      const sniffed = htmlEncoding();
      if (sniffed !== undefined) {
        yield* decodeInPieces(content, sniffed);
        return;
      }
      const label = streamingLabel(params);
      if (label !== undefined) {
        yield* decodeInPieces(contentBytes(node), label);
        return;
      }
    }
    // Decoded already, or only postal-mime knows how: the whole text, once.
    const whole = decoded ? text : decodeText();
    if (whole) yield whole;
  };
  return {
    path,
    origin: "mime",
    declaredType: type,
    disposition: node.contentDisposition.parsed.value.toLowerCase(),
    transferEncoding: encoding,
    charset: (params["charset"] ?? "").toLowerCase(),
    nameParam: name === undefined ? undefined : decodeWords(name),
    filenameParam: filename === undefined ? undefined : decodeWords(filename),
    content,
    hasText: type.startsWith("text/"),
    get text() {
      if (!decoded) {
        text = decodeText();
        decoded = true;
      }
      return text;
    },
    textPieces,
    complete: true,
    hiddenNames: [],
  };
}

/** Bytes decoded at a time when a text part is read in pieces. */
const PIECE_BYTES = 1024 * 1024;

/**
 * The label a text part can be decoded with a piece at a time, giving what postal-mime's
 * whole decoding gives: a charset the runtime's decoder knows as written (postal-mime then
 * uses that decoder), or none (UTF-8). Undefined for what postal-mime treats itself: an
 * alias it maps, an unknown charset, format=flowed text.
 */
function streamingLabel(params: Readonly<Record<string, string>>): string | undefined {
  if (/^flowed$/i.test(params["format"] ?? "")) return undefined;
  const label = (params["charset"] || "utf8").trim().toLowerCase();
  try {
    new TextDecoder(label);
    return label;
  } catch {
    return undefined;
  }
}

function* decodeInPieces(content: Uint8Array, label: string): Generator<string> {
  const decoder = new TextDecoder(label);
  for (let at = 0; at < content.length; at += PIECE_BYTES) {
    const piece = decoder.decode(content.subarray(at, at + PIECE_BYTES), { stream: true });
    if (piece !== "") yield piece;
  }
  const rest = decoder.decode();
  if (rest !== "") yield rest;
}

/** Names that bound a raw scan of bytes that were not parsed. */
const MAX_HIDDEN_NAMES = 50;

/** File names declared anywhere in unparsed MIME bytes (name=, filename=, RFC 2231 forms). */
function scanNames(content: Uint8Array): string[] {
  const text = binaryString(content.subarray(0, Math.min(content.length, 8 * 1024 * 1024)));
  const names = new Set<string>();
  for (
    const m of text.matchAll(
      /\b(?:file)?name\*?(?:\d+\*?)?\s*=\s*(?:"([^"\r\n]{1,255})"|([^\s;"]{1,255}))/gi,
    )
  ) {
    names.add(decodeWords(m[1] ?? m[2] ?? ""));
    if (names.size >= MAX_HIDDEN_NAMES) break;
  }
  return [...names].filter((n) => n !== "");
}

function opaquePart(path: string, content: Uint8Array): Part {
  return {
    path,
    origin: "mime",
    declaredType: "application/octet-stream",
    disposition: "",
    transferEncoding: "",
    charset: "",
    nameParam: undefined,
    filenameParam: undefined,
    content,
    hasText: false,
    text: undefined,
    textPieces: () => [],
    complete: false,
    hiddenNames: [],
  };
}

function addEmbedded(content: Uint8Array, path: string, walk: Walk): void {
  let index = 0;
  for (const file of extractEmbeddedFiles(content)) {
    index++;
    const tag = file.encoding === "yenc" ? "yenc" : "uu";
    const partPath = `${path}.${tag}${index}`;
    if (file.encoding === "yenc") addDefect(walk, "YENC_ENCODED", partPath, file.name);
    if (!file.terminated) addDefect(walk, "UUENCODE_UNTERMINATED", partPath, file.name);
    addPart(walk, {
      ...opaquePart(partPath, file.content),
      origin: file.encoding,
      filenameParam: file.name,
      complete: file.terminated,
    });
  }
}

function addTnef(content: Uint8Array, path: string, walk: Walk): void {
  const tnef = readTnef(content);
  if (tnef.error) addDefect(walk, "TNEF_INVALID", path, tnef.error);
  tnef.attachments.forEach((attachment, i) => {
    addPart(walk, {
      ...opaquePart(`${path}.tnef${i + 1}`, attachment.content),
      origin: "tnef",
      filenameParam: attachment.name,
      complete: true,
    });
  });
}

function addPart(walk: Walk, part: Part): boolean {
  if (walk.parts.length >= walk.limits.maxParts) {
    if (!walk.tooManyParts) {
      walk.tooManyParts = true;
      addDefect(walk, "MIME_TOO_MANY_PARTS", part.path, `more than ${walk.limits.maxParts} parts`);
    }
    return false;
  }
  walk.parts.push(part);
  return true;
}

function addDefect(walk: Walk, code: DefectCode, part: string, evidence: string): void {
  walk.defects.push({ code, part, evidence });
}

/**
 * Whether reading this message will need postal-mime beyond its MIME parse: an encoded
 * word anywhere ("=?" in the bytes: every name and header value decodeWords() may be
 * given is cut from them), or an address field that is not of the simple forms.
 */
function needsPostalMime(bytes: Uint8Array, fields: readonly HeaderField[]): boolean {
  for (let at = bytes.indexOf(0x3d); at >= 0; at = bytes.indexOf(0x3d, at + 1)) {
    if (bytes[at + 1] === 0x3f) return true;
  }
  for (const f of fields) {
    if (!ADDRESS_FIELDS.includes(f.name.toLowerCase())) continue;
    const value = f.value.trim();
    if (value !== "" && !simpleMailboxes(value)) return true;
  }
  return false;
}
