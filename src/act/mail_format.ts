const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** An RFC 5322 date-time in UTC: "Wed, 25 Nov 2026 08:00:00 +0000". */
export function rfc5322Date(date: Date): string {
  const pad = (n: number): string => String(n).padStart(2, "0");
  return `${DAYS[date.getUTCDay()]}, ${date.getUTCDate()} ${
    MONTHS[date.getUTCMonth()]
  } ${date.getUTCFullYear()} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}

/**
 * A value made safe for one header line: CR, LF and other controls become spaces (no
 * header injection from a hostile subject), and non-ASCII text becomes RFC 2047
 * encoded-words of at most 75 characters, split between characters, never inside one.
 */
export function headerSafe(value: string): string {
  // deno-lint-ignore no-control-regex
  const flat = value.replace(/[\x00-\x1f\x7f-\x9f]+/g, " ").trim();
  if (/^[\x20-\x7e]*$/.test(flat)) return flat;
  const words: string[] = [];
  let chunk = "";
  const encoder = new TextEncoder();
  for (const char of flat) {
    if (encoder.encode(chunk + char).length > 45) {
      words.push(encodeWord(chunk));
      chunk = "";
    }
    chunk += char;
  }
  if (chunk) words.push(encodeWord(chunk));
  return words.join(" ");
}

function encodeWord(text: string): string {
  const bytes = new TextEncoder().encode(text);
  return `=?UTF-8?B?${btoa(String.fromCharCode(...bytes))}?=`;
}

/** Text for a message body: no NULs, no stray C0 or C1 controls, lines ended with LF. */
export function bodySafe(value: string): string {
  // deno-lint-ignore no-control-regex
  return value.replace(/\r\n?/g, "\n").replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]/g, "?");
}

/** RFC 5322 2.1.1: lines SHOULD be at most 78 characters and MUST be at most 998. */
const FOLD_AT = 78;
const MAX_LINE = 998;

/**
 * One header field as text, folded at spaces so that lines keep to 78 characters where
 * the words allow and never pass 998 (a longer word is cut). `value` is one line already
 * (headerSafe); the result ends with LF.
 */
export function formatHeaderField(name: string, value: string): string {
  const lines: string[] = [];
  let line = `${name}:`;
  for (const word of value.split(" ").filter((w) => w !== "")) {
    const piece = word.length > MAX_LINE - 2 ? word.slice(0, MAX_LINE - 2) : word;
    if (line.length + 1 + piece.length > FOLD_AT && line.trim() !== `${name}:`) {
      lines.push(line);
      line = "";
    }
    line += ` ${piece}`;
  }
  lines.push(line);
  return lines.map((l) => `${l.slice(0, MAX_LINE)}\n`).join("");
}

const HOSTNAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/**
 * The first of `candidates` that is a plain host name (LDH labels), or "localhost".
 * $HOST comes from the envelope recipient: it goes into From: and Message-ID: only
 * after this, so a CR, LF or space in it cannot add a header field.
 */
export function safeHostname(...candidates: readonly string[]): string {
  return candidates.find((c) => HOSTNAME.test(c)) ?? "localhost";
}
