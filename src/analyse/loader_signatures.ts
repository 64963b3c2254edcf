import { ascii, headText, startsWithAt, u16le, u32be, u32le } from "./_bytes.ts";
import { isTarHeader, tarHeaderAt } from "./_tar_header.ts";
import { readCfbDirectory } from "./_cfb.ts";
import { sniffWindowsScript } from "./_windows_script.ts";
import { readOle1Object, readPackagedFile } from "./_ole_package.ts";
import type { LoaderMatch, LoaderType } from "./loader_type.ts";
import { zlibModule } from "./_zlib.ts";

/** What the bytes are: a MIME type always, a loader type when something would run them. */
export interface Sniff {
  /** The table row (or trailer, volume, plain-type or text check) that decided. */
  readonly row: string;
  /** What the bytes were found to be: the row's id or the variant its verifier chose. */
  readonly signature: string;
  readonly mime: string;
  readonly loader: LoaderMatch | undefined;
}

/**
 * One row of the detection table. `magic` at `offset` selects the row; `verify`, where
 * present, does the few checks that need code and may reject the row.
 */
export interface LoaderSignature {
  readonly id: string;
  readonly magic: readonly number[];
  readonly offset: number;
  readonly mime: string;
  readonly loader?: LoaderType;
  readonly detail?: string;
  readonly verify?: (bytes: Uint8Array) => Sniff | undefined;
}

function match(id: string, mime: string, loader?: LoaderType, detail = ""): Sniff {
  return {
    row: id,
    signature: id,
    mime,
    loader: loader ? { type: loader, detail, mime } : undefined,
  };
}

const MSI_CLSID = "000c1084-0000-0000-c000-000000000046";
const VBA_STREAMS = new Set([
  "_vba_project",
  "_vba_project_cur",
  "vba",
  "macros",
  "vbaproject.bin",
]);

function verifyMz(b: Uint8Array): Sniff {
  const peOffset = u32le(b, 0x3c);
  // e_lfanew may point inside the DOS header (tiny PEs overlap the two): any offset
  // past "MZ" with "PE\0\0" there is a PE.
  if (peOffset !== undefined && peOffset >= 2 && startsWithAt(b, ascii("PE\0\0"), peOffset)) {
    const characteristics = u16le(b, peOffset + 22) ?? 0;
    const optional = peOffset + 24;
    const magic = u16le(b, optional);
    const subsystem = u16le(b, optional + 68) ?? 0;
    // Data directory 14 (CLR runtime header) marks a .NET assembly.
    const clrDirectory = magic === 0x20b ? optional + 112 + 14 * 8 : optional + 96 + 14 * 8;
    const isDotNet = (u32le(b, clrDirectory) ?? 0) !== 0;
    const detail = subsystem >= 10 && subsystem <= 13
      ? "efi"
      : isDotNet
      ? "dotnet"
      : characteristics & 0x2000
      ? "dll"
      : "exe";
    return match("pe", "application/vnd.microsoft.portable-executable", "pe", detail);
  }
  return match("msdos", "application/x-dosexec", "msdos", "mz");
}

function verifyElf(b: Uint8Array): Sniff {
  const little = b[5] !== 2;
  const type = little ? u16le(b, 16) : ((b[16] ?? 0) << 8) | (b[17] ?? 0);
  let detail = "elf";
  if (type === 1) detail = "relocatable";
  else if (type === 2) detail = "exe";
  else if (type === 3) detail = hasInterpreter(b, little) ? "pie" : "so";
  else if (type === 4) detail = "core";
  return match("elf", "application/x-elf", "elf", detail);
}

/** A dynamic ELF with a PT_INTERP program header is a PIE executable, not a library. */
function hasInterpreter(b: Uint8Array, little: boolean): boolean {
  const is64 = b[4] === 2;
  const read32 = (at: number): number => (little ? u32le(b, at) : u32be(b, at)) ?? 0;
  const read16 = (
    at: number,
  ): number => (little ? u16le(b, at) ?? 0 : ((b[at] ?? 0) << 8) | (b[at + 1] ?? 0));
  const phoff = is64 ? read32(little ? 32 : 36) : read32(28);
  const phentsize = read16(is64 ? 54 : 42);
  const phnum = Math.min(read16(is64 ? 56 : 44), 256);
  for (let i = 0; i < phnum; i++) {
    if (read32(phoff + i * phentsize) === 3) return true;
  }
  return false;
}

/** 0xCAFEBABE starts both Mach-O fat binaries and Java classes: the next word tells them apart. */
function verifyCafebabe(b: Uint8Array): Sniff {
  const next = u32be(b, 4) ?? 0;
  // Fat binaries count their architectures (a handful); class files carry their version (major >= 45).
  if (next > 0 && next < 45) return match("macho-fat", "application/x-mach-binary", "macho", "fat");
  return match("java-class", "application/java-vm", "java-class", `class v${next & 0xffff}`);
}

function verifyOle(b: Uint8Array): Sniff {
  const directory = readCfbDirectory(b);
  if (!directory) return match("ole", "application/x-ole-storage");
  // An Office document saved with a password is a compound file holding only these two
  // streams ([MS-OFFCRYPTO] 2.3.4): nothing inside can be read without the password.
  const lowerNames = new Set(directory.names.map((n) => n.toLowerCase()));
  if (lowerNames.has("encryptioninfo") || lowerNames.has("encryptedpackage")) {
    return match("ole-encrypted", "application/x-ole-storage");
  }
  // Word 97-2003 with a password: FIB magic 0xA5EC and fEncrypted (bit 8 of the flags at
  // 0x0A); PowerPoint 97-2003: an EncryptedSummary stream.
  const fib = directory.readStream("WordDocument", 64);
  if (fib && u16le(fib, 0) === 0xa5ec && ((u16le(fib, 0x0a) ?? 0) & 0x0100) !== 0) {
    return match("ole-encrypted", "application/msword");
  }
  if (lowerNames.has("encryptedsummary")) {
    return match("ole-encrypted", "application/vnd.ms-powerpoint");
  }
  if (directory.rootClsid === MSI_CLSID) {
    return match("msi", "application/x-msi", "msi", "installer");
  }
  const macro = directory.names.find((n) => VBA_STREAMS.has(n.toLowerCase()));
  if (macro) return match("ole-macro", "application/x-ole-storage", "ole-macro", macro);
  const presentation = directory.readStream("PowerPoint Document", MAX_PRESENTATION_SCAN);
  if (presentation && hasVbaInfo(presentation)) {
    return match(
      "ole-macro",
      "application/vnd.ms-powerpoint",
      "ole-macro",
      "PowerPoint VBA project",
    );
  }
  const workbook = directory.readStream("Workbook", MAX_WORKBOOK_SCAN) ??
    directory.readStream("Book", MAX_WORKBOOK_SCAN);
  const globals = workbook ? readWorkbookGlobals(workbook) : undefined;
  if (globals?.encrypted) return match("ole-encrypted", "application/vnd.ms-excel");
  if (globals?.macroSheet) {
    return match("ole-macro", "application/vnd.ms-excel", "ole-macro", "Excel 4.0 macro sheet");
  }
  const packaged = packagedLoader(directory.readStreams("\x01Ole10Native", MAX_PACKAGE_BYTES, 20));
  if (packaged) return { ...packaged, row: "ole", signature: "ole-package" };
  return match("ole", "application/x-ole-storage");
}

/** Bytes of one embedded Package object read to sniff what it carries. */
const MAX_PACKAGE_BYTES = 16 * 1024 * 1024;

/**
 * A file embedded with the Packager (`\x01Ole10Native` streams after their 4-byte size):
 * when it is something that runs, the document carries that loader type, named for the
 * file inside, so `badloadertypes` judges the payload rather than the wrapper.
 */
function packagedLoader(streams: readonly Uint8Array[]): Sniff | undefined {
  for (const stream of streams) {
    const file = readPackagedFile(stream.subarray(4));
    const inner = file ? sniffBytes(file.data) : undefined;
    if (file && inner?.loader) {
      return {
        row: "ole",
        signature: "ole-package",
        mime: "application/x-ole-storage",
        loader: {
          type: inner.loader.type,
          detail: `${inner.loader.detail}, packaged "${file.name}"`,
          mime: inner.loader.mime,
        },
      };
    }
  }
  return undefined;
}

/** How much of a PowerPoint 97-2003 document stream is walked for its VBA record. */
const MAX_PRESENTATION_SCAN = 16 * 1024 * 1024;

/**
 * PowerPoint 97-2003 keeps its VBA project in a compressed storage of the
 * "PowerPoint Document" stream, announced by a VBAInfoContainer (record type 0x03FF) in
 * the DocumentContainer ([MS-PPT] 2.4.9). Records are an 8-byte header (version and
 * instance, type, length); containers (version 0xF) are entered, atoms skipped, so each
 * header is read once.
 */
function hasVbaInfo(stream: Uint8Array): boolean {
  for (let at = 0, records = 0; at + 8 <= stream.length && records < 1_000_000; records++) {
    const version = stream[at]! & 0x0f;
    const type = u16le(stream, at + 2)!;
    const length = u32le(stream, at + 4)!;
    if (type === 0x03ff) return true;
    at += version === 0x0f ? 8 : 8 + length;
  }
  return false;
}

/** How much of an Excel workbook stream is read for its sheet list (the list comes first). */
const MAX_WORKBOOK_SCAN = 1024 * 1024;

/**
 * The workbook globals at the start of an Excel stream, which end with EOF (0x000A).
 * BIFF records are type (2), length (2), data. Excel 4.0 (XLM) macros live on macro
 * sheets: a BOUNDSHEET record (0x0085) whose sheet type byte is 0x01. FILEPASS (0x002F)
 * means the workbook is encrypted.
 */
function readWorkbookGlobals(stream: Uint8Array): { macroSheet: boolean; encrypted: boolean } {
  let at = 0;
  let macroSheet = false;
  for (let records = 0; at + 4 <= stream.length && records < 100_000; records++) {
    const type = u16le(stream, at)!;
    const length = u16le(stream, at + 2)!;
    // FILEPASS: the workbook is encrypted from here on (RC4 or XOR obfuscation).
    if (type === 0x002f) return { macroSheet, encrypted: true };
    if (type === 0x0085 && length >= 6 && stream[at + 4 + 5] === 0x01) macroSheet = true;
    if (type === 0x000a) break;
    at += 4 + length;
  }
  return { macroSheet, encrypted: false };
}

const PDF_ACTIONS = /\/(JavaScript|JS|Launch|EmbeddedFile|RichMedia)\b/;

/**
 * A PDF, and whether it may run script: a JavaScript, Launch, embedded-file or rich-media
 * name in its text or in one of its object streams (the only streams that hold objects,
 * and so actions). An object stream that cannot be searched (a filter other than
 * FlateDecode alone, an encrypted file, a stream that does not inflate, more streams or
 * bytes than the search reads) may hold one: that is pdf-js too (fail closed).
 */
function verifyPdf(b: Uint8Array): Sniff {
  const raw = headText(b, b.length);
  const text = unescapePdfNames(raw);
  const action = PDF_ACTIONS.exec(text)?.[1] ??
    pdfActionInObjectStreams(b, raw, /\/Encrypt\b/.test(text));
  if (action) return match("pdf-js", "application/pdf", "pdf-js", action);
  return match("pdf", "application/pdf");
}

/** PDF text with its names' #xx escapes (/J#61vaScript) undone. */
function unescapePdfNames(text: string): string {
  return text.replace(/#([0-9a-f]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

/** Object streams inflated per PDF, and bytes inflated in all: a PDF of 10 000 of them is an attack. */
const MAX_PDF_OBJECT_STREAMS = 1000;
const MAX_PDF_INFLATED = 16 * 1024 * 1024;

/**
 * The action named in an object stream (PDF 1.5), or why one could be. A stream is an
 * object stream when its dictionary is written between the previous stream keyword and its
 * own, wherever it begins (a string in it may hold "obj"). Its data is inflated from its
 * start to wherever the deflate stream ends, not to the first "endstream", which
 * compressed bytes may hold.
 */
function pdfActionInObjectStreams(
  b: Uint8Array,
  raw: string,
  encrypted: boolean,
): string | undefined {
  let budget = MAX_PDF_INFLATED;
  let count = 0;
  // Searched with indexOf from a cursor that only moves forward: a lazy regular
  // expression rescans the rest of the file from every keyword no stream follows, in
  // quadratic time.
  let cursor = 0;
  for (;;) {
    const stream = nextStreamKeyword(raw, cursor);
    if (!stream) return undefined;
    const before = unescapePdfNames(raw.slice(cursor, stream.keyword));
    // Read on from the stream's data, not from its "endstream": a "stream" in a comment
    // or a string is no stream, and must not hide the next one.
    cursor = stream.dataStart;
    if (!isObjectStream(before)) continue;
    if (++count > MAX_PDF_OBJECT_STREAMS) return "more object streams than are searched";
    if (encrypted) return "an object stream of an encrypted PDF";
    const filters = before.match(/\/[A-Za-z0-9]+Decode\b|\/Crypt\b|\/DecodeParms\b/g) ?? [];
    if (filters.length !== 1 || filters[0] !== "/FlateDecode") {
      return "an object stream not read (its filters)";
    }
    try {
      const zlib = zlibModule();
      const inflated = zlib.inflateSync(b.subarray(stream.dataStart), {
        maxOutputLength: Math.max(1, budget),
        finishFlush: zlib.constants.Z_SYNC_FLUSH,
      });
      budget -= inflated.length;
      const found = PDF_ACTIONS.exec(unescapePdfNames(headText(inflated, inflated.length)))?.[1];
      if (found) return found;
    } catch {
      return "an object stream not read";
    }
  }
}

/**
 * True when the text before a stream keyword holds an object stream's dictionary: its
 * type, or the two numbers only an object stream has (some readers do without the type).
 * An outline's /First is a reference, not a number.
 */
function isObjectStream(text: string): boolean {
  // Comments may stand between a dictionary's tokens ("/Type %c\n/ObjStm"): read both ways,
  // as a '%' in a string is no comment.
  return isObjectStreamDictionary(text) ||
    isObjectStreamDictionary(text.replace(/%[^\r\n]*/g, " "));
}

function isObjectStreamDictionary(dictionary: string): boolean {
  return /\/Type\s*\/ObjStm\b/.test(dictionary) ||
    (/\/First\s+\d+(?!\s+\d+\s+R)(?![\d.])/.test(dictionary) &&
      /\/N\s+\d+(?!\s+\d+\s+R)(?![\d.])/.test(dictionary));
}

/** The next `stream` keyword (followed by LF or CRLF), and where its data begins. */
function nextStreamKeyword(
  raw: string,
  from: number,
): { keyword: number; dataStart: number } | undefined {
  for (let at = raw.indexOf("stream", from); at >= 0; at = raw.indexOf("stream", at + 1)) {
    const after = at + "stream".length;
    if (raw.startsWith("end", at - 3)) continue;
    if (raw[after] === "\n") return { keyword: at, dataStart: after + 1 };
    if (raw[after] === "\r" && raw[after + 1] === "\n") {
      return { keyword: at, dataStart: after + 2 };
    }
  }
  return undefined;
}

/** XLM functions that run programs or code from a formula. */
const XLM_RUNS = /\b(?:EXEC|CALL|REGISTER|RUN)\s*\(/i;

/** Bytes of a SYLK file read for formulas. */
const MAX_SYLK_SCAN = 4 * 1024 * 1024;

/**
 * SYLK (.slk), Excel's symbolic link format: an `ID;P` record, then `C;...;E<formula>`
 * cell records. Excel evaluates the formulas on opening, so an XLM call that runs a
 * program (EXEC, CALL, REGISTER, RUN) is an Excel 4.0 macro like a macro sheet.
 */
function verifySylk(b: Uint8Array): Sniff {
  const text = headText(b, MAX_SYLK_SCAN);
  for (const line of text.split("\n")) {
    if (!line.startsWith("C;")) continue;
    const formula = line.indexOf(";E");
    if (formula >= 0 && XLM_RUNS.test(line.slice(formula + 2))) {
      return match("sylk", "application/x-sylk", "ole-macro", "Excel 4.0 macro in SYLK");
    }
  }
  return match("sylk", "application/x-sylk");
}

/** RTF control words that embed or link an OLE object. */
const RTF_OBJECT_WORDS = /\\(objdata|objupdate|objemb|objlink|objautlink)(?![a-z])/gi;

/**
 * An RTF file with an embedded object. A control word counts only where its backslash
 * is not itself escaped: the RTF specification, saved as RTF, writes `\\objdata` as text
 * and is no object. A Package object in `\objdata` is unpacked and its file sniffed.
 */
function verifyRtf(b: Uint8Array): Sniff {
  const text = headText(b, b.length);
  let word: string | undefined;
  for (const m of text.matchAll(RTF_OBJECT_WORDS)) {
    if (escapedAt(text, m.index)) continue;
    const found = m[1]!.toLowerCase();
    word ??= found;
    if (found === "objdata") {
      const packaged = rtfPackage(text, m.index + m[0].length);
      if (packaged) return { ...packaged, row: "rtf", mime: "application/rtf" };
    }
  }
  if (word) return match("rtf-object", "application/rtf", "rtf-object", word);
  return match("rtf", "application/rtf");
}

/** True when the backslash at `at` is preceded by an odd run of backslashes (escaped). */
function escapedAt(text: string, at: number): boolean {
  let run = 0;
  while (at - run - 1 >= 0 && text[at - run - 1] === "\\") run++;
  return run % 2 === 1;
}

/** Hex digits of `\objdata` read; an object above this is left to the scanners. */
const MAX_RTF_OBJECT_BYTES = 16 * 1024 * 1024;

/** The Package file in the hex of an `\objdata` group starting at `from`, sniffed. */
function rtfPackage(text: string, from: number): Sniff | undefined {
  const bytes = new Uint8Array(Math.min(MAX_RTF_OBJECT_BYTES, (text.length - from) >> 1));
  let filled = 0;
  let high = -1;
  for (let i = from; i < text.length && filled < bytes.length; i++) {
    const c = text.charCodeAt(i);
    const digit = c >= 0x30 && c <= 0x39
      ? c - 0x30
      : c >= 0x61 && c <= 0x66
      ? c - 0x57
      : c >= 0x41 && c <= 0x46
      ? c - 0x37
      : -1;
    if (digit < 0) {
      if (c === 0x20 || c === 0x0d || c === 0x0a || c === 0x09) continue;
      break;
    }
    if (high < 0) high = digit;
    else {
      bytes[filled++] = high * 16 + digit;
      high = -1;
    }
  }
  const object = readOle1Object(bytes.subarray(0, filled));
  if (!object || object.className.toLowerCase() !== "package") return undefined;
  return packagedLoader([withSizePrefix(object.data)]);
}

/** The OLE 1.0 native data with the 4-byte size an `\x01Ole10Native` stream starts with. */
function withSizePrefix(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + data.length);
  new DataView(out.buffer).setUint32(0, data.length, true);
  out.set(data, 4);
  return out;
}

/**
 * Where verifyVolume looks for a volume descriptor's five-letter identifier: ISO 9660 and
 * UDF descriptors start at sector 16 (0x8000) of 2048-byte sectors, after a type byte.
 */
const VOLUME_IDENTIFIER_OFFSETS = [0x8001, 0x8801, 0x9001];
const VOLUME_DESCRIPTORS_END = VOLUME_IDENTIFIER_OFFSETS[2]! + 5;

function verifyVolume(b: Uint8Array): Sniff | undefined {
  for (const at of VOLUME_IDENTIFIER_OFFSETS) {
    if (startsWithAt(b, ascii("CD001"), at)) {
      return match("iso9660", "application/x-iso9660-image", "disk-image", "iso9660");
    }
    for (const id of ["BEA01", "NSR02", "NSR03"]) {
      if (startsWithAt(b, ascii(id), at)) {
        return match("udf", "application/x-udf-image", "disk-image", "udf");
      }
    }
  }
  return undefined;
}

/** Signatures that sit at the end of the file (VHD footer, DMG "koly" trailer). */
function verifyTrailer(b: Uint8Array): Sniff | undefined {
  if (b.length >= 512) {
    const footer = b.length - 512;
    if (startsWithAt(b, ascii("conectix"), footer)) {
      return match("vhd", "application/x-vhd", "disk-image", "vhd");
    }
    if (startsWithAt(b, ascii("koly"), footer)) {
      return match("dmg", "application/x-apple-diskimage", "disk-image", "dmg");
    }
  }
  return undefined;
}

/**
 * Where the rows of the two tables below look first, as triples: the offset of each row's
 * magic and its first two bytes. Bytes that hold none of these can match no row, and most
 * parts (text) hold none: the tables, which cost a small delivery about 0.3 M instructions
 * to build, are then not built at all. A test holds this list to the tables.
 */
// deno-fmt-ignore
export const SIGNATURE_HEADS: readonly number[] = [
  // loaderSignatures()
  0, 0x4d, 0x5a, 0, 0x7f, 0x45, 0, 0xce, 0xfa, 0, 0xcf, 0xfa, 0, 0xca, 0xfe, 0, 0x23, 0x21,
  0, 0x4c, 0x00, 0, 0x49, 0x54, 0, 0xd0, 0xcf, 0, 0x25, 0x50, 0, 0x49, 0x44, 0, 0x7b, 0x5c,
  0, 0x50, 0x4b, 0, 0x52, 0x61, 0, 0x37, 0x7a, 0, 0x4d, 0x53, 0, 0x1f, 0x8b, 0, 0x42, 0x5a,
  0, 0xfd, 0x37, 0, 0x60, 0xea, 257, 0x75, 0x73, 0, 0x78, 0x9f, 0, 0x76, 0x68, 0, 0x63, 0x6f,
  // plainSignatures()
  0, 0x89, 0x50, 0, 0xff, 0xd8, 0, 0x47, 0x49, 0, 0x42, 0x4d, 0, 0x49, 0x49, 0, 0x4d, 0x4d,
  8, 0x57, 0x45, 8, 0x57, 0x41, 0, 0x4f, 0x67, 4, 0x66, 0x74, 0, 0x25, 0x21,
];

/** Whether any row of the tables may match: one of SIGNATURE_HEADS is in place. */
function mayMatchARow(bytes: Uint8Array): boolean {
  for (let i = 0; i < SIGNATURE_HEADS.length; i += 3) {
    const at = SIGNATURE_HEADS[i]!;
    if (bytes[at] === SIGNATURE_HEADS[i + 1] && bytes[at + 1] === SIGNATURE_HEADS[i + 2]) {
      return true;
    }
  }
  return false;
}

let loaderRows: readonly LoaderSignature[] | undefined;

/** The magic-byte table, tried in order; built the first time a part may match a row. */
export function loaderSignatures(): readonly LoaderSignature[] {
  return loaderRows ??= [
    { id: "pe", magic: ascii("MZ"), offset: 0, mime: "application/x-dosexec", verify: verifyMz },
    {
      id: "elf",
      magic: [0x7f, 0x45, 0x4c, 0x46],
      offset: 0,
      mime: "application/x-elf",
      verify: verifyElf,
    },
    {
      id: "macho-32le",
      magic: [0xce, 0xfa, 0xed, 0xfe],
      offset: 0,
      mime: "application/x-mach-binary",
      loader: "macho",
      detail: "thin",
    },
    {
      id: "macho-64le",
      magic: [0xcf, 0xfa, 0xed, 0xfe],
      offset: 0,
      mime: "application/x-mach-binary",
      loader: "macho",
      detail: "thin",
    },
    {
      id: "macho-fat64",
      magic: [0xca, 0xfe, 0xba, 0xbf],
      offset: 0,
      mime: "application/x-mach-binary",
      loader: "macho",
      detail: "fat",
    },
    {
      id: "cafebabe",
      magic: [0xca, 0xfe, 0xba, 0xbe],
      offset: 0,
      mime: "application/java-vm",
      verify: verifyCafebabe,
    },
    {
      id: "script-sh",
      magic: ascii("#!"),
      offset: 0,
      mime: "text/x-shellscript",
      loader: "script-sh",
      detail: "shebang",
    },
    {
      id: "lnk",
      magic: [0x4c, 0, 0, 0, 0x01, 0x14, 0x02, 0, 0, 0, 0, 0, 0xc0, 0, 0, 0, 0, 0, 0, 0x46],
      offset: 0,
      mime: "application/x-ms-shortcut",
      loader: "lnk",
      detail: "shell-link",
    },
    {
      id: "chm",
      magic: ascii("ITSF"),
      offset: 0,
      mime: "application/vnd.ms-htmlhelp",
      loader: "chm",
      detail: "itsf",
    },
    {
      id: "ole",
      magic: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1],
      offset: 0,
      mime: "application/x-ole-storage",
      verify: verifyOle,
    },
    { id: "pdf", magic: ascii("%PDF-"), offset: 0, mime: "application/pdf", verify: verifyPdf },
    { id: "sylk", magic: ascii("ID;P"), offset: 0, mime: "application/x-sylk", verify: verifySylk },
    { id: "rtf", magic: ascii("{\\rt"), offset: 0, mime: "application/rtf", verify: verifyRtf },
    {
      id: "zip",
      magic: ascii("PK\x03\x04"),
      offset: 0,
      mime: "application/zip",
      loader: "archive",
      detail: "zip",
    },
    {
      id: "zip-empty",
      magic: ascii("PK\x05\x06"),
      offset: 0,
      mime: "application/zip",
      loader: "archive",
      detail: "zip",
    },
    {
      id: "zip-spanned",
      magic: ascii("PK\x07\x08"),
      offset: 0,
      mime: "application/zip",
      loader: "archive",
      detail: "zip",
    },
    {
      id: "rar",
      magic: ascii("Rar!\x1a\x07"),
      offset: 0,
      mime: "application/vnd.rar",
      loader: "archive",
      detail: "rar",
    },
    {
      id: "7z",
      magic: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c],
      offset: 0,
      mime: "application/x-7z-compressed",
      loader: "archive",
      detail: "7z",
    },
    {
      id: "cab",
      magic: ascii("MSCF\0\0\0\0"),
      offset: 0,
      mime: "application/vnd.ms-cab-compressed",
      loader: "archive",
      detail: "cab",
    },
    {
      id: "gz",
      magic: [0x1f, 0x8b, 0x08],
      offset: 0,
      mime: "application/gzip",
      loader: "archive",
      detail: "gz",
    },
    {
      id: "bz2",
      magic: ascii("BZh"),
      offset: 0,
      mime: "application/x-bzip2",
      loader: "archive",
      detail: "bz2",
    },
    {
      id: "xz",
      magic: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00],
      offset: 0,
      mime: "application/x-xz",
      loader: "archive",
      detail: "xz",
    },
    {
      id: "arj",
      magic: [0x60, 0xea],
      offset: 0,
      mime: "application/x-arj",
      loader: "archive",
      detail: "arj",
    },
    {
      // POSIX and GNU tar: "ustar" at offset 257 of the first 512-byte header.
      id: "tar",
      magic: ascii("ustar"),
      offset: 257,
      mime: "application/x-tar",
      loader: "archive",
      detail: "tar",
    },
    {
      id: "tnef",
      magic: [0x78, 0x9f, 0x3e, 0x22],
      offset: 0,
      mime: "application/vnd.ms-tnef",
      loader: "archive",
      detail: "tnef",
    },
    {
      id: "vhdx",
      magic: ascii("vhdxfile"),
      offset: 0,
      mime: "application/x-vhdx",
      loader: "disk-image",
      detail: "vhdx",
    },
    {
      id: "vhd",
      magic: ascii("conectix"),
      offset: 0,
      mime: "application/x-vhd",
      loader: "disk-image",
      detail: "vhd",
    },
  ];
}

/** A row of the table of types that run nothing. */
export interface PlainSignature {
  readonly id: string;
  readonly magic: readonly number[];
  readonly offset: number;
  readonly mime: string;
}

let plainRows: readonly PlainSignature[] | undefined;

/** Types that run nothing, for `noscantypes` and `badmimetypes` on sniffed types. */
export function plainSignatures(): readonly PlainSignature[] {
  return plainRows ??= [
    {
      id: "png",
      magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
      offset: 0,
      mime: "image/png",
    },
    { id: "jpeg", magic: [0xff, 0xd8, 0xff], offset: 0, mime: "image/jpeg" },
    { id: "gif", magic: ascii("GIF8"), offset: 0, mime: "image/gif" },
    { id: "bmp", magic: ascii("BM"), offset: 0, mime: "image/bmp" },
    { id: "tiff-le", magic: [0x49, 0x49, 0x2a, 0x00], offset: 0, mime: "image/tiff" },
    { id: "tiff-be", magic: [0x4d, 0x4d, 0x00, 0x2a], offset: 0, mime: "image/tiff" },
    { id: "webp", magic: ascii("WEBP"), offset: 8, mime: "image/webp" },
    { id: "wav", magic: ascii("WAVE"), offset: 8, mime: "audio/wav" },
    { id: "mp3", magic: ascii("ID3"), offset: 0, mime: "audio/mpeg" },
    { id: "ogg", magic: ascii("OggS"), offset: 0, mime: "audio/ogg" },
    { id: "mp4", magic: ascii("ftyp"), offset: 4, mime: "video/mp4" },
    { id: "ps", magic: ascii("%!PS"), offset: 0, mime: "application/postscript" },
  ];
}

/** Sniff the bytes: walk the table, then trailers, volume descriptors, text heuristics. */
export function sniffBytes(bytes: Uint8Array): Sniff {
  const sniff = sniffFormat(bytes);
  // A tar whose first member is named like another format's magic ("%PDF-1.4", "{\\rtf1")
  // is a tar to every tar reader: a tar, unless the other reading finds something that
  // runs (a PE, a PDF's JavaScript). Either way the walk reads it as a tar too.
  const runs = sniff.loader && sniff.loader.type !== "archive" &&
    sniff.loader.type !== "disk-image";
  return !runs && sniff.row !== "tar" && isTarHeader(bytes, 0) ? TAR : sniff;
}

/** What the bytes are by their signatures, a tar header at the first block left aside. */
export function sniffFormat(bytes: Uint8Array): Sniff {
  const mayMatch = mayMatchARow(bytes);
  for (const row of mayMatch ? loaderSignatures() : []) {
    if (!startsWithAt(bytes, row.magic, row.offset)) continue;
    if (row.verify) {
      const result = row.verify(bytes);
      if (result) return { ...result, row: row.id };
      continue;
    }
    return match(row.id, row.mime, row.loader, row.detail ?? "");
  }
  const trailer = verifyTrailer(bytes);
  if (trailer) return { ...trailer, row: "trailer" };
  // (Checked before the call: most parts are too short to hold a volume descriptor.)
  const volume = bytes.length >= VOLUME_DESCRIPTORS_END ? verifyVolume(bytes) : undefined;
  if (volume) return { ...volume, row: "volume" };
  // GNU tar skips blocks that are no header to the first that is: a tar to it (and
  // unchecked, its first header failing), unless a signature above says what it is.
  if (tarHeaderAt(bytes) !== undefined) return TAR;
  for (const row of mayMatch ? plainSignatures() : []) {
    if (startsWithAt(bytes, row.magic, row.offset)) return match(row.id, row.mime);
  }
  return { ...sniffText(bytes), row: "text" };
}

const TAR: Sniff = match("tar", "application/x-tar", "archive", "tar");

/** How much of a text file the script heuristics read. */
const SCRIPT_SNIFF_BYTES = 64 * 1024;

/** C0 controls other than tab, LF, VT, FF and CR, and DEL: bytes prose does not hold. */
// deno-lint-ignore no-control-regex
const BINARY_CHARACTERS = /[\x00-\x08\x0e-\x1f\x7f]/g;

function sniffText(bytes: Uint8Array): Sniff {
  if (bytes.length === 0) return match("empty", "application/x-empty");
  const head = headText(bytes, SCRIPT_SNIFF_BYTES);
  // Text if nearly all sampled bytes are printable or whitespace (or UTF-8 lead/continuation bytes).
  // Counted by a native scan: a loop over the characters costs the interpreter about a
  // thousand instructions each, 4 M for a 4 KiB text. (replace, not match: the runtime
  // compiles String.prototype.match from JavaScript on its first use.)
  const sample = head.slice(0, 4096);
  const binary = sample.length - sample.replace(BINARY_CHARACTERS, "").length;
  if (binary > Math.min(head.length, 4096) / 100) {
    return match("binary", "application/octet-stream");
  }
  const script = sniffWindowsScript(head);
  if (script) return match("script-win", "text/x-windows-script", "script-win", script);
  // trimStart drops exactly what \s matches, so text that does not start with "<" after it
  // cannot match, and the expression is not compiled for it.
  if (head.trimStart().startsWith("<") && /^\s*(?:<!doctype html|<html|<head|<body)/i.test(head)) {
    return match("html", "text/html");
  }
  return match("text", "text/plain");
}

/** Where a zip's end-of-central-directory record sits, searched in the last 64 KiB. */
/**
 * Where a zip end record stands at the tail that zip readers would take for one: its
 * central directory, by the size it gives, begins right before it with a directory record
 * (or is empty); -1 when none does. Four bytes that happen to read "PK\5\6" do not.
 */
export function findZipEndRecord(bytes: Uint8Array): number {
  if (bytes.length < 22) return -1;
  const from = Math.max(0, bytes.length - 65_557);
  for (let end = findZipEnd(bytes); end >= from; end = lastIndexOfZipEnd(bytes, end - 1, from)) {
    if (directoryBefore(bytes, end)) return end;
  }
  return -1;
}

function lastIndexOfZipEnd(bytes: Uint8Array, before: number, from: number): number {
  for (let at = before; at >= from; at--) {
    if (
      bytes[at] === 0x50 && bytes[at + 1] === 0x4b && bytes[at + 2] === 5 && bytes[at + 3] === 6
    ) {
      return at;
    }
  }
  return -1;
}

/**
 * True when the end record at `end` leads to a central directory the way some reader
 * looks for one: right before it by the size it gives, at the offset it gives, or, where a
 * zip64 locator stands before it, by the zip64 end record's size or offset (Python takes
 * those whenever the locator is there); or it is an empty zip's.
 */
function directoryBefore(bytes: Uint8Array, end: number): boolean {
  if (end + 22 > bytes.length) return false;
  const entries = u16le(bytes, end + 10)!;
  const size = u32le(bytes, end + 12)!;
  if (size === 0 && entries === 0) return true;
  const starts = [end - size, u32le(bytes, end + 16)!];
  const locator = end - 20;
  if (locator >= 0 && u32le(bytes, locator) === 0x07064b50) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
    for (const record of [Number(view.getBigUint64(locator + 8, true)), locator - 56]) {
      if (record < 0 || record + 56 > bytes.length || u32le(bytes, record) !== 0x06064b50) continue;
      starts.push(
        record - Number(view.getBigUint64(record + 40, true)),
        Number(view.getBigUint64(record + 48, true)),
      );
    }
  }
  return starts.some((at) =>
    at >= 0 && at + 4 <= bytes.length && startsWithAt(bytes, ascii("PK\x01\x02"), at)
  );
}

export function findZipEnd(bytes: Uint8Array): number {
  const from = Math.max(0, bytes.length - 65_557);
  // From the end: the last signature is the first found, and nothing is allocated (this
  // runs for every member of a zip of 10,000).
  return lastIndexOfZipEnd(bytes, bytes.length - 4, from);
}
