/*
 * Where a zip's end records and first records lie, as the readers that do not go by
 * zip.js's reading of its central directory find them: Python (the last end record),
 * 7-Zip (scanning for local records). What they would unpack besides the members zip.js
 * lists makes the zip unchecked. The streaming readers are _zip_streaming.ts's.
 */

const END_RECORD = 0x06054b50;
const LOCAL_HEADER = 0x04034b50;

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
