/** A tar archive is read in blocks of this size; each member starts with a header block. */
export const TAR_BLOCK = 512;

const CHECKSUM_AT = 148;
const CHECKSUM_LENGTH = 8;

/**
 * True when the 512 bytes at `at` are a tar header whose checksum holds: the sum of its
 * bytes, the checksum field counted as spaces, as GNU tar takes it (bytes unsigned, or
 * signed as some old tars summed them). Every tar writer, from V7 on, sets it; an
 * all-zero block is no header.
 */
export function isTarHeader(b: Uint8Array, at = 0): boolean {
  if (at < 0 || at + TAR_BLOCK > b.length) return false;
  // Read first, the checksum field turns away nearly every block that is no header.
  const stored = tarNumber(b, at + CHECKSUM_AT, CHECKSUM_LENGTH);
  if (!stored) return false;
  let unsigned = 0;
  let signed = 0;
  let zero = true;
  for (let i = 0; i < TAR_BLOCK; i++) {
    const inField = i >= CHECKSUM_AT && i < CHECKSUM_AT + CHECKSUM_LENGTH;
    const byte = inField ? 0x20 : b[at + i]!;
    if (!inField && byte !== 0) zero = false;
    unsigned += byte;
    signed += byte > 127 ? byte - 256 : byte;
  }
  return !zero && (stored === unsigned || stored === signed);
}

/**
 * A numeric header field: octal digits after optional spaces, up to a space or NUL (empty is 0), or
 * GNU's base-256 form for large values (first byte 0x80, the rest big-endian). Undefined
 * for anything else, a negative base-256 value among them.
 */
export function tarNumber(b: Uint8Array, at: number, length: number): number | undefined {
  if (at + length > b.length) return undefined;
  const first = b[at]!;
  if (first & 0x80) {
    if (first !== 0x80) return undefined;
    let value = 0;
    for (let i = 1; i < length; i++) value = value * 256 + b[at + i]!;
    return Number.isSafeInteger(value) ? value : undefined;
  }
  let value = 0;
  let digits = 0;
  let ended = false;
  for (let i = 0; i < length; i++) {
    const byte = b[at + i]!;
    if (byte >= 0x30 && byte <= 0x37) {
      // Digits after what ended the number ("12 34", or "\0644", which Python and
      // libarchive read as 0): no two readers read such a field alike.
      if (ended) return undefined;
      value = value * 8 + (byte - 0x30);
      digits++;
    } else if (byte === 0 || (byte === 0x20 && digits)) {
      ended = true;
    } else if (byte !== 0x20) {
      return undefined;
    }
  }
  return value;
}

/**
 * Where the first tar header of `b` stands at a block boundary, or undefined. GNU tar reads
 * a file whose first blocks are no header by skipping to the first that is.
 */
export function tarHeaderAt(b: Uint8Array): number | undefined {
  for (let at = 0; at + TAR_BLOCK <= b.length; at += TAR_BLOCK) {
    if (isTarHeader(b, at)) return at;
  }
  return undefined;
}
