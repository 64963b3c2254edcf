import { indexOfBytes, startsWithAt } from "./_bytes.ts";
import { extraFields, localHeaderAt } from "./_zip_member_data.ts";
import { zlibModule } from "./_zlib.ts";

/*
 * A zip as the streaming readers read it: bsdtar reading a pipe (libarchive) and Java's
 * ZipInputStream never read the central directory. They take the local records one after
 * another, each member's data ending where their rules say, and then look for the next
 * local record (libarchive scans ahead over any bytes, up to a central directory
 * signature; Java takes only one right there). A record they reach that is neither a
 * member the directory lists nor one of a zip stored inside that was walked as a zip is a
 * member qmvc never inspected: the zip is unchecked.
 */

/** A listed member: where its local record starts, and its compressed size by the directory. */
export interface ListedMember {
  readonly offset: number;
  readonly centralSize: number;
}

/**
 * What following a zip as the streaming readers do may cost: bytes inflated (dropped as
 * they come, CPU only) and bytes scanned, each against its limit.
 */
export interface StreamingAllowance {
  inflated: number;
  readonly inflateLimit: number;
  scanned: number;
  readonly scanLimit: number;
}

const HAS_DATA_DESCRIPTOR = 0x0008;
const ENCRYPTED = 0x0001;
const STORED = 0;
const DEFLATED = 8;

/** Bytes of a member sniffed: a streaming reader's longer reading of a shorter member shows other bytes. */
const SNIFF_BYTES = 64 * 1024;

/**
 * Why a streaming reader would unpack what is not inspected, or undefined: a member it
 * reads longer than the directory says, where the bytes sniffed would differ, or a
 * record it reaches that is not `known` (the listed ones, and those of zips walked inside
 * whose bytes stand here as they are). Every known record is followed, inner ones too: a
 * reading can run off an inner zip's end into this one's bytes. Records are looked for
 * only where a local record's signature stands at an unknown offset.
 */
export async function streamingReadingOtherwise(
  zip: Uint8Array,
  listed: readonly ListedMember[],
  known: ReadonlySet<number>,
  allowance: StreamingAllowance,
): Promise<string | undefined> {
  // Where descriptors end each record's data, found once for both checks below.
  const descriptors = new Map<number, readonly number[]>();
  // Entries that share one record are held to the smallest size any of them gives.
  const smallest = new Map<number, number>();
  for (const { offset, centralSize } of listed) {
    smallest.set(offset, Math.min(centralSize, smallest.get(offset) ?? centralSize));
  }
  for (const [offset, centralSize] of smallest) {
    const record = localRecordAt(zip, offset);
    if (record && readsLonger(zip, record, centralSize, allowance, descriptors)) return LONGER;
  }
  const lastUnknown = lastUnknownRecordSignature(zip, known);
  if (lastUnknown === undefined) return undefined;
  const reached = (from: number): boolean => {
    const record = nextRecord(zip, from, allowance);
    return record !== undefined && !known.has(record);
  };
  if (reached(0)) return UNINSPECTED;
  for (const offset of [...known].sort((a, b) => a - b)) {
    const record = localRecordAt(zip, offset);
    // A reading that starts past the last unknown signature can only meet known records.
    if (!record || record.dataStart > lastUnknown) continue;
    const resumes = await resumePositions(zip, record, allowance, descriptors);
    if (resumes === undefined) return TOO_MUCH;
    if (resumes.some(reached)) return UNINSPECTED;
    if (allowance.scanned > allowance.scanLimit) return TOO_MUCH;
  }
  return undefined;
}

const TOO_MUCH = "a member's record in a zip too costly to follow as streaming readers do";

const UNINSPECTED =
  "a member's record that streaming readers (bsdtar from a pipe, Java) unpack and the directory does not list";

const LONGER =
  "a member that streaming readers (bsdtar from a pipe, Java) read longer than its directory entry says";

/** A local record as streaming readers take it: all they know of a member is its local header. */
interface LocalRecord {
  readonly offset: number;
  readonly dataStart: number;
  readonly method: number;
  readonly flags: number;
  /** The compressed size in the local header (its zip64 field where that says 0xFFFFFFFF). */
  readonly size: number;
  /** The local header has a zip64 extra field: libarchive reads 8-byte sizes in its descriptor. */
  readonly zip64: boolean;
}

function localRecordAt(zip: Uint8Array, at: number): LocalRecord | undefined {
  const local = localHeaderAt(zip, at);
  if (!local) return undefined;
  let size = local.compressedSize;
  let zip64 = false;
  const extraEnd = local.extra.byteOffset + local.extra.length;
  for (const [id, data] of extraFields(local.extra)) {
    if (id !== 1) continue;
    zip64 = true;
    // Sizes are present for the header fields that say 0xFFFFFFFF: uncompressed first.
    const at64 = data.byteOffset + (local.uncompressedSize === 0xffffffff ? 8 : 0);
    if (size === 0xffffffff && at64 + 8 <= extraEnd) {
      size = Number(new DataView(zip.buffer, at64, 8).getBigUint64(0, true));
    }
  }
  return {
    offset: at,
    dataStart: Math.min(zip.length, local.dataStart),
    method: local.method,
    flags: local.flags,
    size,
    zip64,
  };
}

/**
 * Where streaming readers go on after a record: past its data as they end it (the local
 * size, skipped with no descriptor when listing; a deflate stream's end; for a member
 * with a descriptor and no size, the first descriptor signature; for a stored member with
 * a descriptor, the first descriptor whose CRC-32 matches; for an encrypted one, its data's
 * start), and past a descriptor where they read one. Undefined when following it would
 * pass the allowance.
 */
async function resumePositions(
  zip: Uint8Array,
  record: LocalRecord,
  allowance: StreamingAllowance,
  descriptors: Map<number, readonly number[]>,
): Promise<number[] | undefined> {
  const descriptor = (record.flags & HAS_DATA_DESCRIPTOR) !== 0;
  const positions: number[] = [];
  const afterDescriptorAt = (end: number): void => {
    positions.push(...pastDescriptor(zip, record, end));
  };
  if (!descriptor || record.size !== 0) {
    const end = record.dataStart + record.size;
    positions.push(end);
    if (descriptor) afterDescriptorAt(end);
  }
  if (record.flags & ENCRYPTED) positions.push(record.dataStart);
  else if (record.method === DEFLATED) {
    const end = await deflateEnd(zip, record.dataStart, allowance);
    if (end === undefined) return undefined;
    positions.push(end);
    if (descriptor) afterDescriptorAt(end);
  }
  for (const end of descriptorEnds(zip, record, allowance, descriptors)) afterDescriptorAt(end);
  return positions;
}

/**
 * Where readers that look for a data descriptor end the member's data: the first
 * descriptor signature (libarchive, a member with a descriptor and no size); the first
 * whose CRC-32 matches the bytes before it (libarchive unpacking a stored member with a
 * descriptor, whatever its size). Found once a record (`descriptors`).
 */
function descriptorEnds(
  zip: Uint8Array,
  record: LocalRecord,
  allowance: StreamingAllowance,
  descriptors: Map<number, readonly number[]>,
): number[] {
  if (!(record.flags & HAS_DATA_DESCRIPTOR)) return [];
  const known = descriptors.get(record.offset);
  if (known) return [...known];
  const ends: number[] = [];
  if (record.size === 0) {
    const first = indexOfBytes(zip, DESCRIPTOR, record.dataStart);
    allowance.scanned += (first < 0 ? zip.length : first) - record.dataStart;
    if (first >= 0) ends.push(first);
  }
  if (record.method === STORED) {
    const matching = descriptorMatchingCrc(zip, record.dataStart, allowance);
    if (matching !== undefined) ends.push(matching);
  }
  descriptors.set(record.offset, ends);
  return [...ends];
}

/**
 * Past a data descriptor at `end`: with its signature or without, its sizes in 4 bytes
 * (Java, below 4 GiB) or in 8 where the local header has a zip64 field (libarchive).
 */
function pastDescriptor(zip: Uint8Array, record: LocalRecord, end: number): number[] {
  const signed = startsWithAt(zip, DESCRIPTOR, end) ? 4 : 0;
  return record.zip64 ? [end + signed + 12, end + signed + 20] : [end + signed + 12];
}

/**
 * True when a stored member's data, as a streaming reader ends it, is longer than the
 * directory's size where that is shorter than what is sniffed: the reader's file then
 * begins with bytes qmvc did not sniff. (A deflated member read longer than its directory
 * entry says fails qmvc's own read, and is unchecked for that.)
 */
function readsLonger(
  zip: Uint8Array,
  record: LocalRecord,
  centralSize: number,
  allowance: StreamingAllowance,
  descriptors: Map<number, readonly number[]>,
): boolean {
  if (record.method !== STORED || record.flags & ENCRYPTED || centralSize >= SNIFF_BYTES) {
    return false;
  }
  const ends = descriptorEnds(zip, record, allowance, descriptors);
  if (!(record.flags & HAS_DATA_DESCRIPTOR) || record.size !== 0) {
    ends.push(record.dataStart + record.size);
  }
  return ends.some((end) => end - record.dataStart > centralSize);
}

/** The last offset where a local record's signature stands that `known` does not hold. */
function lastUnknownRecordSignature(
  zip: Uint8Array,
  known: ReadonlySet<number>,
): number | undefined {
  let last: number | undefined;
  for (let at = zip.indexOf(0x50); at >= 0 && at + 3 < zip.length; at = zip.indexOf(0x50, at + 1)) {
    if (zip[at + 1] === 0x4b && zip[at + 2] === 3 && zip[at + 3] === 4 && !known.has(at)) last = at;
  }
  return last;
}

/**
 * The first local record libarchive finds scanning from `from`, or undefined when a
 * central directory or end record signature (or the end of the zip) comes first.
 */
function nextRecord(
  zip: Uint8Array,
  from: number,
  allowance: StreamingAllowance,
): number | undefined {
  for (
    let at = zip.indexOf(0x50, from);
    at >= 0 && at + 3 < zip.length;
    at = zip.indexOf(0x50, at + 1)
  ) {
    if (zip[at + 1] !== 0x4b) continue;
    const third = zip[at + 2];
    const fourth = zip[at + 3];
    const record = third === 3 && fourth === 4;
    const directory = (third === 1 && fourth === 2) || (third === 5 && fourth === 6) ||
      (third === 6 && fourth === 6);
    if (record || directory) {
      allowance.scanned += at - from;
      return record ? at : undefined;
    }
  }
  allowance.scanned += zip.length - from;
  return undefined;
}

const DESCRIPTOR = [0x50, 0x4b, 7, 8] as const;

/**
 * Where the deflate stream starting at `start` ends, inflated a piece at a time and
 * dropped; undefined when that would pass the allowance (or the stream never ends
 * within the zip, which no reading of it completes either: then its own end).
 */
function deflateEnd(
  zip: Uint8Array,
  start: number,
  allowance: StreamingAllowance,
): Promise<number | undefined> {
  return new Promise((resolve) => {
    const inflate = zlibModule().createInflateRaw();
    inflate.on("data", (chunk: Uint8Array) => {
      allowance.inflated += chunk.length;
      if (allowance.inflated > allowance.inflateLimit) {
        inflate.destroy();
        resolve(undefined);
      }
    });
    inflate.on("end", () => resolve(start + inflate.bytesWritten));
    inflate.on("error", () => resolve(zip.length));
    inflate.end(zip.subarray(start));
  });
}

/**
 * The first data descriptor after `start` whose CRC-32 is that of the bytes from `start`
 * to it, as libarchive ends a stored member whose size it does not know.
 */
function descriptorMatchingCrc(
  zip: Uint8Array,
  start: number,
  allowance: StreamingAllowance,
): number | undefined {
  const table = crcTable();
  let crc = 0xffffffff;
  let at = start;
  for (
    let found = indexOfBytes(zip, DESCRIPTOR, start);;
    found = indexOfBytes(zip, DESCRIPTOR, found + 1)
  ) {
    allowance.scanned += (found < 0 ? zip.length : found) - at;
    if (found < 0 || found + 8 > zip.length) return undefined;
    if (allowance.scanned > allowance.scanLimit) return undefined;
    for (; at < found; at++) crc = table[(crc ^ zip[at]!) & 0xff]! ^ (crc >>> 8);
    const stored = (zip[found + 4]! | zip[found + 5]! << 8 | zip[found + 6]! << 16 |
      zip[found + 7]! << 24) >>> 0;
    if (stored === (crc ^ 0xffffffff) >>> 0) return found;
  }
}

let table: Uint32Array | undefined;

function crcTable(): Uint32Array {
  if (table) return table;
  table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}
