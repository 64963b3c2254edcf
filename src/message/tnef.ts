/** An attachment carried inside a TNEF (winmail.dat) stream. */
export interface TnefAttachment {
  readonly name: string;
  readonly content: Uint8Array;
}

export interface TnefContents {
  readonly attachments: readonly TnefAttachment[];
  /** Why the stream stopped early, if it did. */
  readonly error: string | undefined;
}

const TNEF_SIGNATURE = 0x223e9f78;
const ATT_ATTACH_REND_DATA = 0x00069002;
const ATT_ATTACH_TITLE = 0x00018010;
const ATT_ATTACH_DATA = 0x0006800f;
const ATT_ATTACHMENT = 0x00069005;
const PR_ATTACH_LONG_FILENAME = 0x3707;
/** A TNEF stream with more attachments than this is treated as hostile. */
const MAX_TNEF_ATTACHMENTS = 500;

/** True when the bytes start with the TNEF signature. */
export function isTnef(bytes: Uint8Array): boolean {
  return bytes.length >= 6 &&
    new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true) === TNEF_SIGNATURE;
}

/**
 * List the attachments of a TNEF stream (MS-OXTNEF): each attAttachRendData starts one,
 * attAttachTitle names it, attAttachData carries its bytes. Never throws: a broken
 * stream returns what was read and the reason it stopped.
 */
export function readTnef(bytes: Uint8Array): TnefContents {
  const attachments: { name: string; content: Uint8Array }[] = [];
  if (!isTnef(bytes)) return { attachments, error: "missing TNEF signature" };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 6;
  let current: { name: string; content: Uint8Array } | undefined;
  while (pos < bytes.length) {
    if (pos + 9 > bytes.length) {
      return { attachments, error: `truncated attribute header at offset ${pos}` };
    }
    const id = view.getUint32(pos + 1, true);
    const length = view.getUint32(pos + 5, true);
    const start = pos + 9;
    if (start + length + 2 > bytes.length) {
      return {
        attachments,
        error: `attribute at offset ${pos} runs past the end (${length} bytes)`,
      };
    }
    const data = bytes.subarray(start, start + length);
    if (id === ATT_ATTACH_REND_DATA) {
      if (attachments.length >= MAX_TNEF_ATTACHMENTS) {
        return { attachments, error: "too many attachments" };
      }
      current = { name: "", content: new Uint8Array(0) };
      attachments.push(current);
    } else if (id === ATT_ATTACH_TITLE && current) {
      current.name = cString(data);
    } else if (id === ATT_ATTACH_DATA && current) {
      current.content = data;
    } else if (id === ATT_ATTACHMENT && current) {
      // The long name is what the user sees; the title is often its 8.3 form.
      current.name = mapiLongFilename(data) ?? current.name;
    }
    pos = start + length + 2;
  }
  return { attachments, error: undefined };
}

/** Byte size of fixed-size MAPI property types ([MS-OXCDATA] 2.11.1), padded to 4. */
const FIXED_SIZES: Readonly<Record<number, number>> = {
  0x0002: 4,
  0x0003: 4,
  0x0004: 4,
  0x0005: 8,
  0x0006: 8,
  0x0007: 8,
  0x000a: 4,
  0x000b: 4,
  0x0014: 8,
  0x0040: 8,
  0x0048: 16,
};
const VARIABLE_TYPES = new Set([0x000d, 0x001e, 0x001f, 0x00fb, 0x0102]);

/**
 * PR_ATTACH_LONG_FILENAME from an attAttachment property list ([MS-OXTNEF] 2.1.3.4),
 * or undefined. Any property the walk cannot size ends it: nothing is guessed.
 */
function mapiLongFilename(data: Uint8Array): string | undefined {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const u32 = (
    at: number,
  ): number | undefined => (at + 4 <= data.length ? view.getUint32(at, true) : undefined);
  const count = u32(0);
  if (count === undefined || count > 10_000) return undefined;
  let at = 4;
  for (let i = 0; i < count; i++) {
    if (at + 4 > data.length) return undefined;
    const type = view.getUint16(at, true);
    const id = view.getUint16(at + 2, true);
    at += 4;
    if (id >= 0x8000) {
      const kind = u32(at + 16);
      if (kind === undefined) return undefined;
      at += 20;
      if (kind === 0) at += 4;
      else {
        const length = u32(at);
        if (length === undefined) return undefined;
        at += 4 + length + (-length & 3);
      }
    }
    const base = type & 0x0fff;
    const multi = (type & 0x1000) !== 0;
    let values = 1;
    if (multi || VARIABLE_TYPES.has(base)) {
      const n = u32(at);
      if (n === undefined || n > 10_000) return undefined;
      values = n;
      at += 4;
    }
    for (let v = 0; v < values; v++) {
      if (VARIABLE_TYPES.has(base)) {
        const length = u32(at);
        if (length === undefined || at + 4 + length > data.length) return undefined;
        const value = data.subarray(at + 4, at + 4 + length);
        if (id === PR_ATTACH_LONG_FILENAME && (base === 0x001e || base === 0x001f)) {
          const text = base === 0x001f
            ? new TextDecoder("utf-16le").decode(value)
            : new TextDecoder("windows-1252").decode(value);
          return withoutTrailing(text, "\0");
        }
        at += 4 + length + (-length & 3);
      } else {
        const size = FIXED_SIZES[base];
        if (size === undefined) return undefined;
        at += size;
      }
    }
  }
  return undefined;
}

function cString(data: Uint8Array): string {
  const nul = data.indexOf(0);
  const bytes = nul >= 0 ? data.subarray(0, nul) : data;
  return new TextDecoder("windows-1252").decode(bytes);
}

/** `text` without the run of `char` at its end; one pass, where /\0+$/ would be quadratic. */
function withoutTrailing(text: string, char: string): string {
  let end = text.length;
  while (end > 0 && text[end - 1] === char) end--;
  return text.slice(0, end);
}
