import { u16le, u32le } from "./_bytes.ts";

/** What qmvc needs from an OLE2 compound file: its entries and the root CLSID. */
export interface CfbDirectory {
  readonly names: readonly string[];
  readonly rootClsid: string;
  /** Read the first stream of that name (case-insensitive), or undefined. */
  readStream(name: string, maxBytes: number): Uint8Array | undefined;
  /** Read every stream of that name (embedded objects repeat `\x01Ole10Native`), at most `limit`. */
  readStreams(name: string, maxBytes: number, limit: number): Uint8Array[];
}

/** Streams below this size live in the mini stream, in 64-byte mini sectors. */
const MINI_STREAM_CUTOFF = 4096;
const MINI_SECTOR_SIZE = 64;

const END_OF_CHAIN = 0xfffffffe;
/** Directory sectors followed; a loop in a hostile FAT stops here. */
const MAX_DIRECTORY_SECTORS = 4096;

/**
 * Read the directory of a Compound File Binary ([MS-CFB]) without trusting it: the
 * FAT comes from the header's 109 DIFAT slots (files up to ~7 MB with 512-byte sectors,
 * ~3.5 GB with 4096), chains are bounded, and any inconsistency ends the walk.
 */
export function readCfbDirectory(b: Uint8Array): CfbDirectory | undefined {
  const sectorShift = u16le(b, 0x1e);
  if (sectorShift !== 9 && sectorShift !== 12) return undefined;
  const sectorSize = 1 << sectorShift;
  const sectorOffset = (n: number): number => (n + 1) * sectorSize;
  const fatSectors: number[] = [];
  for (let i = 0; i < 109; i++) {
    const s = u32le(b, 0x4c + i * 4);
    if (s === undefined || s >= 0xfffffffa) break;
    fatSectors.push(s);
  }
  const fatEntry = (n: number): number | undefined => {
    const perSector = sectorSize / 4;
    const fatSector = fatSectors[Math.floor(n / perSector)];
    if (fatSector === undefined) return undefined;
    return u32le(b, sectorOffset(fatSector) + (n % perSector) * 4);
  };
  const names: string[] = [];
  const streams = new Map<string, { start: number; size: number }[]>();
  let rootClsid = "";
  let root: { start: number; size: number } | undefined;
  let sector = u32le(b, 0x30);
  const seen = new Set<number>();
  while (
    sector !== undefined && sector !== END_OF_CHAIN && !seen.has(sector) &&
    seen.size < MAX_DIRECTORY_SECTORS
  ) {
    seen.add(sector);
    const base = sectorOffset(sector);
    if (base + sectorSize > b.length) break;
    for (let e = 0; e < sectorSize / 128; e++) {
      const at = base + e * 128;
      const nameLength = u16le(b, at + 0x40) ?? 0;
      const type = b[at + 0x42];
      if (type === 0 || nameLength < 2 || nameLength > 64) continue;
      const name = decodeUtf16(b.subarray(at, at + nameLength - 2));
      const place = { start: u32le(b, at + 0x74) ?? 0, size: u32le(b, at + 0x78) ?? 0 };
      if (type === 5) {
        rootClsid = clsid(b.subarray(at + 0x50, at + 0x60));
        root ??= place;
      }
      if (type === 2) {
        const key = name.toLowerCase();
        streams.set(key, [...(streams.get(key) ?? []), place]);
      }
      names.push(name);
    }
    sector = fatEntry(sector);
  }
  /** Follow a FAT chain of `sectorSize` sectors from `start`, reading at most `wanted` bytes. */
  const readChain = (start: number, wanted: number): Uint8Array => {
    const out = new Uint8Array(Math.max(0, wanted));
    let filled = 0;
    const visited = new Set<number>();
    for (
      let s: number | undefined = start;
      s !== undefined && s < 0xfffffffa && filled < wanted && !visited.has(s);
      s = fatEntry(s)
    ) {
      visited.add(s);
      const from = sectorOffset(s);
      if (from + sectorSize > b.length) break;
      const chunk = b.subarray(from, from + Math.min(sectorSize, wanted - filled));
      out.set(chunk, filled);
      filled += chunk.length;
    }
    return out.subarray(0, filled);
  };
  // The mini stream (the root entry's chain) and the mini FAT, read once on first use.
  let mini: { container: Uint8Array; fat: Uint8Array } | undefined;
  const miniStream = (): { container: Uint8Array; fat: Uint8Array } => {
    if (!mini) {
      const fatStart = u32le(b, 0x3c) ?? END_OF_CHAIN;
      const fatSectors = Math.min(u32le(b, 0x40) ?? 0, b.length / sectorSize);
      mini = {
        container: root ? readChain(root.start, Math.min(root.size, b.length)) : new Uint8Array(),
        fat: readChain(fatStart, fatSectors * sectorSize),
      };
    }
    return mini;
  };
  const readMini = (start: number, wanted: number): Uint8Array => {
    const { container, fat } = miniStream();
    const out = new Uint8Array(wanted);
    let filled = 0;
    const visited = new Set<number>();
    for (
      let s: number | undefined = start;
      s !== undefined && s < 0xfffffffa && filled < wanted && !visited.has(s);
      s = u32le(fat, s * 4)
    ) {
      visited.add(s);
      const from = s * MINI_SECTOR_SIZE;
      if (from + MINI_SECTOR_SIZE > container.length) break;
      const chunk = container.subarray(from, from + Math.min(MINI_SECTOR_SIZE, wanted - filled));
      out.set(chunk, filled);
      filled += chunk.length;
    }
    return out.subarray(0, filled);
  };
  const read = (entry: { start: number; size: number }, maxBytes: number): Uint8Array => {
    const wanted = Math.min(entry.size, maxBytes, b.length);
    return entry.size < MINI_STREAM_CUTOFF
      ? readMini(entry.start, wanted)
      : readChain(entry.start, wanted);
  };
  const readStream = (name: string, maxBytes: number): Uint8Array | undefined => {
    const entry = streams.get(name.toLowerCase())?.[0];
    return entry ? read(entry, maxBytes) : undefined;
  };
  const readStreams = (name: string, maxBytes: number, limit: number): Uint8Array[] =>
    (streams.get(name.toLowerCase()) ?? []).slice(0, limit).map((entry) => read(entry, maxBytes));
  return { names, rootClsid, readStream, readStreams };
}

function decodeUtf16(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    s += String.fromCharCode(bytes[i]! | (bytes[i + 1]! << 8));
  }
  return s;
}

function clsid(b: Uint8Array): string {
  if (b.length < 16) return "";
  const hex = (from: number, to: number, reverse: boolean): string => {
    const slice = [...b.subarray(from, to)];
    if (reverse) slice.reverse();
    return slice.map((x) => x.toString(16).padStart(2, "0")).join("");
  };
  return `${hex(0, 4, true)}-${hex(4, 6, true)}-${hex(6, 8, true)}-${hex(8, 10, false)}-${
    hex(10, 16, false)
  }`;
}
