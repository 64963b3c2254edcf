import type { DefectCode } from "../message/mod.ts";
import type { ArchiveProblem } from "./archive_member.ts";

/** Findings about names and contents that the analyse stage adds to the message's defects. */
export const ANALYSIS_CODES = [
  "FILENAME_DOUBLE_EXTENSION",
  "FILENAME_BIDI_CONTROL",
  "FILENAME_NUL",
  "FILENAME_CONTROL_CHARS",
  "FILENAME_TRAILING_DOTS",
  "FILENAME_PATH",
  "FILENAME_CONFLICT",
  "ARCHIVE_ENCRYPTED",
  "ARCHIVE_BOMB",
  "ARCHIVE_TOO_DEEP",
  "ARCHIVE_TOO_MANY_MEMBERS",
  "ARCHIVE_INVALID",
  "ARCHIVE_NOT_LISTED",
  "ARCHIVE_CONTENT_NOT_READ",
  "DOCUMENT_ENCRYPTED",
  "TRAILING_DATA",
] as const satisfies readonly (string | ArchiveProblem)[];

export type AnalysisCode = typeof ANALYSIS_CODES[number];

/** Every finding code: structural defects of the message and analysis findings. */
export type FindingCode = DefectCode | AnalysisCode;

/** A fact about the message, with where it was seen and the evidence. Never what to do. */
export interface Finding {
  readonly code: FindingCode;
  /** Part path ("2.1"); "0" is the message as a whole. */
  readonly part: string;
  readonly evidence: string;
}
