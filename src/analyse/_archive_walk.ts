import type { Limits } from "../message/mod.ts";
import type { ArchiveListing } from "./archive_member.ts";
import { startsWithAt } from "./_bytes.ts";
import { listArchiveNames } from "./_archive_names.ts";
import {
  archiveKind,
  type ExpansionBudget,
  membersSpent,
  type ReaderOptions,
} from "./_archive_reader.ts";
import { SEVENZIP_KINDS, walkWithSevenZip } from "./_sevenzip.ts";
import { walkZip } from "./_zip_walk.ts";
import { findZipEndRecord, sniffFormat } from "./loader_signatures.ts";
import { isTarHeader } from "./_tar_header.ts";
import { readTar } from "./_tar.ts";

/**
 * List an archive of any walked kind and every archive inside it, down to
 * `limits.maxArchiveDepth`: one walk, one expansion budget shared by the whole message,
 * one reader per format (zip.js lists a zip, whose stored and deflated members qmvc reads
 * itself where their headers agree; qmvc's own readers for tar, gzip and the headers of
 * RAR, CAB and ARJ; 7-Zip for 7z, RAR, CAB, ARJ, bzip2 and xz, falling back
 * to the header readers when 7-Zip cannot list). Never throws on archive content.
 */
export async function walkArchive(
  kind: string,
  bytes: Uint8Array,
  options: { limits: Limits; budget: ExpansionBudget; depth?: number; prefix?: string },
): Promise<ArchiveListing> {
  // archive-members holds for the message's archives together: one whose members are listed
  // already is not opened at all. Entries of a few kilobytes that all point at one inner
  // zip of 10,000 members otherwise had it listed again for each of them: seconds of work.
  const { budget } = options;
  const spent = membersSpent(options.prefix ?? "", options);
  if (spent) return { members: [], problems: [spent] };
  await budget.pause?.();
  const before = budget.membersListed;
  const listings: ArchiveListing[] = [];
  for (const reading of readingsOf(kind, bytes)) {
    listings.push(await walkOne(reading, bytes, options));
  }
  const listing: ArchiveListing = listings.length === 1 ? listings[0]! : {
    members: listings.flatMap((l) => l.members),
    problems: listings.flatMap((l) => l.problems),
    recordOffsets: listings.flatMap((l) => l.recordOffsets ?? []),
  };
  // The listing holds its nested archives' members, which their own walks counted.
  budget.membersListed = before + listing.members.length;
  return listing;
}

/**
 * Every way readers open these bytes: as `kind`, and as a zip too where a zip's first
 * record or end record is there (zip readers open a file by its end record, whatever comes
 * before), and as a tar too where the first block is a tar header. A polyglot shows each
 * reader its own members: all of them are inspected.
 */
function readingsOf(kind: string, bytes: Uint8Array): string[] {
  const readings = [kind];
  // A tar header at the start won over another format's signature (a gzip whose header
  // field holds a tar header): readers that go by that signature open it as that.
  const behind = kind === "tar" ? archiveKind(sniffFormat(bytes)) : undefined;
  if (behind && behind !== "tar" && behind !== "zip") readings.push(behind);
  if (kind !== "zip" && (startsWithAt(bytes, ZIP_RECORD) || zipEndOutsideMembers(kind, bytes))) {
    readings.push("zip");
  }
  if (kind !== "tar" && isTarHeader(bytes, 0)) readings.push("tar");
  return readings;
}

const ZIP_RECORD = [0x50, 0x4b, 3, 4] as const;

/**
 * True when a zip end record stands at the tail, other than that of a zip that is one of
 * a tar's files from its first byte (walked as its member, to the same members).
 */
function zipEndOutsideMembers(kind: string, bytes: Uint8Array): boolean {
  const end = findZipEndRecord(bytes);
  if (end <= 0) return false;
  if (kind !== "tar") return true;
  const holder = readTar(bytes, Number.MAX_SAFE_INTEGER).files.find((file) => {
    const start = file.content.byteOffset - bytes.byteOffset;
    return start <= end && end < start + file.content.length;
  });
  if (!holder || !startsWithAt(holder.content, ZIP_RECORD)) return true;
  // The zip's own end record: its directory, counted from the file's start, right before
  // it; and the offset it gives, counted from the tar's start as 7-Zip counts it, no other
  // directory record.
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const start = holder.content.byteOffset - bytes.byteOffset;
  const directory = view.getUint32(end + 16, true);
  const own = end - view.getUint32(end + 12, true);
  const elsewhere = directory !== own && directory + 4 <= bytes.length &&
    view.getUint32(directory, true) === 0x02014b50;
  return start + directory !== own || elsewhere;
}

async function walkOne(
  kind: string,
  bytes: Uint8Array,
  options: { limits: Limits; budget: ExpansionBudget; depth?: number; prefix?: string },
): Promise<ArchiveListing> {
  const reader: ReaderOptions = {
    limits: options.limits,
    budget: options.budget,
    depth: options.depth ?? 1,
    prefix: options.prefix ?? "",
    nested: (k, b, at) => walkArchive(k, b, { ...options, depth: at.depth, prefix: at.prefix }),
  };
  if (kind === "zip") return await walkZip(bytes, reader);
  if (SEVENZIP_KINDS.has(kind)) {
    const listing = await walkWithSevenZip(kind, bytes, reader);
    if (listing) return listing;
  }
  return await listArchiveNames(kind, bytes, reader);
}
