import { ascii, startsWithAt, u16le, u32le } from "./_bytes.ts";
import type { ArchiveListing, ArchiveMember, ArchiveProblem } from "./archive_member.ts";
import { normaliseFilename } from "./filename.ts";
import { sniffBytes } from "./loader_signatures.ts";
import { innerArchiveKind, type ReaderOptions } from "./_archive_reader.ts";
import { zlibModule } from "./_zlib.ts";
import { readTar } from "./_tar.ts";
import { tarHeaderAt } from "./_tar_header.ts";

/** Kinds whose members are named from clear headers but never unpacked. */
const CONTENT_NOT_READ = new Set(["rar", "cab", "arj"]);

type Problems = { code: ArchiveProblem; evidence: string }[];

/**
 * List the member names of the archive kinds that need no third-party decompressor:
 * RAR (4 and 5), CAB, ARJ and tar keep their names in clear headers; gzip names its one
 * member and is inflated (node:zlib, within the budget) to sniff it and list a tar
 * inside. 7z keeps its names in a compressed header and bz2/xz need decompressors the
 * runtime lacks: those are reported as not listed, never as empty.
 */
export async function listArchiveNames(
  kind: string,
  bytes: Uint8Array,
  options: ReaderOptions,
): Promise<ArchiveListing> {
  const members: ArchiveMember[] = [];
  const problems: Problems = [];
  // Evidence names the archive: its kind at the top, its path when it sits inside another.
  const label = options.prefix ? `${options.prefix.slice(0, -1)} (${kind})` : kind;
  /** Members whose bytes are at hand and are an archive themselves: opened after the listing. */
  const inner: { path: string; kind: string; content: Uint8Array }[] = [];
  const add = (
    name: string,
    size: number,
    compressedSize: number,
    encrypted: boolean,
    content?: Uint8Array,
  ): void => {
    if (members.length >= options.limits.maxArchiveMembers) return;
    const path = `${options.prefix}${name}`;
    const sniff = content ? sniffBytes(content) : undefined;
    members.push({
      path,
      name: normaliseFilename(name).name,
      size,
      compressedSize,
      encrypted,
      depth: options.depth,
      sniff,
    });
    if (encrypted) problems.push({ code: "ARCHIVE_ENCRYPTED", evidence: path });
    // A zip behind other bytes (a text, then a zip) is opened by zip readers too.
    const nestedKind = content ? innerArchiveKind(sniff, content, true) : undefined;
    if (content && nestedKind) inner.push({ path, kind: nestedKind, content });
  };
  try {
    switch (kind) {
      case "rar":
        listRar(bytes, add, problems);
        break;
      case "cab":
        listCab(bytes, add);
        break;
      case "arj":
        listArj(bytes, add);
        break;
      case "gz":
        listGzip(bytes, { options, add, problems, label });
        break;
      case "tar":
        listTar(bytes, { options, add, problems, label });
        break;
      case "7z":
        problems.push({
          code: "ARCHIVE_NOT_LISTED",
          evidence: `${label}: ${sevenZipReason(bytes)}`,
        });
        break;
      case "bz2":
      case "xz":
        problems.push({
          code: "ARCHIVE_NOT_LISTED",
          evidence: `${label}: no decompressor for this format in the runtime`,
        });
        break;
    }
  } catch (error) {
    problems.push({
      code: "ARCHIVE_INVALID",
      evidence: `${label}: ${error instanceof Error ? error.message : "unreadable"}`,
    });
  }
  // RAR, CAB and ARJ keep names in clear but their contents compressed with methods qmvc
  // does not unpack: the names are checked, the bytes are not, and that is said.
  const unread = members.filter((m) => m.sniff === undefined && !m.encrypted && m.size > 0);
  if (unread.length && CONTENT_NOT_READ.has(kind)) {
    problems.push({
      code: "ARCHIVE_CONTENT_NOT_READ",
      evidence: `${label}: ${unread.length} member(s) named, their bytes not read`,
    });
  }
  if (members.length >= options.limits.maxArchiveMembers) {
    problems.push({
      code: "ARCHIVE_TOO_MANY_MEMBERS",
      evidence: `${label}: more than ${options.limits.maxArchiveMembers} members`,
    });
  }
  // Zips inside whose bytes stand in this archive's as they are (a tar's files): where
  // their records start, for a zip that holds this archive stored (_zip_streaming.ts).
  const recordOffsets: number[] = [];
  for (const archive of inner) {
    if (options.depth >= options.limits.maxArchiveDepth) {
      problems.push({
        code: "ARCHIVE_TOO_DEEP",
        evidence: `${archive.path}: more than ${options.limits.maxArchiveDepth} nested archives`,
      });
      continue;
    }
    const nested = await options.nested(archive.kind, archive.content, {
      depth: options.depth + 1,
      prefix: `${archive.path}/`,
    });
    members.push(...nested.members);
    problems.push(...nested.problems);
    if (archive.content.buffer === bytes.buffer) {
      const base = archive.content.byteOffset - bytes.byteOffset;
      for (const offset of nested.recordOffsets ?? []) recordOffsets.push(base + offset);
    }
  }
  return { members, problems, recordOffsets };
}

type Add = (
  name: string,
  size: number,
  compressedSize: number,
  encrypted: boolean,
  content?: Uint8Array,
) => void;

function readVint(b: Uint8Array, at: number): [value: number, next: number] {
  let value = 0;
  let shift = 0;
  for (let i = at; i < Math.min(b.length, at + 10); i++) {
    const byte = b[i]!;
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (!(byte & 0x80)) return [value, i + 1];
  }
  throw new Error(`bad variable-length number at offset ${at}`);
}

function listRar(b: Uint8Array, add: Add, problems: Problems): void {
  if (startsWithAt(b, ascii("Rar!\x1a\x07\x01\x00"))) return listRar5(b, add, problems);
  let pos = 7;
  while (pos + 7 <= b.length) {
    const type = b[pos + 2]!;
    const flags = u16le(b, pos + 3)!;
    const headSize = u16le(b, pos + 5)!;
    if (headSize < 7) throw new Error("rar: header too small");
    let addSize = flags & 0x8000 ? u32le(b, pos + 7) ?? 0 : 0;
    if (type === 0x73 && flags & 0x0080) {
      problems.push({
        code: "ARCHIVE_ENCRYPTED",
        evidence: "rar: headers are encrypted, names hidden",
      });
      return;
    }
    if (type === 0x74) {
      const packSize = u32le(b, pos + 7) ?? 0;
      const unpSize = u32le(b, pos + 11) ?? 0;
      const nameSize = u16le(b, pos + 26) ?? 0;
      const nameAt = pos + 32 + (flags & 0x100 ? 8 : 0);
      const raw = b.subarray(nameAt, nameAt + nameSize);
      const nul = raw.indexOf(0);
      const name = new TextDecoder().decode(nul >= 0 ? raw.subarray(0, nul) : raw);
      add(name, unpSize, packSize, (flags & 0x04) !== 0);
      addSize = packSize;
    }
    if (type === 0x7b) return;
    pos += headSize + addSize;
  }
}

function listRar5(b: Uint8Array, add: Add, problems: Problems): void {
  let pos = 8;
  while (pos + 5 < b.length) {
    const [size, bodyAt] = readVint(b, pos + 4);
    const end = bodyAt + size;
    let [type, at] = readVint(b, bodyAt);
    let flags: number;
    [flags, at] = readVint(b, at);
    let extraSize = 0;
    let dataSize = 0;
    if (flags & 0x1) [extraSize, at] = readVint(b, at);
    if (flags & 0x2) [dataSize, at] = readVint(b, at);
    if (type === 4) {
      problems.push({
        code: "ARCHIVE_ENCRYPTED",
        evidence: "rar: headers are encrypted, names hidden",
      });
      return;
    }
    if (type === 2) {
      let fileFlags: number;
      let unpacked: number;
      [fileFlags, at] = readVint(b, at);
      [unpacked, at] = readVint(b, at);
      [, at] = readVint(b, at); // attributes
      if (fileFlags & 0x2) at += 4;
      if (fileFlags & 0x4) at += 4;
      [, at] = readVint(b, at); // compression information
      [, at] = readVint(b, at); // host OS
      let nameLength: number;
      [nameLength, at] = readVint(b, at);
      const name = new TextDecoder().decode(b.subarray(at, at + nameLength));
      const extra = b.subarray(end - extraSize, end);
      add(name, unpacked, dataSize, hasRar5EncryptionRecord(extra));
    }
    if (type === 5) return;
    if (end <= pos) throw new Error("rar: header does not advance");
    pos = end + dataSize;
  }
}

function hasRar5EncryptionRecord(extra: Uint8Array): boolean {
  let at = 0;
  while (at < extra.length) {
    const [size, next] = readVint(extra, at);
    const [type] = readVint(extra, next);
    if (type === 1) return true;
    at = next + size;
  }
  return false;
}

function listCab(b: Uint8Array, add: Add): void {
  const filesAt = u32le(b, 16) ?? 0;
  const count = u16le(b, 28) ?? 0;
  let pos = filesAt;
  for (let i = 0; i < count && pos + 16 < b.length; i++) {
    const size = u32le(b, pos)!;
    const nameEnd = b.indexOf(0, pos + 16);
    if (nameEnd < 0) throw new Error("cab: unterminated file name");
    add(new TextDecoder().decode(b.subarray(pos + 16, nameEnd)), size, 0, false);
    pos = nameEnd + 1;
  }
}

function listArj(b: Uint8Array, add: Add): void {
  let pos = 0;
  let first = true;
  while (pos + 4 <= b.length && b[pos] === 0x60 && b[pos + 1] === 0xea) {
    const size = u16le(b, pos + 2)!;
    if (size === 0) return;
    const h = pos + 4;
    const firstSize = b[h]!;
    const flags = b[h + 4]!;
    const compressed = u32le(b, h + 12) ?? 0;
    const original = u32le(b, h + 16) ?? 0;
    const nameAt = h + firstSize;
    const nameEnd = b.indexOf(0, nameAt);
    const name = new TextDecoder("windows-1252").decode(
      b.subarray(nameAt, nameEnd < 0 ? h + size : nameEnd),
    );
    let next = h + size + 4;
    while (next + 2 <= b.length) {
      const extSize = u16le(b, next)!;
      next += 2;
      if (extSize === 0) break;
      next += extSize + 4;
    }
    if (!first) {
      add(name, original, compressed, (flags & 0x01) !== 0);
      next += compressed;
    }
    first = false;
    pos = next;
  }
}

/** What a reader of one archive adds its members and problems to. */
interface Listing {
  readonly options: ReaderOptions;
  readonly add: Add;
  readonly problems: Problems;
  /** The archive in evidence: its kind, and its path when inside another. */
  readonly label: string;
}

function listGzip(b: Uint8Array, listing: Listing): void {
  const { options, add, problems } = listing;
  const flags = b[3] ?? 0;
  let at = 10;
  if (flags & 0x04) at += 2 + (u16le(b, 10) ?? 0);
  let name = "";
  if (flags & 0x08) {
    const end = b.indexOf(0, at);
    name = new TextDecoder("windows-1252").decode(b.subarray(at, end < 0 ? b.length : end));
  }
  // ISIZE: the uncompressed size modulo 2^32, in the last four bytes.
  const declared = u32le(b, b.length - 4) ?? 0;
  if (b.length > 0 && declared / b.length > options.limits.maxCompressionRatio) {
    problems.push({ code: "ARCHIVE_BOMB", evidence: `gz: ${declared} bytes from ${b.length}` });
    add(name || "(gzip content)", declared, b.length, false);
    return;
  }
  let inner: Uint8Array;
  try {
    inner = new Uint8Array(
      zlibModule().gunzipSync(b, { maxOutputLength: Math.max(1, options.budget.remaining) }),
    );
  } catch {
    problems.push({
      code: "ARCHIVE_NOT_LISTED",
      evidence: "gz: content exceeds the expansion budget or is corrupt",
    });
    add(name || "(gzip content)", declared, b.length, false);
    return;
  }
  options.budget.remaining -= inner.length;
  if (isTar(inner)) {
    listTar(inner, listing);
    return;
  }
  add(name || "(gzip content)", inner.length, b.length, false, inner);
}

/**
 * ustar's magic, or a header whose checksum holds at a block boundary (V7 tar has no magic;
 * GNU tar skips blocks that are no header, and the tar reader says so).
 */
function isTar(b: Uint8Array): boolean {
  return startsWithAt(b, ascii("ustar"), 257) || tarHeaderAt(b) !== undefined;
}

/** A tar's files, bytes at hand; where tar readers may read it otherwise, that is said. */
function listTar(b: Uint8Array, { options, add, problems, label }: Listing): void {
  const { files, otherwise } = readTar(b, options.limits.maxArchiveMembers);
  for (const file of files) add(file.name, file.size, file.size, false, file.content);
  if (otherwise) {
    problems.push({
      code: "ARCHIVE_NOT_LISTED",
      evidence: `${label}: ${otherwise}, which other readers may list`,
    });
  }
}

function sevenZipReason(b: Uint8Array): string {
  const offset = Number(new DataView(b.buffer, b.byteOffset, b.byteLength).getBigUint64(12, true));
  const first = b[32 + offset];
  return first === 0x17
    ? "names are in a compressed (or encrypted) header"
    : "header format not read by qmvc; the scanners see the archive";
}
