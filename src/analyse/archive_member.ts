import type { Sniff } from "./loader_signatures.ts";

/** One file inside an archive, as listed (and, where the budget allows, sniffed). */
export interface ArchiveMember {
  /** Path inside the outermost archive, nested archives joined with "/": "a.zip/bin/x.exe". */
  readonly path: string;
  /** The member's own name, normalised like an attachment file name. */
  readonly name: string;
  readonly size: number;
  readonly compressedSize: number;
  readonly encrypted: boolean;
  /** How deep this member sits: 1 for a member of the attached archive. */
  readonly depth: number;
  /** What the member's bytes are, when they were read. */
  readonly sniff: Sniff | undefined;
}

/** What listing an archive found besides its members. */
export type ArchiveProblem =
  | "ARCHIVE_ENCRYPTED"
  | "ARCHIVE_BOMB"
  | "ARCHIVE_TOO_DEEP"
  | "ARCHIVE_TOO_MANY_MEMBERS"
  | "ARCHIVE_INVALID"
  | "ARCHIVE_NOT_LISTED"
  | "ARCHIVE_CONTENT_NOT_READ";

export interface ArchiveListing {
  readonly members: readonly ArchiveMember[];
  readonly problems: readonly { readonly code: ArchiveProblem; readonly evidence: string }[];
  /**
   * Where the local records of the zips walked start, in this archive's own bytes: a
   * zip's listed members', and those of zips inside whose bytes stand here as they are
   * (stored in a zip, a tar's files).
   */
  readonly recordOffsets?: readonly number[];
}
