import type { Limits } from "../message/mod.ts";
import type { ArchiveListing } from "./archive_member.ts";
import type { Sniff } from "./loader_signatures.ts";
import { listArchiveNames } from "./_archive_names.ts";
import { type ExpansionBudget, walkZip } from "./_zip_walk.ts";

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

/** The archive kind a sniff names, when qmvc can walk it. */
export function archiveKind(sniff: Sniff | undefined): string | undefined {
  const loader = sniff?.loader;
  return loader?.type === "archive" && WALKED_KINDS.has(loader.detail) ? loader.detail : undefined;
}

/**
 * List an archive of any walked kind and every archive inside it, down to
 * `limits.maxArchiveDepth`: one walk, one expansion budget shared by the whole message,
 * one reader per format. Never throws on archive content.
 */
export function walkArchive(
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
  return kind === "zip" ? walkZip(bytes, reader) : listArchiveNames(kind, bytes, reader);
}
