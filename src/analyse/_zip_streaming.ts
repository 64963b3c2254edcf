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

/** A listed member's local record, as the walk found it. */
export interface ListedRecord {
  readonly offset: number;
  readonly dataStart: number;
  readonly method: number;
  readonly flags: number;
  /** The compressed size in the local header (its zip64 field where that says 0xFFFFFFFF). */
  readonly localSize: number;
  /** Encrypted data: no stream to follow (and unchecked for that). */
  readonly encrypted: boolean;
  /** The local header has a zip64 extra field: its data descriptor gives sizes in 8 bytes. */
  readonly zip64: boolean;
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
const STORED = 0;
const DEFLATED = 8;

/**
 * Why a streaming reader would unpack a member that is not inspected, or undefined.
 * `known` holds the offsets of every inspected record: the listed ones and those of zips
 * stored in them. Only where a local record's signature stands at another offset is there
 * anything to look for, so most zips cost one scan of their bytes.
 */
export async function streamingReadingOtherwise(
  zip: Uint8Array,
  records: readonly ListedRecord[],
  known: ReadonlySet<number>,
  allowance: StreamingAllowance,
): Promise<string | undefined> {
  const lastUnknown = lastUnknownRecordSignature(zip, known);
  if (lastUnknown === undefined) return undefined;
  const reached = (from: number): boolean => {
    const record = nextRecord(zip, from, allowance);
    return record !== undefined && !known.has(record);
  };
  if (reached(0)) return UNINSPECTED;
  const sorted = [...records].sort((a, b) => a.offset - b.offset);
  for (const [i, record] of sorted.entries()) {
    // Entries that share one record are read once.
    if (i > 0 && sorted[i - 1]!.offset === record.offset) continue;
    // A reading that starts past the last unknown signature can only meet known records.
    if (record.dataStart > lastUnknown) break;
    const ends = await candidateEnds(zip, record, allowance);
    if (typeof ends === "string") return ends;
    for (const end of ends) {
      if (reached(afterDescriptor(zip, record, end))) return UNINSPECTED;
    }
    if (allowance.scanned > allowance.scanLimit) return TOO_MUCH;
  }
  return undefined;
}

const TOO_MUCH = "a member's record in a zip too costly to follow as streaming readers do";

const UNINSPECTED =
  "a member's record that streaming readers (bsdtar from a pipe, Java) unpack and the directory does not list";

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

/**
 * Where streaming readers end a member's data: at the local header's size when it gives
 * one (libarchive listing, any stored member); a deflated member where its stream ends
 * (libarchive unpacking, Java); a stored member with a data descriptor and no size at the
 * first descriptor signature (libarchive listing) or at the first whose CRC-32 matches the
 * bytes before it (libarchive unpacking). A string says why that cannot be told.
 */
async function candidateEnds(
  zip: Uint8Array,
  record: ListedRecord,
  allowance: StreamingAllowance,
): Promise<number[] | string> {
  const ends = new Set<number>();
  const descriptor = (record.flags & HAS_DATA_DESCRIPTOR) !== 0;
  if (!descriptor || record.localSize !== 0) ends.add(record.dataStart + record.localSize);
  if (record.encrypted) return [...ends];
  if (record.method === DEFLATED) {
    const end = await deflateEnd(zip, record.dataStart, allowance);
    if (end === undefined) return TOO_MUCH;
    ends.add(end);
  } else if (record.method === STORED && descriptor && record.localSize === 0) {
    const first = signatureAt(zip, DESCRIPTOR, record.dataStart);
    allowance.scanned += (first ?? zip.length) - record.dataStart;
    if (first !== undefined) ends.add(first);
    const matching = descriptorMatchingCrc(zip, record.dataStart, allowance);
    if (matching !== undefined) ends.add(matching);
  }
  return [...ends];
}

/**
 * Where the reading goes on after a member's data ends at `end`: past its data descriptor,
 * with or without its signature, its sizes in 8 bytes where the local header has a zip64
 * field (as libarchive and Java read it).
 */
function afterDescriptor(zip: Uint8Array, record: ListedRecord, end: number): number {
  if (!(record.flags & HAS_DATA_DESCRIPTOR)) return end;
  const signed = signatureAt(zip, DESCRIPTOR, end) === end;
  return end + (signed ? 4 : 0) + 4 + (record.zip64 ? 16 : 8);
}

const DESCRIPTOR = [0x50, 0x4b, 7, 8] as const;

function signatureAt(
  zip: Uint8Array,
  signature: readonly number[],
  from: number,
): number | undefined {
  for (
    let at = zip.indexOf(signature[0]!, from);
    at >= 0 && at + 3 < zip.length;
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
    let found = signatureAt(zip, DESCRIPTOR, start);;
    found = signatureAt(zip, DESCRIPTOR, found + 1)
  ) {
    allowance.scanned += (found ?? zip.length) - at;
    if (found === undefined || found + 8 > zip.length) return undefined;
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
