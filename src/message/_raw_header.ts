import { displayBytes } from "./binary_string.ts";
/** One header field as it stands in the bytes, unfolded. */
export interface RawField {
  readonly name: string;
  readonly value: string;
  /** 1-based line number of the field's first line. */
  readonly line: number;
  readonly eightBit: boolean;
}

/** The header block of a message, read without trusting it. */
export interface RawHeaderBlock {
  readonly fields: readonly RawField[];
  /** Offset of the first body byte. */
  readonly bodyOffset: number;
  /** True when an empty line ended the header block. */
  readonly separatorFound: boolean;
  /** The first line that is neither a field nor a continuation, where the header block stopped. */
  readonly invalidLine: { readonly line: number; readonly text: string } | undefined;
  /** True when the block was cut at the byte budget. */
  readonly truncated: boolean;
}

const FIELD_NAME = /^[\x21-\x39\x3b-\x7e]+[ \t]*:/;
const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });

/**
 * Read the header block up to the empty line, the first line that cannot be a header
 * (a message with no separator), or the byte budget. Never throws.
 */
export function readRawHeader(bytes: Uint8Array, maxBytes: number): RawHeaderBlock {
  const fields: { name: string; parts: string[]; line: number; eightBit: boolean }[] = [];
  let pos = 0;
  let lineNo = 0;
  const end = Math.min(bytes.length, maxBytes);
  while (pos < end) {
    lineNo++;
    let nl = bytes.indexOf(0x0a, pos);
    if (nl < 0 || nl >= end) nl = end;
    let lineEnd = nl;
    if (lineEnd > pos && bytes[lineEnd - 1] === 0x0d) lineEnd--;
    const next = nl + 1;
    if (lineEnd === pos) {
      return finish(fields, Math.min(next, bytes.length), true, undefined, false);
    }
    const raw = bytes.subarray(pos, lineEnd);
    const text = utf8.decode(raw);
    const eightBit = isEightBit(raw, text);
    const first = raw[0];
    if ((first === 0x20 || first === 0x09) && fields.length > 0) {
      const field = fields[fields.length - 1]!;
      field.parts.push(text);
      field.eightBit ||= eightBit;
    } else if (FIELD_NAME.test(text)) {
      const colon = text.indexOf(":");
      fields.push({
        name: text.slice(0, colon).trimEnd(),
        parts: [text.slice(colon + 1)],
        line: lineNo,
        eightBit,
      });
    } else {
      const shown = displayBytes(raw.subarray(0, 200));
      return finish(fields, pos, false, { line: lineNo, text: shown }, false);
    }
    pos = next;
  }
  return finish(fields, Math.min(pos, bytes.length), false, undefined, end < bytes.length);
}

function finish(
  fields: { name: string; parts: string[]; line: number; eightBit: boolean }[],
  bodyOffset: number,
  separatorFound: boolean,
  invalidLine: RawHeaderBlock["invalidLine"],
  truncated: boolean,
): RawHeaderBlock {
  const unfolded: RawField[] = [];
  for (const f of fields) {
    unfolded.push({
      name: f.name,
      value: withoutLineEnds(f.parts.join("")).trim(),
      line: f.line,
      eightBit: f.eightBit,
    });
  }
  return {
    fields: unfolded,
    bodyOffset,
    separatorFound,
    invalidLine,
    truncated,
  };
}

// The two checks below are what regular expressions would say, said by native string
// methods instead: every expression a small delivery runs is compiled first, about 25
// microseconds each.

/**
 * Whether a line held a byte from 0x80 up, told from the line and its UTF-8 reading: such a
 * byte either starts a valid sequence, which reads as fewer code units than it has bytes,
 * or reads as U+FFFD, where ASCII reads as itself (a BOM is kept, and shortens the text).
 * The same as testing the text for a code unit from U+0080 up, natively.
 */
export function isEightBit(raw: Uint8Array, text: string): boolean {
  return text.length !== raw.length || text.includes("\ufffd");
}

/** A field's value with each run of CR and LF as one space (a bare CR is all a line can hold). */
function withoutLineEnds(value: string): string {
  return value.includes("\r") || value.includes("\n") ? value.replace(/[\r\n]+/g, " ") : value;
}
