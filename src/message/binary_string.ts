import type { Buffer as NodeBuffer } from "node:buffer";

/**
 * Bytes as a string of code points 0-255, one per byte. TextDecoder("latin1") is really
 * windows-1252 and remaps 0x80-0x9F, which would corrupt binary data. Up to SMALL_BYTES
 * one String.fromCharCode call does it; beyond, node:buffer's "latin1" (the true
 * ISO 8859-1 mapping in Deno and Bun), which copies in native code, a hundred times
 * faster than String.fromCharCode over chunks, but costs a small delivery about 0.5 M
 * instructions to load, so it is reached through the global both runtimes give on first
 * need rather than imported.
 */
export function binaryString(bytes: Uint8Array): string {
  if (bytes.length <= SMALL_BYTES) return fromCharCodes(bytes);
  const buffer = (globalThis as { Buffer?: typeof NodeBuffer }).Buffer;
  if (!buffer) {
    let out = "";
    for (let at = 0; at < bytes.length; at += SMALL_BYTES) {
      out += fromCharCodes(bytes.subarray(at, at + SMALL_BYTES));
    }
    return out;
  }
  return buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString("latin1");
}

/** What one String.fromCharCode call is given at most (well under any engine's argument limit). */
const SMALL_BYTES = 8 * 1024;

function fromCharCodes(bytes: Uint8Array): string {
  return String.fromCharCode.apply(null, bytes as unknown as number[]);
}

/** Join byte chunks into one array (a single chunk is returned as it is). */
export function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** True when `needle` stands at the start of a line (offset 0 or after LF) in `bytes`. */
export function startsALine(bytes: Uint8Array, needle: ArrayLike<number>): boolean {
  const first = needle[0];
  if (first === undefined) return false;
  for (let i = bytes.indexOf(first); i >= 0; i = bytes.indexOf(first, i + 1)) {
    if (i > 0 && bytes[i - 1] !== 0x0a) continue;
    let match = true;
    for (let j = 1; j < needle.length; j++) {
      if (bytes[i + j] !== needle[j]) {
        match = false;
        break;
      }
    }
    if (match) return true;
  }
  return false;
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Bytes as text to show a person: valid UTF-8 as its characters, every byte that is
 * not part of valid UTF-8 as `\xNN`, never U+FFFD, so evidence shows what was sent.
 * Each invalid byte is tried once, so the cost stays linear in the length.
 */
export function displayBytes(bytes: Uint8Array): string {
  let out = "";
  let start = 0;
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const size = b < 0x80
      ? 1
      : b >= 0xc2 && b <= 0xdf
      ? 2
      : b >= 0xe0 && b <= 0xef
      ? 3
      : b >= 0xf0 && b <= 0xf4
      ? 4
      : 0;
    let valid = size > 0 && i + size <= bytes.length;
    if (valid && size > 1) {
      try {
        strictUtf8.decode(bytes.subarray(i, i + size));
      } catch {
        valid = false;
      }
    }
    if (valid) {
      i += size;
      continue;
    }
    out += strictUtf8.decode(bytes.subarray(start, i)) + `\\x${b.toString(16).padStart(2, "0")}`;
    i++;
    start = i;
  }
  return out + strictUtf8.decode(bytes.subarray(start));
}
