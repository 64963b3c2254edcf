import { removeInvisible } from "../message/mod.ts";

/** Bidirectional controls: U+202E makes "invoice<U+202E>fdp.exe" read as "invoiceexe.pdf". */
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// deno-lint-ignore no-control-regex
const OTHER_CONTROLS = /[\x01-\x1f\x7f]/g;

/** What normalising a file name removed or saw. */
export interface NormalisedName {
  /** The name as Windows or a mail client would show and save it. */
  readonly name: string;
  readonly hadBidiControls: boolean;
  readonly hadNul: boolean;
  readonly hadControls: boolean;
  readonly hadTrailingDotsOrSpaces: boolean;
  /** The name carried a directory part ("../../x.exe", "C:\\x.exe"). */
  readonly hadPath: boolean;
}

/**
 * Normalise a decoded file name the way the receiving system treats it: directory parts
 * dropped, NULs and control characters removed, bidi overrides and the other invisible
 * characters (`removeInvisible`, the same set every text rule ignores) removed, trailing dots
 * and spaces stripped (Windows ignores them, so "x.exe." runs as "x.exe").
 */
export function normaliseFilename(raw: string): NormalisedName {
  let name = raw;
  const hadNul = name.includes("\0");
  // Many clients cut the name at a NUL; the part after it is what hides.
  name = name.replaceAll("\0", "");
  const hadBidiControls = BIDI_CONTROLS.test(name);
  // Bidi controls, zero-width and other invisible characters: the one definition.
  name = removeInvisible(name);
  const hadControls = OTHER_CONTROLS.test(name);
  name = name.replace(OTHER_CONTROLS, "");
  // "setup.exe/" saves as "setup.exe", and "x.exe::$DATA" names the file's own data stream.
  const hadPath = /[/\\]/.test(name) || /^[a-z]:/i.test(name);
  const bare = withoutStreamSuffix(withoutTrailingSeparators(name));
  const lastSeparator = Math.max(bare.lastIndexOf("/"), bare.lastIndexOf("\\"));
  name = lastSeparator >= 0 ? bare.slice(lastSeparator + 1) : bare;
  name = name.replace(/^[a-z]:/i, "");
  const trimmed = withoutTrailingDotsAndBlanks(name);
  const hadTrailingDotsOrSpaces = trimmed !== name && trimmed !== "";
  name = trimmed.trim();
  return { name, hadBidiControls, hadNul, hadControls, hadTrailingDotsOrSpaces, hadPath };
}

/** Extensions people trust at a glance: a second, executable one behind them is a disguise. */
const DECOY_EXTENSIONS = new Set([
  "pdf",
  "doc",
  "docx",
  "xls",
  "xlsx",
  "ppt",
  "pptx",
  "txt",
  "rtf",
  "jpg",
  "jpeg",
  "png",
  "gif",
  "bmp",
  "tif",
  "tiff",
  "mp3",
  "mp4",
  "avi",
  "mov",
  "wav",
  "zip",
  "htm",
  "html",
  "odt",
  "ods",
  "csv",
  "eml",
]);
const EXECUTABLE_EXTENSIONS = new Set([
  "exe",
  "com",
  "scr",
  "pif",
  "bat",
  "cmd",
  "vbs",
  "vbe",
  "js",
  "jse",
  "wsf",
  "wsh",
  "hta",
  "ps1",
  "msi",
  "lnk",
  "cpl",
  "jar",
  "dll",
  "reg",
  "chm",
  "iso",
  "img",
  "vhd",
  "application",
  "gadget",
  "msc",
  "sct",
  "url",
  "scf",
  "xll",
  "settingcontent-ms",
  "appref-ms",
]);

/** "invoice.pdf.exe" -> "pdf.exe"; undefined when the name has no disguised executable extension. */
export function doubleExtension(name: string): string | undefined {
  const parts = name.toLowerCase().split(".");
  if (parts.length < 3) return undefined;
  const last = parts[parts.length - 1] as string;
  const before = (parts[parts.length - 2] as string).trim();
  if (EXECUTABLE_EXTENSIONS.has(last) && DECOY_EXTENSIONS.has(before)) return `${before}.${last}`;
  return undefined;
}

// deno-lint-ignore no-control-regex
const INVISIBLE = /[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

/** Control, bidi and other invisible characters written as \u{XXXX}, so evidence shows what hid. */
export function escapeInvisible(text: string): string {
  return text.replace(
    INVISIBLE,
    (c) => `\\u{${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}}`,
  );
}

/**
 * The name without the dots, spaces and tabs Windows drops at its end. A loop, because
 * /[. \t]+$/ retries from every dot of ". . . .x" and costs quadratic time.
 */
function withoutTrailingDotsAndBlanks(name: string): string {
  let end = name.length;
  while (end > 0 && (name[end - 1] === "." || name[end - 1] === " " || name[end - 1] === "\t")) {
    end--;
  }
  return name.slice(0, end);
}

/**
 * The name without trailing separators and "." components: extractors write "run.js/."
 * and "run.js\\.\\" as run.js.
 */
function withoutTrailingSeparators(name: string): string {
  let end = name.length;
  for (;;) {
    while (end > 0 && (name[end - 1] === "/" || name[end - 1] === "\\")) end--;
    const dotComponent = end > 1 && name[end - 1] === "." &&
      (name[end - 2] === "/" || name[end - 2] === "\\");
    if (!dotComponent) return name.slice(0, end);
    end--;
  }
}

function withoutStreamSuffix(name: string): string {
  return /::\$data$/i.test(name) ? name.slice(0, -"::$DATA".length) : name;
}
