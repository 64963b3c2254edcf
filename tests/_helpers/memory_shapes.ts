/**
 * Messages of a chosen size in the shapes that used to cost many times their size in
 * memory (issue 12, item 6), and realistic mail of the same sizes: for the bounded
 * memory test (tests/reliability/) and the memory bench (bench/memory.ts).
 */
import { Buffer } from "node:buffer";

const HEAD = "From: a@example.net\nTo: b@example.org\nSubject: size\n" +
  "Date: Wed, 25 Nov 2026 08:00:00 +0000\nMessage-ID: <size@example.net>\nMIME-Version: 1.0\n";
const encoder = new TextEncoder();

/** Deterministic bytes that do not compress (xorshift32). */
export function noiseBytes(size: number, seed = 20261125): Uint8Array {
  const out = new Uint8Array(size);
  let x = seed | 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** Base64 in 76-character lines. */
function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString("base64")
    .replace(/.{76}/g, "$&\n");
}

/** Bytes of a uuencoded file (`begin` ... `end`), 45 bytes per line. */
function uuencode(bytes: Uint8Array, name: string): string {
  const lines = [`begin 644 ${name}`];
  for (let at = 0; at < bytes.length; at += 45) {
    const chunk = bytes.subarray(at, at + 45);
    let line = String.fromCharCode(32 + chunk.length);
    for (let i = 0; i < chunk.length; i += 3) {
      const n = (chunk[i]! << 16) | ((chunk[i + 1] ?? 0) << 8) | (chunk[i + 2] ?? 0);
      for (const shift of [18, 12, 6, 0]) {
        const c = (n >> shift) & 0x3f;
        line += String.fromCharCode(c === 0 ? 0x60 : c + 32);
      }
    }
    lines.push(line);
  }
  lines.push("`", "end", "");
  return lines.join("\n");
}

const PROSE = "The quarterly figures are attached; please review them before the meeting. ";

export interface MemoryShape {
  readonly label: string;
  /** The message, about `size` bytes. */
  build(size: number): Uint8Array;
}

export const MEMORY_SHAPES: readonly MemoryShape[] = [
  {
    label: "newlines after a header",
    build: (size) => encoder.encode(`${HEAD}\n${"\n".repeat(size)}`),
  },
  {
    label: "newlines in a text attachment",
    build: (size) =>
      encoder.encode(
        `${HEAD}Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nsee\n` +
          `--b\nContent-Type: text/plain; name="notes.txt"\n\n${"\n".repeat(size)}\n--b--\n`,
      ),
  },
  {
    label: "empty MIME parts",
    build: (size) =>
      encoder.encode(
        `${HEAD}Content-Type: multipart/mixed; boundary=b\n\n${
          "--b\n\n".repeat(Math.floor(size / 5))
        }--b--\n`,
      ),
  },
  {
    label: "uuencode in a text body",
    build: (size) =>
      encoder.encode(`${HEAD}\nsee below\n\n${uuencode(noiseBytes(size * 0.72), "data.bin")}`),
  },
  {
    label: "an HTML body",
    build: (size) =>
      encoder.encode(
        `${HEAD}Content-Type: text/html; charset=utf-8\n\n<html><body>${
          `<p>${PROSE}<b>bold</b> &amp; <a href="https://example.org/">a link</a></p>\n`.repeat(
            Math.floor(size / 150),
          )
        }</body></html>\n`,
      ),
  },
  {
    label: "quoted-printable escapes",
    build: (size) =>
      encoder.encode(
        `${HEAD}Content-Type: application/octet-stream\nContent-Transfer-Encoding: quoted-printable\n\n${
          `${"=41".repeat(25)}=\n`.repeat(Math.floor(size / 77))
        }`,
      ),
  },
  {
    label: "base64 padded on every line",
    build: (size) =>
      encoder.encode(
        `${HEAD}Content-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n${
          "QQ==\n".repeat(Math.floor(size / 5))
        }`,
      ),
  },
  {
    label: "nested Content-Type readings",
    build: nestedReadings,
  },
  {
    label: "a name= parameter as long as the mail",
    build: (size) =>
      encoder.encode(
        `${HEAD}Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nsee\n` +
          `--b\nContent-Type: application/octet-stream; name="${
            "a".repeat(size)
          }.exe"\n\nMZ\n--b--\n`,
      ),
  },
  {
    label: "realistic mail",
    build: realisticMessage,
  },
];

/**
 * Twelve parts nested in each other, each with a second Content-Type that reads as a
 * multipart of the body: every reading is parsed (and once was copied) again.
 */
function nestedReadings(size: number): Uint8Array {
  let body = `Content-Type: application/octet-stream; name="x.bin"
` +
    `Content-Transfer-Encoding: base64

${base64(noiseBytes(Math.floor(size * 0.74)))}`;
  for (let level = 0; level < 12; level++) {
    body = `Content-Type: text/plain
Content-Type: multipart/mixed; boundary=b${level}

` +
      `--b${level}
${body}
--b${level}--
`;
  }
  return encoder.encode(`${HEAD}${body}`);
}

/**
 * Mail as it comes: a text and an HTML alternative, a quoted-printable text attachment,
 * and two base64 attachments (a document and a spreadsheet of incompressible bytes) that
 * carry most of the size.
 */
export function realisticMessage(size: number): Uint8Array {
  const text = PROSE.repeat(40);
  const qp = `Name;Amount=3DTotal\n${"Fr=C3=BChjahr;12=\n000\n".repeat(Math.floor(size / 400))}`;
  const payload = Math.max(0, size - qp.length - 2 * text.length) * 0.74;
  const document = base64(noiseBytes(Math.floor(payload * 0.7), 1));
  const sheet = base64(noiseBytes(Math.floor(payload * 0.3), 2));
  return encoder.encode(
    `${HEAD}Content-Type: multipart/mixed; boundary="==mixed"\n\n--==mixed\n` +
      `Content-Type: multipart/alternative; boundary="==alt"\n\n--==alt\n` +
      `Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n${text}\n` +
      `--==alt\nContent-Type: text/html; charset=utf-8\n\n<html><body><p>${text}</p></body></html>\n` +
      `--==alt--\n--==mixed\nContent-Type: text/csv; charset=utf-8; name="figures.csv"\n` +
      `Content-Transfer-Encoding: quoted-printable\n` +
      `Content-Disposition: attachment; filename="figures.csv"\n\n${qp}\n` +
      `--==mixed\nContent-Type: application/pdf; name="report.pdf"\nContent-Transfer-Encoding: base64\n` +
      `Content-Disposition: attachment; filename="report.pdf"\n\n${document}\n` +
      `--==mixed\nContent-Type: application/vnd.ms-excel; name="sheet.xls"\n` +
      `Content-Transfer-Encoding: base64\nContent-Disposition: attachment; filename="sheet.xls"\n\n` +
      `${sheet}\n--==mixed--\n`,
  );
}

/** DESIGN invariant 9: peak memory at most twice the message plus 80 MiB. */
export function memoryBudget(messageBytes: number): number {
  return 2 * messageBytes + 80 * 1024 * 1024;
}
