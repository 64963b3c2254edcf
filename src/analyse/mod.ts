/**
 * The analyse stage: a parsed `Message` in, every part's names, declared and sniffed
 * types, loader type and archive listing out, with findings and their evidence.
 * Pure: no I/O, no clock.
 *
 * @example
 * ```ts
 * import { detectLoaderType } from "./mod.ts";
 * const elf = new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0]);
 * if (detectLoaderType(elf)?.type !== "elf") throw new Error("ELF not detected");
 * ```
 * @module
 */
export { analyseMessage } from "./analyse.ts";
export type { Analysis, PartAnalysis } from "./analyse.ts";
export type { ArchiveMember } from "./archive_member.ts";
export { ANALYSIS_CODES } from "./finding.ts";
export type { AnalysisCode, Finding, FindingCode } from "./finding.ts";
export { isLoaderType, LOADER_TYPES } from "./loader_type.ts";
export type { LoaderMatch, LoaderType } from "./loader_type.ts";
export { loaderSignatures, sniffBytes } from "./loader_signatures.ts";
export type { LoaderSignature, Sniff } from "./loader_signatures.ts";
export { detectLoaderType } from "./detect_loader_type.ts";
export { doubleExtension, escapeInvisible, normaliseFilename } from "./filename.ts";
export { readZipMembers } from "./zip_members.ts";
export type { ZipMember } from "./zip_members.ts";
