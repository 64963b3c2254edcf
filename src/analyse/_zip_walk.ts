import type { Entry } from "@zip.js/zip.js";
import { concatBytes } from "../message/mod.ts";
import type { ArchiveListing, ArchiveMember, ArchiveProblem } from "./archive_member.ts";
import {
  type ExpansionBudget,
  innerArchiveKind,
  membersSpent,
  type ReaderOptions,
  spendExpansion,
  ZIP_NAMED,
} from "./_archive_reader.ts";
import { normaliseFilename } from "./filename.ts";
import { findZipEndRecord, sniffBytes } from "./loader_signatures.ts";
import {
  extraFields,
  type LocalHeader,
  localHeaderOf,
  readMemberDirect,
} from "./_zip_member_data.ts";
import { agreeingZip64End, endRecordsClosingTheFile, layoutOtherwise } from "./_zip_layout.ts";
import {
  type ListedMember,
  type StreamingAllowance,
  streamingReadingOtherwise,
} from "./_zip_streaming.ts";

type ZipJs = typeof import("@zip.js/zip.js");
let zipJs: Promise<ZipJs> | undefined;

/**
 * zip.js is loaded on the first archive, not at start-up: most mail has no zip, and the
 * import costs a few milliseconds of every delivery otherwise. It inflates on the calling
 * thread with the runtime's own DecompressionStream: no workers and no WebAssembly module
 * to locate, which a single-file binary could not ship.
 */
export function loadZipJs(): Promise<ZipJs> {
  zipJs ??= import("@zip.js/zip.js").then((mod) => {
    mod.configure({ useWebWorkers: false, useCompressionStream: true });
    return mod;
  });
  return zipJs;
}

/** Declared sizes may add up to this many times the expansion budget before the archive is a bomb. */
const DECLARED_SIZE_FACTOR = 16;

/**
 * Entries between two turns of the event loop, where the deadline can fire: a walk of
 * 100,000 entries (an admin's archive-members) is some seconds of work in promises that
 * settle at once, and never let the timer run before.
 */
const PAUSE_EVERY = 1000;

/** Bytes of a member read to sniff it; a loader type is decided within the first 64 KiB. */
const SNIFF_BYTES = 64 * 1024;

class StopReading extends Error {}

/**
 * zip.js's warnings that say another reader may list this zip otherwise: records between
 * the directory and its end record, a directory not where the end record says, a zip64
 * end record that disagrees with the other or carries data of unknown use, an entry count
 * wrapped past 65,535, a second archive before this one. zip.js picks one reading;
 * Python, unzip, 7-Zip and bsdtar may pick another and unpack members qmvc never saw.
 */
function ambiguousWarnings(zipJs: ZipJs): ReadonlySet<string> {
  return new Set([
    zipJs.WARNING_TRAILING_CENTRAL_DIRECTORY_DATA,
    zipJs.WARNING_MISMATCHED_CENTRAL_DIRECTORY_OFFSET,
    zipJs.WARNING_MISMATCHED_ZIP64_END_OF_CENTRAL_DIRECTORY,
    zipJs.WARNING_UNKNOWN_ZIP64_EXTENSIBLE_DATA,
    zipJs.WARNING_MULTIPLE_END_OF_CENTRAL_DIRECTORY,
    zipJs.WARNING_WRAPPED_ENTRIES_COUNT,
    zipJs.WARNING_PREPENDED_CENTRAL_DIRECTORY,
  ]);
}

/**
 * A zip's central directory, one entry at a time. Entries are handed out and dropped, never
 * held as a list: zip.js hangs each member's local header on its entry when the member is
 * read, and 10,000 entries held to the end of a walk kept some 200 MB alive. Once the
 * directory is read, zip.js's warnings of an ambiguous reading go to `ambiguities`.
 */
export async function* zipEntries(
  bytes: Uint8Array,
  ambiguities: string[] = [],
): AsyncGenerator<Entry> {
  const zipJs = await loadZipJs();
  // Names are data here, never paths: a member called "../x" or "C:\\x" is listed
  // and inspected like any other (zip.js would refuse the whole archive otherwise).
  const reader = new zipJs.ZipReader(new zipJs.Uint8ArrayReader(bytes), {
    checkSignature: false,
    filenameValidation: "tolerant",
  });
  try {
    yield* reader.getEntriesGenerator();
    const ambiguous = ambiguousWarnings(zipJs);
    for (const { reason } of reader.warnings ?? []) {
      // Info-ZIP writing to a pipe puts a zip64 end record there that says what the
      // other one says: every reader agrees on such a zip.
      if (reason === zipJs.WARNING_TRAILING_CENTRAL_DIRECTORY_DATA && agreeingZip64End(bytes)) {
        continue;
      }
      if (ambiguous.has(reason)) ambiguities.push(reason);
    }
  } finally {
    await reader.close().catch(() => {});
  }
}

/**
 * List a zip archive: every member's name, sizes and encryption, the first bytes of each
 * member sniffed, nested zips opened up to the depth limit. Budgets bound members,
 * depth, inflated bytes and compression ratio. Never throws on archive content.
 */
export async function walkZip(
  bytes: Uint8Array,
  options: ReaderOptions,
): Promise<ArchiveListing> {
  const { prefix, limits } = options;
  const members: ArchiveMember[] = [];
  const problems: { code: ArchiveProblem; evidence: string }[] = [];
  const where = prefix || "archive";
  const ambiguities: string[] = [];
  let count = 0;
  // Many members that each look harmless can still declare more than can be unpacked:
  // the sum of the declared sizes is a bomb of its own (42.zip's shape).
  let declared = 0;
  let disagreement: string | undefined;
  // Where the listed members lie: what is before the first or after the last is not theirs.
  let firstOffset = bytes.length;
  let dataEnd = 0;
  // The listed members' local records, and where the records of zips stored in them start.
  const listed: ListedMember[] = [];
  const known = new Set<number>();
  // Members of methods zip.js does not read, unpacked by 7-Zip after the listing; names counted.
  const sevenZipLater: SevenZipMember[] = [];
  const names = new Map<string, number>();
  try {
    for await (const entry of zipEntries(bytes, ambiguities)) {
      if (++count % PAUSE_EVERY === 0) await options.budget.pause?.();
      // Past the limit the rest is not read at all: each entry costs zip.js a kilobyte.
      if (count > limits.maxArchiveMembers) break;
      declared += entry.uncompressedSize || 0;
      const local = localHeaderOf(bytes, entry);
      if (local) {
        firstOffset = Math.min(firstOffset, entry.offset);
        dataEnd = Math.max(dataEnd, local.dataStart + entry.compressedSize);
        listed.push({ offset: entry.offset, centralSize: entry.compressedSize });
        known.add(entry.offset);
      }
      if (!disagreement && localNameDiffers(local, entry)) {
        disagreement = `${prefix}${entry.filename}: the member's own header names it otherwise`;
      }
      if (!disagreement && unicodeNameEndsOtherwise(local, entry)) {
        disagreement = `${prefix}${entry.filename}: its raw name ends otherwise`;
      }
      if (!disagreement && repeatsAnExtraField(entry.rawExtraField)) {
        // Two Zip64 records, say: zip.js takes the last, other readers the first.
        disagreement = `${prefix}${entry.filename}: an extra field given twice`;
      }
      if (isDirectory(entry)) continue;
      names.set(memberFilename(entry), (names.get(memberFilename(entry)) ?? 0) + 1);
      const inner = await walkEntry(bytes, entry, options, members, problems, sevenZipLater);
      // A zip stored as it is: its records stand in this zip's bytes too.
      if (local && entry.compressionMethod === 0) {
        for (const offset of inner) known.add(local.dataStart + offset);
      }
    }
  } catch (error) {
    problems.push({
      code: "ARCHIVE_INVALID",
      evidence: error instanceof Error ? error.message.slice(0, 120) : "unreadable",
    });
  }
  if (sevenZipLater.length) {
    await readWithSevenZip(bytes, sevenZipLater, names, options, members, problems);
  }
  if (count > limits.maxArchiveMembers) {
    problems.push({
      code: "ARCHIVE_TOO_MANY_MEMBERS",
      evidence: `${where}: more than ${limits.maxArchiveMembers} members, that many listed`,
    });
  }
  if (declared > limits.maxExpansionBytes * DECLARED_SIZE_FACTOR) {
    problems.push({
      code: "ARCHIVE_BOMB",
      evidence: `${where}: members declare ${declared} bytes in all`,
    });
  }
  if (disagreement) problems.push({ code: "ARCHIVE_NOT_LISTED", evidence: disagreement });
  const otherReading = endRecordsClosingTheFile(bytes).length > 1
    ? "an end record inside another's comment"
    : layoutOtherwise(bytes, Math.min(firstOffset, bytes.length), dataEnd, count);
  if (otherReading) {
    problems.push({
      code: "ARCHIVE_NOT_LISTED",
      evidence: `${where}: ${otherReading}, which other readers may list`,
    });
  }
  const streamed = count <= limits.maxArchiveMembers
    ? await streamingReadingOtherwise(bytes, listed, known, streamingAllowance(bytes, options))
    : undefined;
  if (streamed) problems.push({ code: "ARCHIVE_NOT_LISTED", evidence: `${where}: ${streamed}` });
  for (const reason of new Set(ambiguities)) {
    problems.push({
      code: "ARCHIVE_NOT_LISTED",
      evidence: `${where}: ${reason}, which other readers may list otherwise`,
    });
  }
  return { members, problems, recordOffsets: [...known] };
}

/**
 * Following a zip as the streaming readers do inflates at most four times `expansion` for
 * the message (CPU only: the bytes are dropped as they come) and scans each zip's bytes at
 * most eight times over.
 */
function streamingAllowance(zip: Uint8Array, options: ReaderOptions): StreamingAllowance {
  const { budget, limits } = options;
  return {
    get inflated(): number {
      return budget.streamEndsInflated;
    },
    set inflated(bytes: number) {
      budget.streamEndsInflated = bytes;
    },
    inflateLimit: 4 * limits.maxExpansionBytes,
    scanned: 0,
    scanLimit: 8 * zip.length + 1024 * 1024,
  };
}

/** Walk one member; a zip inside gives back where its records start, in its own bytes. */
async function walkEntry(
  zip: Uint8Array,
  entry: Entry,
  options: ReaderOptions,
  members: ArchiveMember[],
  problems: { code: ArchiveProblem; evidence: string }[],
  sevenZipLater: SevenZipMember[],
): Promise<readonly number[]> {
  const { limits, budget, depth, prefix } = options;
  const filename = memberFilename(entry);
  const path = `${prefix}${filename}`;
  const name = normaliseFilename(filename).name;
  const size = entry.uncompressedSize;
  const compressedSize = entry.compressedSize;
  if (entry.encrypted) {
    problems.push({ code: "ARCHIVE_ENCRYPTED", evidence: path });
    members.push({ path, name, size, compressedSize, encrypted: true, depth, sniff: undefined });
    return [];
  }
  if (compressedSize > 0 && size / compressedSize > limits.maxCompressionRatio) {
    problems.push({
      code: "ARCHIVE_BOMB",
      evidence: `${path}: ${size} bytes from ${compressedSize}`,
    });
    members.push({ path, name, size, compressedSize, encrypted: false, depth, sniff: undefined });
    return [];
  }
  const head = await readHead(zip, entry, Math.min(SNIFF_BYTES, budget.remaining), budget);
  const sniff = head ? sniffBytes(head) : undefined;
  members.push({ path, name, size, compressedSize, encrypted: false, depth, sniff });
  if (!head && SEVENZIP_METHODS.has(entry.compressionMethod) && budget.remaining > 0) {
    sevenZipLater.push({ filename, size, index: members.length - 1 });
    return [];
  }
  if (!head && !provablyEmpty(zip, entry)) {
    // Fail closed: what was not read was not inspected, whatever its name.
    problems.push({
      code: "ARCHIVE_CONTENT_NOT_READ",
      evidence: `${path}: ${
        budget.remaining > 0 ? "its bytes could not be read" : "the expansion budget is spent"
      }`,
    });
    return [];
  }
  if (!head) return [];
  const readWhole = head.length === size;
  let kind = innerArchiveKind(sniff, head, readWhole);
  // Most members are no archive: nothing more is made for them (a zip of 10,000).
  let whole: Promise<Uint8Array | undefined> | undefined;
  if (!kind && !readWhole && ZIP_NAMED.test(name)) {
    // Named like a zip and longer than its head: a zip may stand behind other bytes.
    if (size > budget.remaining) {
      problems.push({
        code: "ARCHIVE_NOT_LISTED",
        evidence: `${path}: named like a zip, ${size} bytes exceed the expansion budget`,
      });
      return [];
    }
    whole = readHead(zip, entry, budget.remaining, budget);
    const all = await whole;
    if (all && findZipEndRecord(all) > 0) kind = "zip";
  }
  if (!kind) return [];
  const readAll = () =>
    whole ??= readWhole ? Promise.resolve(head) : readHead(zip, entry, budget.remaining, budget);
  return await openInner(kind, path, size, readAll, options, members, problems);
}

/**
 * A member that is an archive (`kind`), read whole by `readAll` and walked, within the
 * depth, members and expansion limits; gives back where a zip's records start in its bytes.
 */
async function openInner(
  kind: string | undefined,
  path: string,
  size: number,
  readAll: () => Promise<Uint8Array | undefined>,
  options: ReaderOptions,
  members: ArchiveMember[],
  problems: { code: ArchiveProblem; evidence: string }[],
): Promise<readonly number[]> {
  const { limits, budget, depth } = options;
  if (!kind) return [];
  if (depth >= limits.maxArchiveDepth) {
    problems.push({
      code: "ARCHIVE_TOO_DEEP",
      evidence: `${path}: more than ${limits.maxArchiveDepth} nested archives`,
    });
    return [];
  }
  // Checked before the nested archive is inflated, not only when it would be opened.
  const spent = membersSpent(`${path}/`, options);
  if (spent) {
    problems.push(spent);
    return [];
  }
  if (size > budget.remaining) {
    problems.push({
      code: "ARCHIVE_NOT_LISTED",
      evidence: `${path}: ${size} bytes exceed the expansion budget`,
    });
    return [];
  }
  const inner = await readAll();
  if (inner?.length !== size) {
    // A part of an archive can end like a whole small one: only all of it is opened.
    problems.push({
      code: "ARCHIVE_NOT_LISTED",
      evidence: `${path}: ${inner?.length ?? 0} of its ${size} bytes could be read`,
    });
    return [];
  }
  const nested = await options.nested(kind, inner, { depth: depth + 1, prefix: `${path}/` });
  members.push(...nested.members);
  problems.push(...nested.problems);
  return nested.recordOffsets ?? [];
}

/** Compression methods 7-Zip reads and zip.js not: Deflate64, bzip2, LZMA, PPMd. */
const SEVENZIP_METHODS: ReadonlySet<number> = new Set([9, 12, 14, 98]);

/** A member left to 7-Zip: its name, declared size, and its place in the listing. */
interface SevenZipMember {
  readonly filename: string;
  readonly size: number;
  readonly index: number;
}

/**
 * Unpack with 7-Zip the members zip.js could not read, sniff them and open the archives
 * among them. A member is found by its name in 7-Zip's output: one whose name 7-Zip could
 * write otherwise (not plain ASCII, a path that is not simple, a name given twice) or whose
 * unpacked size is not the declared one stays unchecked.
 */
async function readWithSevenZip(
  zip: Uint8Array,
  later: readonly SevenZipMember[],
  names: ReadonlyMap<string, number>,
  options: ReaderOptions,
  members: ArchiveMember[],
  problems: { code: ArchiveProblem; evidence: string }[],
): Promise<void> {
  const { budget, prefix } = options;
  const declared = later.reduce((sum, m) => sum + m.size, 0);
  const plain = declared > budget.remaining
    ? []
    : later.filter((m) => names.get(m.filename) === 1 && isPlainPath(m.filename));
  const { unpackZipMembers } = await import("./_sevenzip.ts");
  const unpacked = plain.length
    ? await unpackZipMembers(zip, plain.map((m) => m.filename), budget)
    : undefined;
  for (const member of later) {
    const path = `${prefix}${member.filename}`;
    const found = plain.includes(member) ? unpacked?.get(member.filename) : undefined;
    if (!found || found.size !== member.size || budget.remaining <= 0) {
      problems.push({
        code: "ARCHIVE_CONTENT_NOT_READ",
        evidence: `${path}: its method is not read, and 7-Zip did not unpack it as listed`,
      });
      continue;
    }
    const head = found.read(Math.min(SNIFF_BYTES, budget.remaining));
    spendExpansion(budget, head.length);
    const sniff = sniffBytes(head);
    members[member.index] = { ...members[member.index]!, sniff };
    const readAll = () => {
      const all = found.read(member.size);
      spendExpansion(budget, all.length);
      return all;
    };
    let kind = innerArchiveKind(sniff, head, head.length === member.size);
    let whole: Uint8Array | undefined;
    if (!kind && head.length < member.size && ZIP_NAMED.test(member.filename)) {
      // Named like a zip: a zip may stand behind its first bytes.
      if (member.size > budget.remaining) {
        problems.push({
          code: "ARCHIVE_NOT_LISTED",
          evidence: `${path}: named like a zip, ${member.size} bytes exceed the expansion budget`,
        });
        continue;
      }
      whole = readAll();
      if (findZipEndRecord(whole) > 0) kind = "zip";
    }
    await openInner(
      kind,
      path,
      member.size,
      () => Promise.resolve(whole ?? readAll()),
      options,
      members,
      problems,
    );
  }
}

/**
 * A member name 7-Zip writes as it is and reads back from a list file as itself: printable
 * ASCII, no wildcard, backslash or leading ";" (a comment), simple path components, a file.
 */
function isPlainPath(name: string): boolean {
  return /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/.test(name) && !/[\\*?]|^;/.test(name) &&
    name.split("/").every((part) => part !== "" && part !== "." && part !== "..");
}

/**
 * True for a member that holds nothing by every reading: stored, no data descriptor, and
 * sizes of 0 in the directory and in its local header. A member whose read gave nothing is
 * otherwise unchecked, whatever the directory says of its size: extractors that go by its
 * local header may unpack bytes from it.
 */
function provablyEmpty(zip: Uint8Array, entry: Entry): boolean {
  const local = localHeaderOf(zip, entry);
  return entry.compressionMethod === 0 && !entry.compressedSize && !entry.uncompressedSize &&
    local !== undefined && local.method === 0 && !(local.flags & 0x0008) &&
    !local.compressedSize && !local.uncompressedSize;
}

/**
 * Up to `max` bytes of a member of `zip`, read directly where it can be and through zip.js
 * otherwise; counts against the budget.
 */
export async function readHead(
  zip: Uint8Array,
  entry: Entry,
  max: number,
  budget: ExpansionBudget,
): Promise<Uint8Array | undefined> {
  if (max <= 0) return undefined;
  const direct = await readMemberDirect(zip, entry, max);
  if (direct === "broken") {
    // Inflated all the same, up to where it broke: 10,000 entries pointing at one broken
    // stream were 10,000 inflations, with nothing charged and no collection.
    spendExpansion(budget, Math.min(entry.uncompressedSize, max));
    return undefined;
  }
  if (direct) {
    spendExpansion(budget, direct.length);
    return direct;
  }
  // zip.js gives no data of an entry it calls a directory.
  if (entry.directory) return undefined;
  const chunks: Uint8Array[] = [];
  let taken = 0;
  const sink = new WritableStream<Uint8Array>({
    write(chunk): void {
      const room = max - taken;
      chunks.push(chunk.subarray(0, room));
      taken += Math.min(chunk.length, room);
      if (taken >= max) throw new StopReading();
    },
  });
  try {
    await entry.getData(sink);
  } catch (error) {
    if (!(error instanceof StopReading) && taken === 0) return undefined;
  }
  spendExpansion(budget, taken);
  return concatBytes(chunks);
}

/**
 * True when the member's local header carries a name other than the central directory's.
 * Mail clients and Windows list a zip by its central directory, streaming unpackers by its
 * local headers: an archive that shows the two different names can hide "x.exe" behind
 * "x.txt", so it cannot be called inspected. A header not found where the directory says
 * (data prepended to the zip) is no disagreement.
 */
function localNameDiffers(header: LocalHeader | undefined, entry: Entry): boolean {
  const local = header?.name;
  if (!local) return false;
  const central = entry.rawFilename;
  if (!central || local.length !== central.length) return true;
  return local.some((byte, i) => byte !== central[i]);
}

/** True when an extra field gives one record ID twice. */
function repeatsAnExtraField(extra: Uint8Array | undefined): boolean {
  const seen = new Set<number>();
  for (const [id] of extraFields(extra)) {
    if (seen.has(id)) return true;
    seen.add(id);
  }
  return false;
}

/**
 * True when an Info-ZIP Unicode Path field (0x7075) of the entry, in its central record or
 * its local header, names a file with another extension than its raw name: zip.js takes the
 * central field, bsdtar the local one, Python neither, so "run.js" shown as "run.txt"
 * passes a file-name rule. A raw extension that is not ASCII (a Windows archiver's code
 * page, which TextDecoder cannot read) is not compared; the Unicode names must then all end
 * like the name zip.js gives.
 */
function unicodeNameEndsOtherwise(local: LocalHeader | undefined, entry: Entry): boolean {
  if (!entry.rawFilename) return false;
  const raw = extensionOf(LATIN1.decode(entry.rawFilename));
  // deno-lint-ignore no-control-regex
  const expected = /^[\x00-\x7f]*$/.test(raw) ? raw : extensionOf(entry.filename);
  const names = [
    ...unicodePaths(entry.rawExtraField),
    ...unicodePaths(local?.extra),
  ];
  return names.some((name) => extensionOf(name) !== expected);
}

const LATIN1 = new TextDecoder("latin1");
const UTF8 = new TextDecoder();

/** The names of the Unicode Path records (0x7075: version, CRC-32, UTF-8 name) of an extra field. */
function unicodePaths(extra: Uint8Array | undefined): string[] {
  const names: string[] = [];
  for (const [id, data] of extraFields(extra)) {
    if (id === 0x7075 && data.length > 5) names.push(UTF8.decode(data.subarray(5)));
  }
  return names;
}

function extensionOf(path: string): string {
  const name = path.slice(Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1);
  const dot = name.lastIndexOf(".");
  return dot < 0 ? "" : name.slice(dot + 1).toLowerCase();
}

/** A member's name as Python, unzip and bsdtar write it: up to its first NUL ("a.url\0.txt" is a.url). */
export function memberFilename(entry: Entry): string {
  return entry.filename.split("\0")[0]!;
}

/**
 * A directory entry: one whose name ends in a slash (every extractor makes a directory of
 * it, data or not), or in a backslash with no data. zip.js also calls an entry a directory
 * by its attributes, which the writer chooses: Python, unzip, 7-Zip and bsdtar unpack such
 * an entry named "invoice.exe" as the file it is, and Python one named "a.exe\\" with data.
 */
export function isDirectory(entry: Entry): boolean {
  if (!entry.directory) return false;
  // The name as extractors write it: "evil.exe\0/" is the file evil.exe.
  const name = memberFilename(entry);
  if (name.endsWith("/")) return true;
  return name.endsWith("\\") && !entry.compressedSize && !entry.uncompressedSize;
}
