import type { Entry } from "@zip.js/zip.js";
import type { Limits } from "../message/mod.ts";
import type { ExpansionBudget } from "./_archive_reader.ts";
import type { LocalHeader } from "./_zip_member_data.ts";

/*
 * Where a zip's records lie, as the readers that do not go by zip.js's reading of its
 * central directory find them: Python (the last end record), 7-Zip (scanning for local
 * records), and the streaming readers (Java's ZipInputStream, bsdtar reading a pipe), which
 * walk the local records from the first one to the directory and never read the directory.
 * What any of them would unpack besides the members zip.js lists makes the zip unchecked.
 */

const END_RECORD = 0x06054b50;
const LOCAL_HEADER = 0x04034b50;
const ZIP64_END_RECORD = 0x06064b50;
const ZIP64_LOCATOR = 0x07064b50;
const HAS_DATA_DESCRIPTOR = 0x0008;
const STORED = 0;
const DEFLATED = 8;

/**
 * The end records that close the file: a signature whose comment ends where the file does.
 * Python takes the last such, zip.js the last whose directory it can reach; two of them
 * (one inside the other's comment) are two readings of one zip.
 */
export function endRecordsClosingTheFile(zip: Uint8Array): number[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.length);
  return signaturesIn(zip, END_RECORD, zip.length - 22 - 0xffff, zip.length - 18)
    .filter((at) => at + 22 + view.getUint16(at + 20, true) === zip.length);
}

/**
 * True when the zip ends in exactly what Info-ZIP writes to a pipe: a zip64 end record (no
 * extensible data) and its locator, then the one end record, with no comment, whose entry
 * count, directory offset and size the zip64 record repeats, and whose directory's records
 * end where the zip64 record begins. zip.js calls the zip64 record trailing data; every
 * reader lists such a zip alike.
 */
export function agreeingZip64End(zip: Uint8Array): boolean {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.length);
  const end = zip.length - 22;
  if (end < 76 || view.getUint32(end, true) !== END_RECORD || view.getUint16(end + 20, true)) {
    return false;
  }
  if (endRecordsClosingTheFile(zip).length !== 1) return false;
  const locator = end - 20;
  if (view.getUint32(locator, true) !== 0x07064b50) return false;
  const record = locator - 56;
  if (view.getBigUint64(locator + 8, true) !== BigInt(record)) return false;
  if (view.getUint32(record, true) !== 0x06064b50) return false;
  if (view.getBigUint64(record + 4, true) !== 44n) return false;
  const count = view.getUint16(end + 10, true);
  const size = view.getUint32(end + 12, true);
  const offset = view.getUint32(end + 16, true);
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) return false;
  const repeats = view.getBigUint64(record + 24, true) === BigInt(count) &&
    view.getBigUint64(record + 32, true) === BigInt(count) &&
    view.getBigUint64(record + 40, true) === BigInt(size) &&
    view.getBigUint64(record + 48, true) === BigInt(offset);
  if (!repeats || offset + size !== record) return false;
  // Its entries, record by record, end where the zip64 record begins: nothing hides between.
  let at = offset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > record || view.getUint32(at, true) !== 0x02014b50) return false;
    at += 46 + view.getUint16(at + 28, true) + view.getUint16(at + 30, true) +
      view.getUint16(at + 32, true);
  }
  return at === record;
}

/** Where a four-byte little-endian signature occurs in `zip` between `from` and `to`. */
function signaturesIn(zip: Uint8Array, signature: number, from: number, to: number): number[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.length);
  const found: number[] = [];
  for (let at = Math.max(0, from); at + 4 <= Math.min(to, zip.length); at++) {
    if (view.getUint32(at, true) === signature) found.push(at);
  }
  return found;
}

/**
 * What other readers may read besides the members zip.js lists, or undefined: two end
 * records after the members' data (Python takes the last signature, whatever its comment
 * length says; zip.js the one whose directory it reaches), a local record before the first
 * member or in a zip that lists none (7-Zip scans for them), a zip64 end not where its
 * locator and the single disk say (Python reads the record before the locator).
 */
export function layoutOtherwise(
  zip: Uint8Array,
  firstOffset: number,
  dataEnd: number,
  listed: number,
): string | undefined {
  const tail = Math.max(dataEnd, zip.length - 22 - 0xffff);
  const ends = signaturesIn(zip, END_RECORD, tail, zip.length);
  if (ends.length > 1) return "two end records after the members";
  if (signaturesIn(zip, LOCAL_HEADER, 0, listed ? firstOffset : zip.length).length) {
    return listed ? "a member's record before the first listed one" : "members no record lists";
  }
  const end = ends[0];
  if (end === undefined || end < 20) return undefined;
  const view = new DataView(zip.buffer, zip.byteOffset, zip.length);
  const locator = end - 20;
  if (view.getUint32(locator, true) !== 0x07064b50) return undefined;
  const record = Number(view.getBigUint64(locator + 8, true));
  const single = view.getUint32(locator + 4, true) === 0 && view.getUint32(locator + 16, true) <= 1;
  const inPlace = record + 56 <= locator && view.getUint32(record, true) === 0x06064b50 &&
    Number(view.getBigUint64(record + 4, true)) + 12 === locator - record &&
    view.getUint32(record + 16, true) === 0 && view.getUint32(record + 20, true) === 0;
  return single && inPlace ? undefined : "a zip64 end record not where its locator says";
}

const LOCAL_HEADER_BYTES = new Uint8Array([0x50, 0x4b, 3, 4]);

/** The first local record's signature at or after `from` and before `to`, or undefined. */
function localRecordIn(zip: Uint8Array, from: number, to: number): number | undefined {
  return signatureAt(zip, LOCAL_HEADER_BYTES, Math.max(0, from), to);
}

/**
 * Where the central directory begins: the size it has, counted back from the end record
 * closing the file, or from the zip64 end record its locator points at. A self-extracting
 * stub before the zip shifts the offsets records give, not these.
 */
function directoryStart(zip: Uint8Array): number | undefined {
  const end = endRecordsClosingTheFile(zip).at(-1);
  if (end === undefined) return undefined;
  const view = new DataView(zip.buffer, zip.byteOffset, zip.length);
  const locator = end - 20;
  if (locator < 0 || view.getUint32(locator, true) !== ZIP64_LOCATOR) {
    return end - view.getUint32(end + 12, true);
  }
  const record = Number(view.getBigUint64(locator + 8, true));
  if (record + 56 > locator || view.getUint32(record, true) !== ZIP64_END_RECORD) return undefined;
  return record - Number(view.getBigUint64(record + 40, true));
}

/**
 * A local record between the first listed member and the central directory that no listed
 * member's record or data covers: the streaming readers unpack it, readers of the directory
 * never see it. `extents` holds, in pairs, where each listed record starts and its data ends.
 */
export function recordBetweenMembers(
  zip: Uint8Array,
  extents: readonly number[],
  firstOffset: number,
): string | undefined {
  const directory = directoryStart(zip);
  if (directory === undefined) return undefined;
  const order = Array.from({ length: extents.length / 2 }, (_, i) => i)
    .sort((a, b) => extents[2 * a]! - extents[2 * b]!);
  let covered = firstOffset;
  for (const i of order) {
    const start = extents[2 * i]!;
    if (start > covered && localRecordIn(zip, covered, start) !== undefined) return UNLISTED;
    covered = Math.max(covered, extents[2 * i + 1]!);
  }
  return localRecordIn(zip, covered, directory) === undefined ? undefined : UNLISTED;
}

const UNLISTED = "a member's record that no directory entry lists";

/**
 * Why a streaming reader would end this member's data before its declared size and read
 * records of its own from the rest, or undefined. Such a reader cannot take the size of a
 * member written with a data descriptor from its local header: it ends a deflated member
 * where the deflate stream ends, a stored one at the first descriptor signature (bsdtar,
 * whatever sizes the descriptor gives), and then reads the next local record it finds. Only
 * data holding a local record's signature can hide a member that way; a deflated one is
 * inflated to find where its stream ends (`streamEndsInflated`). `scanned` counts the data
 * looked at, over all the members of one zip.
 */
export async function streamingEndOtherwise(
  zip: Uint8Array,
  local: LocalHeader,
  entry: Entry,
  options: { readonly limits: Limits; readonly budget: ExpansionBudget },
  scanned: { bytes: number },
): Promise<string | undefined> {
  if (!(local.flags & HAS_DATA_DESCRIPTOR)) return undefined;
  const start = local.dataStart;
  const end = start + entry.compressedSize;
  if (!Number.isSafeInteger(end) || end > zip.length) return undefined;
  // Members' data is read once over: more is members pointing into each other's data
  // (no writer makes that), and would cost the number of members times the zip's size.
  scanned.bytes += end - start;
  if (scanned.bytes > zip.length) return "members whose data overlap";
  if (entry.compressionMethod === STORED) return storedEndOtherwise(zip, start, end);
  // Members of other methods are not read at all, and unchecked for that.
  if (entry.compressionMethod !== DEFLATED) return undefined;
  if (localRecordIn(zip, start, end) === undefined) return undefined;
  const { budget, limits } = options;
  budget.streamEndsInflated += entry.uncompressedSize;
  if (budget.streamEndsInflated > limits.maxExpansionBytes) {
    return "a member's record inside its data, and too much data to find where its stream ends";
  }
  return await endsWithItsData(zip.subarray(start, end), entry.uncompressedSize)
    ? undefined
    : "its deflate stream does not end with its declared size, and a member's record is inside";
}

/**
 * True when `data` is one deflate stream to its last byte, inflating to no more than
 * `declared` bytes. Inflated a piece at a time and dropped: only where it ends is wanted.
 * Both runtimes' DecompressionStream fail on bytes after the stream's end.
 */
async function endsWithItsData(data: Uint8Array, declared: number): Promise<boolean> {
  const inflate = new DecompressionStream("deflate-raw");
  const writer = inflate.writable.getWriter();
  writer.write(data as Uint8Array<ArrayBuffer>).catch(() => {});
  writer.close().catch(() => {});
  const reader = inflate.readable.getReader();
  let inflated = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return true;
      inflated += value.length;
      if (inflated > declared) return false;
    }
  } catch {
    return false;
  } finally {
    reader.cancel().catch(() => {});
  }
}

/**
 * A stored member with a data descriptor, its data from `start` to `end`: a descriptor
 * signature inside the data, with a local record after it, hides that record, unless the
 * data is a zip one of whose records that descriptor closes (a zip stored in a zip written
 * to a stream). A streaming reader then reads the inner zip's records from there on, which
 * its own walk holds to the same rules.
 */
function storedEndOtherwise(zip: Uint8Array, start: number, end: number): string | undefined {
  const descriptor = signatureAt(zip, DATA_DESCRIPTOR_BYTES, start, end);
  if (descriptor === undefined) return undefined;
  if (localRecordIn(zip, descriptor + 4, end) === undefined) return undefined;
  if (closesARecordWithin(zip, start, descriptor)) return undefined;
  return "a data descriptor inside its data, then a member's record";
}

const DATA_DESCRIPTOR_BYTES = new Uint8Array([0x50, 0x4b, 7, 8]);

/** Where the four bytes `signature` first occur at or after `from`, before `to`. */
function signatureAt(
  zip: Uint8Array,
  signature: Uint8Array,
  from: number,
  to: number,
): number | undefined {
  const end = Math.min(to, zip.length - 3);
  for (
    let at = zip.indexOf(signature[0]!, from);
    at >= 0 && at < end;
    at = zip.indexOf(signature[0]!, at + 1)
  ) {
    if (
      zip[at + 1] === signature[1] && zip[at + 2] === signature[2] && zip[at + 3] === signature[3]
    ) {
      return at;
    }
  }
  return undefined;
}

/**
 * True when the local records from `start` on, each skipped by the size its header gives,
 * lead to one with a data descriptor that the descriptor at `descriptor` closes (its
 * compressed size, in four bytes or eight); a stored record whose data holds the descriptor
 * is a zip inside, read the same way. Where a streaming reader stops, a record of a zip
 * inside ends, and it reads that zip's next record on.
 */
function closesARecordWithin(zip: Uint8Array, start: number, descriptor: number): boolean {
  if (descriptor + 16 > zip.length) return false;
  const view = new DataView(zip.buffer, zip.byteOffset, zip.length);
  for (let at = start; at + 30 <= descriptor;) {
    if (view.getUint32(at, true) !== LOCAL_HEADER) return false;
    const dataStart = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
    if (view.getUint16(at + 6, true) & HAS_DATA_DESCRIPTOR) {
      const size = descriptor - dataStart;
      if (view.getUint32(descriptor + 8, true) === size) return true;
      return descriptor + 24 <= zip.length &&
        Number(view.getBigUint64(descriptor + 8, true)) === size;
    }
    const dataEnd = dataStart + view.getUint32(at + 18, true);
    if (dataEnd <= descriptor) at = dataEnd;
    else if (view.getUint16(at + 8, true) === STORED) at = dataStart;
    else return false;
  }
  return false;
}
