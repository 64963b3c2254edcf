import { DEFAULT_LIMITS, type Limits, type Message, type Part } from "../message/mod.ts";
import type { ArchiveMember } from "./archive_member.ts";
import { doubleExtension, escapeInvisible, normaliseFilename } from "./filename.ts";
import type { Finding } from "./finding.ts";
import { type LoaderMatch } from "./loader_type.ts";
import { findZipEnd, type Sniff, sniffBytes } from "./loader_signatures.ts";
import { isTarHeader } from "./_tar_header.ts";
import { archiveKind, type ExpansionBudget } from "./_archive_reader.ts";
import { sha256Hex as sha256InJs } from "./_sha256.ts";
import type * as NodeCrypto from "node:crypto";

/** Everything qmvc knows about one leaf part. */
export interface PartAnalysis {
  readonly path: string;
  readonly origin: Part["origin"];
  /** The name a user would see, normalised; "" when the part has none. */
  readonly filename: string;
  /** Every name the part carries (Content-Type name, Content-Disposition filename), normalised. */
  readonly names: readonly string[];
  readonly declaredType: string;
  readonly sniffedType: string;
  readonly loader: LoaderMatch | undefined;
  readonly size: number;
  /** SHA-256 of the content in hex, computed when first read. */
  readonly sha256: string;
  /** True for the message's readable body (inline text without a name). */
  readonly isBody: boolean;
  readonly complete: boolean;
  readonly members: readonly ArchiveMember[];
  /**
   * True only when the bytes are entirely one image, audio or video file: its structure
   * walked to its end marker at the last byte, and no archive or executable signature
   * inside. Only such parts may be left unscanned (`-n`, noscantypes).
   */
  readonly mediaOnly: boolean;
}

/** The analysis of one message: its parts and every finding, defects included. */
export interface Analysis {
  readonly message: Message;
  readonly parts: readonly PartAnalysis[];
  readonly findings: readonly Finding[];
}

/** Analyse every part of a parsed message. Pure: no I/O, no clock. */
export async function analyseMessage(
  message: Message,
  options: { limits?: Limits; collect?: () => void; pause?: () => Promise<void> } = {},
): Promise<Analysis> {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const budget: ExpansionBudget = {
    remaining: limits.maxExpansionBytes,
    archivesOpened: 0,
    streamEndsInflated: 0,
    membersListed: 0,
    ...(options.collect ? { collect: options.collect } : {}),
    ...(options.pause ? { pause: options.pause } : {}),
  };
  const findings: Finding[] = [];
  for (const d of message.defects) {
    findings.push({ code: d.code, part: d.part, evidence: d.evidence });
  }
  const parts: PartAnalysis[] = [];
  for (const part of message.parts) {
    parts.push(await analysePart(part, limits, budget, findings));
  }
  return { message, parts, findings };
}

async function analysePart(
  part: Part,
  limits: Limits,
  budget: ExpansionBudget,
  findings: Finding[],
): Promise<PartAnalysis> {
  // Each name as given once, then each normalised name once; the usual body part has none.
  const raws = new Set<string>();
  const uniqueNames: string[] = [];
  for (const raw of [part.filenameParam, part.nameParam, ...part.hiddenNames]) {
    if (raw === undefined || raw === "" || raws.has(raw)) continue;
    raws.add(raw);
    const n = { raw, ...normaliseFilename(raw) };
    nameFindings(part.path, n, findings);
    if (n.name !== "" && !uniqueNames.includes(n.name)) uniqueNames.push(n.name);
  }
  if (uniqueNames.length > 1) {
    findings.push({
      code: "FILENAME_CONFLICT",
      part: part.path,
      evidence: uniqueNames.join(" | "),
    });
  }
  const sniff = sniffBytes(part.content);
  const isBody = part.origin === "mime" && uniqueNames.length === 0 &&
    part.disposition !== "attachment" &&
    (part.declaredType === "text/plain" || part.declaredType === "text/html");
  const loader = isBody ? bodyLoader(sniff) : sniff.loader;
  if (sniff.signature === ENCRYPTED_DOCUMENT) {
    findings.push({
      code: "DOCUMENT_ENCRYPTED",
      part: part.path,
      evidence: uniqueNames[0] ?? part.declaredType,
    });
  }
  // What to list, and whether the part may be media, are told before the calls: most
  // parts are neither, and a function never called is never linked by the runtime.
  const archive = archiveToList(part, sniff);
  const members = archive === undefined
    ? []
    : await listMembers(part, archive, limits, budget, findings);
  const mediaOnly = MEDIA_SIGNATURES.has(sniff.signature) &&
    await isMediaOnly(part, sniff, findings);
  const content = part.content;
  // Hashed when the hash is first read: only an incident record and `check --json` read
  // it, and hashing every part cost a clean delivery of a 300-byte text about 1 M
  // instructions (in the interpreter), of a 4 KiB one 5 M (node:crypto loaded for it).
  let sha256: string | undefined;
  return {
    path: part.path,
    origin: part.origin,
    filename: uniqueNames[0] ?? "",
    names: uniqueNames,
    declaredType: part.declaredType,
    sniffedType: sniff.mime,
    loader: refineByMembers(loader ?? prefixedZip(members), members),
    size: part.content.length,
    get sha256(): string {
      return sha256 ??= sha256Hex(content);
    },
    isBody,
    complete: part.complete,
    members,
    mediaOnly,
  };
}

/**
 * SHA-256 in hex. A part under HASH_IN_JS_BYTES is hashed in JavaScript (`_sha256.ts`):
 * the first `crypto.subtle.digest` of a process costs about 12 M instructions and two
 * threads, and loading node:crypto about 0.4 ms of CPU. Run-once JavaScript stays in the
 * interpreter (about 0.3 ms per KiB), so from that size on node:crypto is cheaper; it
 * also hashes in place, where WebCrypto's digest would copy the part. A getter cannot
 * await an import, so node:crypto comes from `process.getBuiltinModule`, which Deno and
 * Bun both have (hashing touches nothing outside the process).
 */
function sha256Hex(bytes: Uint8Array): string {
  if (bytes.length < HASH_IN_JS_BYTES) return sha256InJs(bytes);
  const crypto = (globalThis as {
    process?: { getBuiltinModule?: (id: string) => unknown };
  }).process?.getBuiltinModule?.("node:crypto") as typeof NodeCrypto | undefined;
  if (!crypto) return sha256InJs(bytes);
  return crypto.createHash("sha256").update(bytes).digest("hex");
}

/** Parts below this size are hashed in JavaScript (measured crossover with node:crypto). */
const HASH_IN_JS_BYTES = 1024;

/** Sniff signatures of the image, audio and video formats whose end qmvc can find. */
const MEDIA_SIGNATURES = new Set(["png", "jpeg", "gif", "bmp", "webp", "wav", "mp4", "ogg"]);

/**
 * Whether the part is nothing but one media file. Bytes after the format's own end, or
 * an archive or executable signature inside, are a TRAILING_DATA finding: a picture that
 * carries something else is scanned like any other part.
 */
async function isMediaOnly(part: Part, sniff: Sniff, findings: Finding[]): Promise<boolean> {
  // The format readers load only for media: most parts are text.
  const { embeddedSignature, mediaExtent } = await import("./_media_extent.ts");
  const bytes = part.content;
  const end = mediaExtent(bytes, sniff.signature);
  if (end === undefined) {
    findings.push({
      code: "TRAILING_DATA",
      part: part.path,
      evidence: `${sniff.mime}: structure does not reach an end marker`,
    });
    return false;
  }
  const embedded = embeddedSignature(bytes);
  if (end < bytes.length || embedded) {
    const after = end < bytes.length ? `${bytes.length - end} bytes after the end at ${end}` : "";
    const inside = embedded ? `${embedded.name} signature at ${embedded.offset}` : "";
    findings.push({
      code: "TRAILING_DATA",
      part: part.path,
      evidence: `${sniff.mime}: ${[after, inside].filter((x) => x).join(", ")}`,
    });
    return false;
  }
  return true;
}

/**
 * A message body is read by a mail client, not run: only markers that cannot occur by
 * accident in prose (an executable header, a shebang as the very first bytes) count.
 * Windows-script heuristics apply to attachments, where a user would double-click.
 */
function bodyLoader(sniff: Sniff): LoaderMatch | undefined {
  return sniff.loader?.type === "script-win" ? undefined : sniff.loader;
}

function nameFindings(
  path: string,
  n: ReturnType<typeof normaliseFilename> & { raw: string },
  findings: Finding[],
): void {
  const evidence = escapeInvisible(n.raw);
  if (n.hadBidiControls) findings.push({ code: "FILENAME_BIDI_CONTROL", part: path, evidence });
  if (n.hadNul) findings.push({ code: "FILENAME_NUL", part: path, evidence });
  if (n.hadControls) findings.push({ code: "FILENAME_CONTROL_CHARS", part: path, evidence });
  if (n.hadTrailingDotsOrSpaces) {
    findings.push({ code: "FILENAME_TRAILING_DOTS", part: path, evidence });
  }
  if (n.hadPath) findings.push({ code: "FILENAME_PATH", part: path, evidence });
  const double = doubleExtension(n.name);
  if (double) findings.push({ code: "FILENAME_DOUBLE_EXTENSION", part: path, evidence: n.name });
}

/** The sniff signature of a password-protected Office document (loader_signatures.ts). */
const ENCRYPTED_DOCUMENT = "ole-encrypted";

/** A member path that climbs out of the extraction directory or starts at a root (zip slip). */
const UNSAFE_MEMBER_PATH = /(?:^|[/\\])\.\.(?:[/\\]|$)|^[/\\]|^[a-z]:/i;

/**
 * The kind of archive to list the part as, or undefined. The walk reads it every way
 * readers may (a zip at its tail, a tar at its head) whatever the kind.
 */
function archiveToList(part: Part, sniff: Sniff): string | undefined {
  // A tar header at the start makes it a tar to tar readers, whatever else it is (a PE).
  const kind = archiveKind(sniff) ?? (isTarHeader(part.content, 0) ? "tar" : undefined);
  if (kind) return kind;
  // TNEF is opened by the message stage; another claimed type is no archive qmvc walks.
  if (sniff.loader?.type === "archive" || sniff.loader?.type === "disk-image") return undefined;
  // A zip may also hide behind a prefix (self-extractors, image+zip polyglots): its
  // end-of-central-directory record at the tail gives it away.
  return findZipEnd(part.content) > 0 ? "zip" : undefined;
}

async function listMembers(
  part: Part,
  archive: string,
  limits: Limits,
  budget: ExpansionBudget,
  findings: Finding[],
): Promise<readonly ArchiveMember[]> {
  // The archive readers load only for an archive: most parts are none.
  const { walkArchive } = await import("./_archive_walk.ts");
  const listing = await walkArchive(archive, part.content, { limits, budget });
  for (const problem of listing.problems) {
    findings.push({ code: problem.code, part: part.path, evidence: problem.evidence });
  }
  for (const member of listing.members) {
    const double = doubleExtension(member.name);
    if (double) {
      findings.push({ code: "FILENAME_DOUBLE_EXTENSION", part: part.path, evidence: member.path });
    }
    if (UNSAFE_MEMBER_PATH.test(member.path)) {
      findings.push({ code: "FILENAME_PATH", part: part.path, evidence: member.path });
    }
    if (member.sniff?.signature === ENCRYPTED_DOCUMENT) {
      findings.push({ code: "DOCUMENT_ENCRYPTED", part: part.path, evidence: member.path });
    }
  }
  return listing.members;
}

/** A zip found behind other bytes (self-extractor, image+zip polyglot) is still an archive. */
function prefixedZip(members: readonly ArchiveMember[]): LoaderMatch | undefined {
  return members.length
    ? { type: "archive", detail: "zip (prefixed)", mime: "application/zip" }
    : undefined;
}

/** Zip containers that are really Java archives or macro-enabled Office documents. */
function refineByMembers(
  loader: LoaderMatch | undefined,
  members: readonly ArchiveMember[],
): LoaderMatch | undefined {
  if (loader?.detail !== "zip" || members.length === 0) return loader;
  const topLevel = members.filter((m) => m.depth === 1).map((m) => m.path.toLowerCase());
  const vba = topLevel.find((p) => p.endsWith("vbaproject.bin") || /^xl\/macrosheets\//.test(p));
  if (vba) {
    return { type: "ooxml-macro", detail: vba, mime: "application/vnd.ms-office.macroenabled" };
  }
  if (topLevel.includes("meta-inf/manifest.mf") || topLevel.some((p) => p.endsWith(".class"))) {
    return { type: "jar", detail: "java-archive", mime: "application/java-archive" };
  }
  return loader;
}
