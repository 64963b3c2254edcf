import { binaryString, startsALine } from "./binary_string.ts";

/** A file embedded in a text body with uuencode or yEnc. */
export interface EmbeddedFile {
  readonly encoding: "uuencode" | "yenc";
  readonly name: string;
  readonly content: Uint8Array;
  /** False when the closing `end` / `=yend` line is missing. */
  readonly terminated: boolean;
}

const BEGIN = [...new TextEncoder().encode("begin")];
const YBEGIN = [...new TextEncoder().encode("=ybegin ")];

/** Bound on embedded files taken from one text part: a body of 10 000 `begin` lines is an attack. */
export const MAX_EMBEDDED_FILES = 100;

/**
 * Find uuencoded (`begin 644 name` ... `end`) and yEnc (`=ybegin ... name=` ... `=yend`)
 * blocks in a text body and decode them. Lines are read as Latin-1 so every byte
 * survives; decoding is lenient the way real-world decoders are.
 */
export function extractEmbeddedFiles(bytes: Uint8Array): EmbeddedFile[] {
  // Cheap pre-check on the bytes: most bodies contain neither marker, and turning a
  // large body into a string just to find out costs more than the rest of the parse.
  if (!startsALine(bytes, BEGIN) && !startsALine(bytes, YBEGIN)) return [];
  const text = binaryString(bytes);
  const lines = text.split(/\r?\n/);
  const files: EmbeddedFile[] = [];
  for (let i = 0; i < lines.length && files.length < MAX_EMBEDDED_FILES; i++) {
    const line = lines[i] as string;
    const uu = readUuBegin(line);
    if (uu) {
      const { file, next } = decodeUuBlock(lines, i + 1, uu.name, uu.base64);
      files.push(file);
      i = next;
      continue;
    }
    const yName = readYencName(line);
    if (yName !== undefined) {
      const { file, next } = decodeYencBlock(lines, i + 1, yName);
      files.push(file);
      i = next;
    }
  }
  return files;
}

/**
 * A `begin[-base64] MODE NAME` line: MODE three or four octal digits, NAME the rest
 * without trailing blanks. Read left to right once; the regular expression this
 * replaces (`(.+?)\s*$`) took quadratic time on a name followed by a long blank run.
 */
function readUuBegin(line: string): { name: string; base64: boolean } | undefined {
  if (!line.startsWith("begin")) return undefined;
  const base64 = line.startsWith("begin-base64");
  let at = base64 ? 12 : 5;
  const skipSpaces = (): boolean => {
    const from = at;
    while (line[at] === " ") at++;
    return at > from;
  };
  if (!skipSpaces()) return undefined;
  const modeFrom = at;
  while (at < line.length && line[at]! >= "0" && line[at]! <= "7") at++;
  if (at - modeFrom < 3 || at - modeFrom > 4 || !skipSpaces()) return undefined;
  const name = line.slice(at).trimEnd();
  return name ? { name, base64 } : undefined;
}

/** The name of a `=ybegin ... name=NAME` line (the last `name=` that starts a word). */
function readYencName(line: string): string | undefined {
  if (!line.startsWith("=ybegin ")) return undefined;
  for (let at = line.lastIndexOf("name="); at >= 8; at = line.lastIndexOf("name=", at - 1)) {
    if (/\w/.test(line[at - 1] ?? "")) continue;
    const name = line.slice(at + 5).trimEnd();
    if (name) return name;
  }
  return undefined;
}

function decodeUuBlock(
  lines: string[],
  start: number,
  name: string,
  base64: boolean,
): { file: EmbeddedFile; next: number } {
  const out: number[] = [];
  let i = start;
  for (; i < lines.length; i++) {
    const line = lines[i] as string;
    if (base64 ? line === "====" : line.trimEnd() === "end") {
      return {
        file: { encoding: "uuencode", name, content: Uint8Array.from(out), terminated: true },
        next: i,
      };
    }
    if (base64) {
      const clean = line.replace(/[^A-Za-z0-9+/]/g, "");
      try {
        for (const b of atob(clean.slice(0, clean.length - (clean.length % 4)))) {
          out.push(b.charCodeAt(0));
        }
      } catch { /* a broken line is skipped, as uudecode does */ }
      continue;
    }
    if (line.length === 0) continue;
    const count = (line.charCodeAt(0) - 32) & 0x3f;
    if (count === 0) continue;
    let produced = 0;
    for (let j = 1; produced < count && j + 1 < line.length + 3; j += 4) {
      const c = [0, 1, 2, 3].map((k) => ((line.charCodeAt(j + k) || 32) - 32) & 0x3f);
      const bytes = [
        (c[0]! << 2) | (c[1]! >> 4),
        ((c[1]! << 4) | (c[2]! >> 2)) & 0xff,
        ((c[2]! << 6) | c[3]!) & 0xff,
      ];
      for (const b of bytes) {
        if (produced < count) {
          out.push(b & 0xff);
          produced++;
        }
      }
    }
  }
  return {
    file: { encoding: "uuencode", name, content: Uint8Array.from(out), terminated: false },
    next: i,
  };
}

function decodeYencBlock(
  lines: string[],
  start: number,
  name: string,
): { file: EmbeddedFile; next: number } {
  const out: number[] = [];
  let i = start;
  for (; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.startsWith("=yend")) {
      return {
        file: { encoding: "yenc", name, content: Uint8Array.from(out), terminated: true },
        next: i,
      };
    }
    if (line.startsWith("=ypart ")) continue;
    for (let j = 0; j < line.length; j++) {
      let c = line.charCodeAt(j);
      if (c === 0x3d && j + 1 < line.length) c = (line.charCodeAt(++j) - 64) & 0xff;
      out.push((c - 42) & 0xff);
    }
  }
  return {
    file: { encoding: "yenc", name, content: Uint8Array.from(out), terminated: false },
    next: i,
  };
}
