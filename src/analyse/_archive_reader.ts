import type { Limits } from "../message/mod.ts";
import type { ArchiveListing } from "./archive_member.ts";
import { findZipEndRecord, type Sniff } from "./loader_signatures.ts";
import { isTarHeader } from "./_tar_header.ts";

/** The inflation budget shared by every archive of one message. */
export interface ExpansionBudget {
  /** Bytes that may still be unpacked. */
  remaining: number;
  /** Archives already handed to 7-Zip (each costs a WebAssembly instance). */
  archivesOpened: number;
  /** Members listed so far, in every archive of the message (limits: archive-members). */
  membersListed: number;
  /**
   * Bytes inflated, and dropped, only to find where zip members' deflate streams end, as
   * the streaming readers do (_zip_streaming.ts): bounded by four times `expansion` apart
   * from `remaining`, which counts what is kept, so a zip inside is not charged twice.
   */
  streamEndsInflated: number;
  /**
   * The edge's garbage collection, run before each 7-Zip instance: the memory of the one
   * before is given back only when collected.
   */
  readonly collect?: () => void;
  /**
   * A turn of the event loop, lent by the edge: awaited as a long walk goes, so the
   * delivery's deadline and a SIGTERM are heard in the middle of it, not only after it.
   */
  readonly pause?: () => Promise<void>;
}

/**
 * Unpacked bytes between two collections: a sniffed head is garbage as soon as it is
 * sniffed, and the collector let the expansion budget's 64 MB of them pile up (a zip of
 * 12,000 entries pointing at one inner zip: 108 MB at the peak).
 */
const COLLECT_EVERY_BYTES = 16 * 1024 * 1024;

/** Count unpacked bytes against the budget; each 16 MiB, collect what they left behind. */
export function spendExpansion(budget: ExpansionBudget, bytes: number): void {
  const before = Math.floor(budget.remaining / COLLECT_EVERY_BYTES);
  budget.remaining -= bytes;
  if (Math.floor(budget.remaining / COLLECT_EVERY_BYTES) !== before) budget.collect?.();
}

/**
 * ARCHIVE_TOO_MANY_MEMBERS for an archive not opened (`where`: its member prefix) because the
 * message's archives have listed archive-members already; undefined while there is room.
 */
export function membersSpent(
  where: string,
  options: { readonly limits: Limits; readonly budget: ExpansionBudget },
): { code: "ARCHIVE_TOO_MANY_MEMBERS"; evidence: string } | undefined {
  const limit = options.limits.maxArchiveMembers;
  if (options.budget.membersListed < limit) return undefined;
  return {
    code: "ARCHIVE_TOO_MANY_MEMBERS",
    evidence: `${where || "archive"}: not opened, ${limit} members of the message's archives ` +
      "are listed already",
  };
}

/** Archive kinds (sniffed loader details) whose members qmvc lists. */
export const WALKED_KINDS: ReadonlySet<string> = new Set([
  "zip",
  "rar",
  "cab",
  "arj",
  "gz",
  "tar",
  "7z",
  "bz2",
  "xz",
  // Disk images that 7-Zip reads: their files are members like an archive's.
  "iso9660",
  "udf",
]);

/** Where a nested archive sits: its depth and the path prefix of its members. */
export interface NestedAt {
  readonly depth: number;
  readonly prefix: string;
}

/** Opens an archive found inside another, under the same limits and budget. */
export type OpenNested = (kind: string, bytes: Uint8Array, at: NestedAt) => Promise<ArchiveListing>;

/** What every reader is given: the limits, the one budget of the message, and the way in. */
export interface ReaderOptions {
  readonly limits: Limits;
  readonly budget: ExpansionBudget;
  readonly depth: number;
  readonly prefix: string;
  readonly nested: OpenNested;
}

/**
 * The kind to open a member as: what its sniff names, else a tar where its first block is a
 * tar header (the sniff may have found a script's or a program's first bytes in a member's
 * name), else a zip where a zip end record stands at the tail of a member read whole (a
 * text, then a zip, which zip readers open by that record).
 */
export function innerArchiveKind(
  sniff: Sniff | undefined,
  bytes: Uint8Array,
  whole: boolean,
): string | undefined {
  return archiveKind(sniff) ?? (isTarHeader(bytes, 0) ? "tar" : undefined) ??
    (whole && findZipEndRecord(bytes) > 0 ? "zip" : undefined);
}

/**
 * Names zip readers open by their extension: Office, OpenDocument, Java and e-book files
 * are zips too. A member so named that is longer than its sniffed head is read whole, to
 * find a zip behind other bytes.
 */
export const ZIP_NAMED =
  /\.(?:zip|jar|war|ear|apk|xpi|docx|docm|dotx|dotm|xlsx|xlsm|xltx|xltm|pptx|pptm|potx|potm|odt|ods|odp|odg|epub)$/i;

/** The archive kind a sniff names (archives, and ISO 9660 / UDF images), when qmvc can walk it. */
export function archiveKind(sniff: Sniff | undefined): string | undefined {
  const loader = sniff?.loader;
  const walkable = loader?.type === "archive" || loader?.type === "disk-image";
  return loader && walkable && WALKED_KINDS.has(loader.detail) ? loader.detail : undefined;
}
