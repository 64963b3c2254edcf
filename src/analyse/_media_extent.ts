import { ascii, indexOfBytes, startsWithAt, u32be, u32le } from "./_bytes.ts";

/**
 * Where an image, audio or video file really ends, found by walking its own structure
 * (PNG chunks to IEND, JPEG segments to EOI, GIF blocks to the trailer, the RIFF size,
 * ISO-BMFF boxes, Ogg pages). `undefined` means the structure could not be walked to
 * its end (truncated, inconsistent, or a format qmvc does not walk): such bytes are not
 * known to be only media. Every walk reads each byte at most a bounded number of times.
 */
export function mediaExtent(bytes: Uint8Array, signature: string): number | undefined {
  switch (signature) {
    case "png":
      return pngEnd(bytes);
    case "jpeg":
      return jpegEnd(bytes);
    case "gif":
      return gifEnd(bytes);
    case "bmp":
      return bmpEnd(bytes);
    case "webp":
    case "wav":
      return riffEnd(bytes);
    case "mp4":
      return bmffEnd(bytes);
    case "ogg":
      return oggEnd(bytes);
    default:
      return undefined;
  }
}

function pngEnd(b: Uint8Array): number | undefined {
  let at = 8;
  while (at + 12 <= b.length) {
    const length = u32be(b, at)!;
    const end = at + 12 + length;
    if (length > 0x7fffffff || end > b.length) return undefined;
    if (startsWithAt(b, ascii("IEND"), at + 4)) return end;
    at = end;
  }
  return undefined;
}

function jpegEnd(b: Uint8Array): number | undefined {
  let at = 2;
  while (at + 2 <= b.length) {
    if (b[at] !== 0xff) return undefined;
    const marker = b[at + 1]!;
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    if (marker === 0xd9) return at + 2;
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2;
      continue;
    }
    const length = b.length >= at + 4 ? (b[at + 2]! << 8) | b[at + 3]! : -1;
    if (length < 2) return undefined;
    at += 2 + length;
    if (marker !== 0xda) continue;
    // Entropy-coded data follows SOS until a marker that is not a stuffed 0xFF00 or a
    // restart marker.
    for (; at + 1 < b.length; at++) {
      if (b[at] !== 0xff) continue;
      const next = b[at + 1]!;
      if (next !== 0 && next !== 0xff && !(next >= 0xd0 && next <= 0xd7)) break;
    }
  }
  return undefined;
}

function gifEnd(b: Uint8Array): number | undefined {
  if (b.length < 13) return undefined;
  const packed = b[10]!;
  let at = 13 + (packed & 0x80 ? 3 * 2 ** ((packed & 7) + 1) : 0);
  const skipSubBlocks = (from: number): number | undefined => {
    let p = from;
    while (p < b.length) {
      const size = b[p]!;
      p += 1 + size;
      if (size === 0) return p;
    }
    return undefined;
  };
  while (at < b.length) {
    const kind = b[at]!;
    if (kind === 0x3b) return at + 1;
    let next: number | undefined;
    if (kind === 0x21) {
      next = skipSubBlocks(at + 2);
    } else if (kind === 0x2c) {
      const local = b[at + 9] ?? 0;
      const table = local & 0x80 ? 3 * 2 ** ((local & 7) + 1) : 0;
      next = skipSubBlocks(at + 10 + table + 1);
    }
    if (next === undefined) return undefined;
    at = next;
  }
  return undefined;
}

function bmpEnd(b: Uint8Array): number | undefined {
  const size = u32le(b, 2);
  return size !== undefined && size >= 26 && size <= b.length ? size : undefined;
}

function riffEnd(b: Uint8Array): number | undefined {
  if (!startsWithAt(b, ascii("RIFF"))) return undefined;
  const size = u32le(b, 4);
  if (size === undefined) return undefined;
  const end = 8 + size + (size & 1);
  // A missing pad byte after an odd-sized last chunk is common and hides nothing.
  if (end === b.length + 1 && size & 1) return b.length;
  return end <= b.length ? end : undefined;
}

/** Top-level ISO-BMFF boxes (mp4, mov, m4a, heic) must tile the file exactly. */
function bmffEnd(b: Uint8Array): number | undefined {
  let at = 0;
  while (at + 8 <= b.length) {
    let size = u32be(b, at)!;
    if (size === 1) {
      const high = u32be(b, at + 8);
      const low = u32be(b, at + 12);
      if (high === undefined || low === undefined) return undefined;
      size = high * 2 ** 32 + low;
    } else if (size === 0) {
      return b.length;
    }
    if (size < 8 || at + size > b.length) return undefined;
    at += size;
  }
  return at === b.length ? at : undefined;
}

function oggEnd(b: Uint8Array): number | undefined {
  let at = 0;
  while (at + 27 <= b.length && startsWithAt(b, ascii("OggS"), at)) {
    const segments = b[at + 26]!;
    if (at + 27 + segments > b.length) return undefined;
    let body = 0;
    for (let i = 0; i < segments; i++) body += b[at + 27 + i]!;
    const end = at + 27 + segments + body;
    if (end > b.length) return undefined;
    const lastPage = (b[at + 5]! & 0x04) !== 0;
    at = end;
    if (lastPage) return at;
  }
  return at > 0 && at === b.length ? at : undefined;
}

/**
 * Signatures of archives and executables that have no business inside a picture or a
 * sound: one of them anywhere in the bytes means something else travels in the file.
 */
const EMBEDDED: readonly { readonly name: string; readonly find: (b: Uint8Array) => number }[] = [
  { name: "zip", find: (b) => indexOfBytes(b, ascii("PK\x03\x04")) },
  { name: "zip", find: (b) => indexOfBytes(b, ascii("PK\x05\x06")) },
  { name: "rar", find: (b) => indexOfBytes(b, ascii("Rar!\x1a\x07")) },
  { name: "7z", find: (b) => indexOfBytes(b, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]) },
  { name: "cab", find: (b) => indexOfBytes(b, ascii("MSCF\0\0\0\0")) },
  { name: "elf", find: (b) => indexOfBytes(b, [0x7f, 0x45, 0x4c, 0x46, 0x01]) },
  { name: "elf", find: (b) => indexOfBytes(b, [0x7f, 0x45, 0x4c, 0x46, 0x02]) },
  { name: "pe", find: peHeaderAt },
];

/** The first archive or executable signature inside `bytes`, with its offset. */
export function embeddedSignature(
  bytes: Uint8Array,
): { readonly name: string; readonly offset: number } | undefined {
  let found: { name: string; offset: number } | undefined;
  for (const { name, find } of EMBEDDED) {
    const at = find(bytes);
    if (at >= 0 && (!found || at < found.offset)) found = { name, offset: at };
  }
  return found;
}

/** An "MZ" whose e_lfanew points at "PE\0\0": a Windows executable, not a chance byte pair. */
function peHeaderAt(b: Uint8Array): number {
  for (let i = indexOfBytes(b, ascii("MZ")); i >= 0; i = indexOfBytes(b, ascii("MZ"), i + 1)) {
    const lfanew = u32le(b, i + 0x3c);
    if (lfanew !== undefined && lfanew < 0x10000 && startsWithAt(b, ascii("PE\0\0"), i + lfanew)) {
      return i;
    }
  }
  return -1;
}
