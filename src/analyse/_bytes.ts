import { binaryString } from "../message/mod.ts";

/** Small readers over untrusted bytes: out-of-range reads give undefined, never throw. */
export function u16le(b: Uint8Array, at: number): number | undefined {
  return at >= 0 && at + 2 <= b.length ? b[at]! | (b[at + 1]! << 8) : undefined;
}

export function u32le(b: Uint8Array, at: number): number | undefined {
  return at >= 0 && at + 4 <= b.length
    ? (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0
    : undefined;
}

export function u32be(b: Uint8Array, at: number): number | undefined {
  return at >= 0 && at + 4 <= b.length
    ? ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0
    : undefined;
}

/** True when `magic` stands at `offset`. */
export function startsWithAt(b: Uint8Array, magic: readonly number[], offset = 0): boolean {
  if (offset < 0 || offset + magic.length > b.length) return false;
  for (let i = 0; i < magic.length; i++) if (b[offset + i] !== magic[i]) return false;
  return true;
}

/**
 * The bytes of a Latin-1 text (one byte per character), by a plain loop: the signature
 * tables call this at module load, for every delivery, where spreading the string would
 * first compile the runtime's string iterator.
 */
export function ascii(text: string): number[] {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) bytes.push(text.charCodeAt(i));
  return bytes;
}

/** The first `n` bytes as Latin-1 text (one code point per byte), for cheap keyword heuristics. */
export function headText(b: Uint8Array, n: number): string {
  return binaryString(b.subarray(0, Math.min(n, b.length)));
}

/** Index of `needle` in `b` from `from`, or -1 (native first-byte search). */
export function indexOfBytes(b: Uint8Array, needle: readonly number[], from = 0): number {
  const first = needle[0];
  if (first === undefined) return -1;
  for (let i = b.indexOf(first, from); i >= 0; i = b.indexOf(first, i + 1)) {
    if (startsWithAt(b, needle, i)) return i;
  }
  return -1;
}
