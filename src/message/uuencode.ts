import { base64Values } from "./_base64_values.ts";
import { binaryString, startsALine } from "./binary_string.ts";

/** A file embedded in a text body with uuencode or yEnc. */
export interface EmbeddedFile {
  readonly encoding: "uuencode" | "yenc";
  readonly name: string;
  readonly content: Uint8Array;
  /** False when the closing `end` / `=yend` line is missing. */
  readonly terminated: boolean;
}

const BEGIN = asciiBytes("begin");
const YBEGIN = asciiBytes("=ybegin ");

/**
 * An ASCII marker as its bytes, by a plain loop: these are built at module load, for
 * every delivery, and the first spread of a typed array costs a process about 0.3 M
 * instructions (the runtime compiles its iterator then).
 */
function asciiBytes(text: string): number[] {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) bytes.push(text.charCodeAt(i));
  return bytes;
}

/** Bound on embedded files taken from one text part: a body of 10 000 `begin` lines is an attack. */
export const MAX_EMBEDDED_FILES = 100;

/** Cheap pre-check on the bytes: most bodies hold neither marker at the start of a line. */
export function mayHoldEmbeddedFiles(bytes: Uint8Array): boolean {
  return startsALine(bytes, BEGIN) || startsALine(bytes, YBEGIN);
}

/**
 * Find uuencoded (`begin 644 name` ... `end`) and yEnc (`=ybegin ... name=` ... `=yend`)
 * blocks in a text body and decode them. Lines are read as Latin-1 so every byte
 * survives; decoding is lenient the way real-world decoders are.
 */
export function extractEmbeddedFiles(bytes: Uint8Array): EmbeddedFile[] {
  if (!mayHoldEmbeddedFiles(bytes)) return [];
  // Line by line over the bytes: only a line that may open a block becomes a string,
  // and a block is decoded twice (to size its output, then into it), so a 60 MB body
  // costs its decoded size and no more.
  const files: EmbeddedFile[] = [];
  for (let at = 0; at < bytes.length && files.length < MAX_EMBEDDED_FILES;) {
    const line = lineAt(bytes, at);
    const opens = startsWith(bytes, at, line.end, BEGIN) ||
      startsWith(bytes, at, line.end, YBEGIN);
    const text = opens ? binaryString(bytes.subarray(at, line.end)) : "";
    const uu = opens ? readUuBegin(text) : undefined;
    const yName = opens && !uu ? readYencName(text) : undefined;
    if (uu || yName !== undefined) {
      const decode = uu ? (uu.base64 ? base64Line : uuLine) : yencLine;
      const isEnd = uu ? (uu.base64 ? isBase64End : isUuEnd) : isYencEnd;
      const size = decodeBlock(bytes, line.next, isEnd, decode, undefined);
      const content = new Uint8Array(size.bytes);
      decodeBlock(bytes, line.next, isEnd, decode, content);
      files.push({
        encoding: uu ? "uuencode" : "yenc",
        name: uu ? uu.name : yName!,
        content,
        terminated: size.terminated,
      });
      at = size.next;
      continue;
    }
    at = line.next;
  }
  return files;
}

/** A line as `split(/\r?\n/)` cuts it: up to LF, one CR before it dropped. */
function lineAt(bytes: Uint8Array, start: number): { end: number; next: number } {
  const nl = bytes.indexOf(0x0a, start);
  if (nl < 0) return { end: bytes.length, next: bytes.length };
  return { end: nl > start && bytes[nl - 1] === 0x0d ? nl - 1 : nl, next: nl + 1 };
}

function startsWith(bytes: Uint8Array, start: number, end: number, prefix: number[]): boolean {
  if (end - start < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[start + i] !== prefix[i]) return false;
  return true;
}

/** Decodes one line's bytes into `out` at `at` (or only counts without `out`); returns the count. */
type LineDecoder = (
  bytes: Uint8Array,
  start: number,
  end: number,
  out?: Uint8Array,
  at?: number,
) => number;

/**
 * Decode the lines from `start` up to the closing line: the byte count, whether the
 * closing line came, and where reading goes on (the closing line itself, as before).
 */
function decodeBlock(
  bytes: Uint8Array,
  start: number,
  isEnd: (bytes: Uint8Array, start: number, end: number) => boolean,
  decode: LineDecoder,
  out: Uint8Array | undefined,
): { bytes: number; terminated: boolean; next: number } {
  let produced = 0;
  let at = start;
  while (at < bytes.length) {
    // lineAt() without its object: this loop runs once per line of a large block.
    const nl = bytes.indexOf(0x0a, at);
    const end = nl < 0 ? bytes.length : nl > at && bytes[nl - 1] === 0x0d ? nl - 1 : nl;
    if (isEnd(bytes, at, end)) return { bytes: produced, terminated: true, next: at };
    produced += decode(bytes, at, end, out, produced);
    at = nl < 0 ? bytes.length : nl + 1;
  }
  return { bytes: produced, terminated: false, next: bytes.length };
}

/** JavaScript's trimEnd() blanks among code points 0-255. */
function isBlank(c: number): boolean {
  return (c >= 0x09 && c <= 0x0d) || c === 0x20 || c === 0xa0;
}

/** `end`, then only blanks. */
function isUuEnd(bytes: Uint8Array, start: number, end: number): boolean {
  if (!startsWith(bytes, start, end, END)) return false;
  for (let i = start + 3; i < end; i++) if (!isBlank(bytes[i]!)) return false;
  return true;
}

/** `====` and nothing else. */
function isBase64End(bytes: Uint8Array, start: number, end: number): boolean {
  return end - start === 4 && startsWith(bytes, start, end, BASE64_END);
}

function isYencEnd(bytes: Uint8Array, start: number, end: number): boolean {
  return startsWith(bytes, start, end, YEND);
}

const END = asciiBytes("end");
const BASE64_END = asciiBytes("====");
const YEND = asciiBytes("=yend");
const YPART = asciiBytes("=ypart ");

/** Character `j` of a uuencoded line as 6 bits; a missing or NUL one reads as a blank (0), as lenient decoders do. */
function sextet(bytes: Uint8Array, start: number, length: number, j: number): number {
  return ((j < length ? bytes[start + j]! || 32 : 32) - 32) & 0x3f;
}

/** A uuencoded line: a length character, then groups of four characters for three bytes. */
const uuLine: LineDecoder = (bytes, start, end, out, at = 0) => {
  if (end === start) return 0;
  const count = (bytes[start]! - 32) & 0x3f;
  const length = end - start;
  let produced = 0;
  for (let j = 1; produced < count && j + 1 < length + 3; j += 4) {
    const c0 = sextet(bytes, start, length, j);
    const c1 = sextet(bytes, start, length, j + 1);
    const c2 = sextet(bytes, start, length, j + 2);
    const c3 = sextet(bytes, start, length, j + 3);
    const bytes3 = ((c0 << 18) | (c1 << 12) | (c2 << 6) | c3) >>> 0;
    for (let k = 0; k < 3 && produced < count; k++) {
      if (out) out[at + produced] = bytes3 >> (16 - 8 * k);
      produced++;
    }
  }
  return produced;
};

/** A `begin-base64` line: its alphabet characters, in whole groups of four. */
const base64Line: LineDecoder = (bytes, start, end, out, at = 0) => {
  const BASE64_VALUE = base64Values();
  let chars = 0;
  for (let i = start; i < end; i++) if (BASE64_VALUE[bytes[i]!]! >= 0) chars++;
  const groups = Math.floor(chars / 4);
  if (out) {
    let group = 0;
    let count = 0;
    let written = 0;
    for (let i = start; i < end && written < groups * 3; i++) {
      const value = BASE64_VALUE[bytes[i]!]!;
      if (value < 0) continue;
      group = (group << 6) | value;
      if (++count === 4) {
        out[at + written++] = group >> 16;
        out[at + written++] = group >> 8;
        out[at + written++] = group;
        group = 0;
        count = 0;
      }
    }
  }
  return groups * 3;
};

/** A yEnc line: every byte less 42, `=` escapes the next (less 64 more); `=ypart` lines carry no data. */
const yencLine: LineDecoder = (bytes, start, end, out, at = 0) => {
  if (startsWith(bytes, start, end, YPART)) return 0;
  let produced = 0;
  for (let j = start; j < end; j++) {
    let c = bytes[j]!;
    if (c === 0x3d && j + 1 < end) c = (bytes[++j]! - 64) & 0xff;
    if (out) out[at + produced] = (c - 42) & 0xff;
    produced++;
  }
  return produced;
};

/**
 * A `begin[-base64] MODE NAME` line: MODE three or four octal digits, NAME the rest
 * without trailing blanks. Read left to right once; the regular expression this
 * replaces (`(.+?)\s*$`) took quadratic time on a name followed by a long blank run.
 */
function readUuBegin(line: string): { name: string; base64: boolean } | undefined {
  if (!line.startsWith("begin")) return undefined;
  const base64 = line.startsWith("begin-base64");
  let at = base64 ? 12 : 5;
  const skipSpaces = (): boolean => {
    const from = at;
    while (line[at] === " ") at++;
    return at > from;
  };
  if (!skipSpaces()) return undefined;
  const modeFrom = at;
  while (at < line.length && line[at]! >= "0" && line[at]! <= "7") at++;
  if (at - modeFrom < 3 || at - modeFrom > 4 || !skipSpaces()) return undefined;
  const name = line.slice(at).trimEnd();
  return name ? { name, base64 } : undefined;
}

/** The name of a `=ybegin ... name=NAME` line (the last `name=` that starts a word). */
function readYencName(line: string): string | undefined {
  if (!line.startsWith("=ybegin ")) return undefined;
  for (let at = line.lastIndexOf("name="); at >= 8; at = line.lastIndexOf("name=", at - 1)) {
    if (/\w/.test(line[at - 1] ?? "")) continue;
    const name = line.slice(at + 5).trimEnd();
    if (name) return name;
  }
  return undefined;
}
