import type { Limits } from "../message/mod.ts";
import type { ArchiveListing } from "./archive_member.ts";
import { listArchiveNames } from "./_archive_names.ts";
import { type ExpansionBudget, membersSpent, type ReaderOptions } from "./_archive_reader.ts";
import { SEVENZIP_KINDS, walkWithSevenZip } from "./_sevenzip.ts";
import { walkZip } from "./_zip_walk.ts";

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
  const listing = await walkOne(kind, bytes, options);
  // The listing holds its nested archives' members, which their own walks counted.
  budget.membersListed = before + listing.members.length;
  return listing;
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
