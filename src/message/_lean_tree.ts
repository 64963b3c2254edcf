import { base64Values } from "./_base64_values.ts";
import { loadPostalMime } from "./_postal_module.ts";
import type { MimeNodeView, PostalLimits } from "./_postal_tree.ts";
import { copyRun, forEachLine, lineEnd, passLines } from "./_body_lines.ts";

/**
 * postal-mime's parse tree, built with bounded memory.
 *
 * postal-mime keeps every body line as its own view plus a "\n" string, joins them
 * through a Blob, copies the whole input first and renders the text and HTML bodies
 * qmvc never reads: about 200 bytes per line, so 20 MB of empty lines took gigabytes.
 * Here postal-mime still reads every header line and every boundary line (its own
 * state machine decides the structure, the header values and the encodings), but the
 * body lines never reach it: each node's body is kept as byte ranges of the input and
 * decoded once at the end by the decoders below, which give postal-mime's bytes for
 * every input (tests/message/lean_tree_test.ts holds the two trees equal on every
 * fixture and corpus message). Memory is the decoded bodies plus a few ranges per part.
 *
 * `head`, when given, is header lines read before `bytes` (which is then all body).
 *
 * After `maxNodes` parts the structure is no longer followed: the rest of the message
 * stays unparsed (`cut`), as the part limit would leave it unanalysed anyway, and
 * hundreds of thousands of empty parts cannot each cost a parse node.
 */
export async function leanMimeTree(
  bytes: Uint8Array,
  limits: PostalLimits & { readonly maxNodes: number },
  head: Uint8Array = new Uint8Array(0),
): Promise<{ root: MimeNodeView; cut: boolean; longFields: readonly string[] }> {
  const { default: PostalMime } = await loadPostalMime();
  const parser = new PostalMime({
    forceRfc822Attachments: true,
    maxRfc822NestingDepth: 0,
    maxNestingDepth: limits.maxNestingDepth,
    maxHeadersSize: limits.maxHeadersSize,
    attachmentEncoding: "arraybuffer",
  }) as unknown as Driven;
  if (!parser.root || typeof parser.processLine !== "function" || !parser.boundaries) {
    throw new Error("postal-mime no longer exposes its line parser: check the pinned version");
  }
  // A header of our own (another reading of a Content-Type) is read before the bytes,
  // as if it stood in front of them, without copying them behind it.
  const cap = new StructuredFieldCap();
  for (let pos = 0; pos < head.length;) {
    const nl = head.indexOf(0x0a, pos);
    const next = nl < 0 ? head.length : nl + 1;
    const line = cap.line(head.subarray(pos, lineEnd(head, pos, nl < 0 ? head.length : nl)));
    if (line) await parser.processLine(line, false);
    pos = next;
  }
  const bodies = new Map<DrivenNode, number[]>();
  let nodes = 1;
  let cut = false;
  let pos = 0;
  while (pos < bytes.length) {
    const nl = bytes.indexOf(0x0a, pos);
    const next = nl < 0 ? bytes.length : nl + 1;
    const end = lineEnd(bytes, pos, nl < 0 ? bytes.length : nl);
    const node = parser.currentNode;
    const boundary = matchBoundary(bytes, pos, end, parser.boundaries);
    if (boundary === "part" && ++nodes > limits.maxNodes) {
      cut = true;
      break;
    }
    if (boundary === undefined && node.state !== "header") {
      // A body line: postal-mime would hand it to this node's decoder (or drop it once
      // the node is finished). Only its place is kept, merged with the line before.
      if (node.state === "body") {
        const ranges = bodies.get(node);
        if (!ranges) bodies.set(node, [pos, next]);
        else if (ranges[ranges.length - 1] === pos) ranges[ranges.length - 1] = next;
        else ranges.push(pos, next);
      }
    } else if (node.state === "header") {
      const line = cap.line(bytes.subarray(pos, end));
      if (line) await parser.processLine(line, false);
    } else {
      cap.bodyLine();
      await parser.processLine(bytes.subarray(pos, end), false);
    }
    pos = next;
  }
  cap.bodyLine();
  // postal-mime finishes the tree on the last line, so an empty message stays unfinished.
  if (head.length + bytes.length > 0) await parser.root.finalize();
  setContent(parser.root, bytes, bodies);
  return { root: parser.root, cut, longFields: cap.cut };
}

/**
 * Content-Type and Content-Disposition fields (with their folded lines) are read up to
 * this many bytes. postal-mime parses their parameters a character at a time into
 * strings of about a hundred bytes each: a 1 MB `name=` cost 95 MB. No real field comes
 * near this (a 255-character file name in RFC 2231 pieces is about 1 KB).
 */
export const MAX_STRUCTURED_FIELD = 16 * 1024;

/** Cuts each structured field's lines at MAX_STRUCTURED_FIELD bytes, and says which were. */
class StructuredFieldCap {
  /** The fields cut, as "Content-Type of N bytes" (N counted to the field's end). */
  readonly cut: string[] = [];
  private name = "";
  private bytes = 0;
  private structured = false;

  /** The header line as postal-mime may read it: cut or left out past the limit. */
  line(line: Uint8Array): Uint8Array | undefined {
    if (line.length === 0 || (line[0] !== 0x20 && line[0] !== 0x09)) {
      this.finishField();
      this.name = structuredName(line);
      this.structured = this.name !== "";
      this.bytes = 0;
    }
    if (!this.structured) return line;
    const room = MAX_STRUCTURED_FIELD - this.bytes;
    this.bytes += line.length;
    if (room >= line.length) return line;
    return room > 0 ? line.subarray(0, room) : undefined;
  }

  /** A line that is no header line ends the field being read. */
  bodyLine(): void {
    this.finishField();
    this.structured = false;
  }

  private finishField(): void {
    if (this.structured && this.bytes > MAX_STRUCTURED_FIELD) {
      this.cut.push(`${this.name} of ${this.bytes} bytes, read up to ${MAX_STRUCTURED_FIELD}`);
    }
    this.bytes = 0;
  }
}

/**
 * "Content-Type" or "Content-Disposition" when the line starts that field, as postal-mime
 * reads its name (up to the colon, blanks after it trimmed however many), else "".
 */
function structuredName(line: Uint8Array): string {
  const colon = line.indexOf(0x3a);
  let end = colon;
  while (end > 0 && (line[end - 1] === 0x20 || line[end - 1] === 0x09)) end--;
  if (end !== 12 && end !== 19) return "";
  const found = STRUCTURED.exec(String.fromCharCode(...line.subarray(0, end)));
  return found ? found[0] : "";
}

const STRUCTURED = /^(content-type|content-disposition)$/i;

/** The parts of postal-mime's parser and nodes this module drives. */
interface DrivenNode extends MimeNodeView {
  readonly childNodes: readonly DrivenNode[];
  readonly state: "header" | "body" | "finished";
  content: ArrayBuffer | Uint8Array | null;
  finalize(): Promise<void>;
}

interface Driven {
  readonly root: DrivenNode;
  readonly currentNode: DrivenNode;
  readonly boundaries: readonly { readonly value: Uint8Array }[];
  processLine(line: Uint8Array, isFinal: boolean): Promise<void>;
}

/**
 * Whether a line is a boundary postal-mime acts on (its processLine test: `--`, an
 * open boundary, optionally `--`, then only blanks), and which kind.
 */
function matchBoundary(
  bytes: Uint8Array,
  start: number,
  end: number,
  boundaries: Driven["boundaries"],
): "part" | "end" | undefined {
  const length = end - start;
  if (!boundaries.length || length <= 2 || bytes[start] !== 0x2d || bytes[start + 1] !== 0x2d) {
    return undefined;
  }
  for (let i = boundaries.length - 1; i >= 0; i--) {
    const value = boundaries[i]!.value;
    if (length < value.length + 2) continue;
    let matches = true;
    for (let j = 0; j < value.length && matches; j++) {
      matches = bytes[start + 2 + j] === value[j];
    }
    if (!matches) continue;
    let after = start + value.length + 2;
    const terminator = length >= value.length + 4 && bytes[after] === 0x2d &&
      bytes[after + 1] === 0x2d;
    if (terminator) after += 2;
    let blanks = true;
    for (let j = after; j < end && blanks; j++) blanks = bytes[j] === 0x20 || bytes[j] === 0x09;
    if (!blanks) continue;
    return terminator ? "end" : "part";
  }
  return undefined;
}

function setContent(node: DrivenNode, bytes: Uint8Array, bodies: Map<DrivenNode, number[]>): void {
  if (node.content !== null) {
    const ranges = bodies.get(node) ?? [];
    const encoding = node.contentTransferEncoding.encoding;
    // postal-mime's choice of decoder (MimeNode.setupContentDecoder).
    const decode = /base64/i.test(encoding)
      ? decodeBase64Lines
      : /quoted-printable/i.test(encoding)
      ? decodeQuotedPrintableLines
      : passLines;
    node.content = decode(bytes, ranges);
  }
  for (const child of node.childNodes) setContent(child, bytes, bodies);
}

const EQUALS = 0x3d;

/**
 * postal-mime's base64 decoder: everything outside the alphabet and "=" is dropped, a
 * run of "=" ends a unit, each unit is decoded on its own (a last group of 2 or 3
 * characters gives 1 or 2 bytes, a lone character none).
 */
function decodeBase64Lines(bytes: Uint8Array, ranges: readonly number[]): Uint8Array {
  const out = new Uint8Array(base64Into(bytes, ranges, undefined));
  base64Into(bytes, ranges, out);
  return out;
}

/** Decodes into `out`, or with none only counts: the exact size is known before allocating. */
function base64Into(bytes: Uint8Array, ranges: readonly number[], out?: Uint8Array): number {
  let at = 0;
  let group = 0;
  let count = 0;
  const flush = () => {
    if (count === 2) {
      if (out) out[at] = group >> 4;
      at += 1;
    } else if (count === 3) {
      if (out) {
        out[at] = group >> 10;
        out[at + 1] = group >> 2;
      }
      at += 2;
    }
    group = 0;
    count = 0;
  };
  const BASE64 = base64Values();
  forEachLine(bytes, ranges, (start, end) => {
    for (let i = start; i < end; i++) {
      const c = bytes[i]!;
      const value = BASE64[c]!;
      if (value < 0) {
        if (c === EQUALS) flush();
        continue;
      }
      group = (group << 6) | value;
      if (++count === 4) {
        if (out) {
          out[at] = group >> 16;
          out[at + 1] = group >> 8;
          out[at + 2] = group;
        }
        at += 3;
        group = 0;
        count = 0;
      }
    }
  });
  flush();
  return at;
}

function hexNibble(c: number | undefined): number {
  if (c === undefined) return -1;
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/**
 * postal-mime's quoted-printable decoder, line by line: `=XX` is a byte, any other "="
 * stays literal, a final "=" joins the line to the next, every other line ends in "\n".
 */
function decodeQuotedPrintableLines(bytes: Uint8Array, ranges: readonly number[]): Uint8Array {
  const out = new Uint8Array(quotedPrintableInto(bytes, ranges, undefined));
  quotedPrintableInto(bytes, ranges, out);
  return out;
}

/** Decodes into `out`, or with none only counts. */
function quotedPrintableInto(
  bytes: Uint8Array,
  ranges: readonly number[],
  out?: Uint8Array,
): number {
  let at = 0;
  forEachLine(bytes, ranges, (start, lineEnd) => {
    const soft = lineEnd > start && bytes[lineEnd - 1] === EQUALS;
    const end = soft ? lineEnd - 1 : lineEnd;
    let literal = start;
    for (let i = start; i < end; i++) {
      if (bytes[i] !== EQUALS || i + 2 >= end) continue;
      const high = hexNibble(bytes[i + 1]);
      const low = hexNibble(bytes[i + 2]);
      if (high < 0 || low < 0) continue;
      if (out) {
        copyRun(bytes, literal, i, out, at);
        out[at + i - literal] = (high << 4) | low;
      }
      at += i - literal + 1;
      i += 2;
      literal = i + 1;
    }
    if (out) copyRun(bytes, literal, end, out, at);
    at += end - literal;
    if (!soft) {
      if (out) out[at] = 0x0a;
      at += 1;
    }
  });
  return at;
}
