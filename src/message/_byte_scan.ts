/** RFC 5322 section 2.1.1: a line is at most 998 octets before CRLF. */
export const MAX_LINE_OCTETS = 998;

/** What a single pass over the raw bytes finds. */
export interface ByteScan {
  readonly nulBytes: number;
  readonly firstNulOffset: number;
  readonly bareCr: number;
  readonly longLines: number;
  /** 1-based number and length of the first over-long line. */
  readonly firstLongLine: { readonly line: number; readonly length: number } | undefined;
}

/** Count NULs, bare CRs and over-long lines using native indexOf for speed. */
export function scanBytes(bytes: Uint8Array): ByteScan {
  let nulBytes = 0;
  const firstNulOffset = bytes.indexOf(0);
  for (let i = firstNulOffset; i >= 0; i = bytes.indexOf(0, i + 1)) nulBytes++;

  let bareCr = 0;
  for (let i = bytes.indexOf(0x0d); i >= 0; i = bytes.indexOf(0x0d, i + 1)) {
    if (bytes[i + 1] !== 0x0a) bareCr++;
  }

  let longLines = 0;
  let firstLongLine: ByteScan["firstLongLine"];
  let start = 0;
  let line = 1;
  while (start < bytes.length) {
    let nl = bytes.indexOf(0x0a, start);
    if (nl < 0) nl = bytes.length;
    let length = nl - start;
    if (length > 0 && bytes[nl - 1] === 0x0d) length--;
    if (length > MAX_LINE_OCTETS) {
      longLines++;
      firstLongLine ??= { line, length };
    }
    start = nl + 1;
    line++;
  }
  return { nulBytes, firstNulOffset, bareCr, longLines, firstLongLine };
}
