/** Body lines as postal-mime cuts them, shared by the simple reading and the MIME reading. */

/** Where a line's bytes end as postal-mime's readLine cuts them: trailing CRs dropped. */
export function lineEnd(bytes: Uint8Array, start: number, end: number): number {
  while (end > start && bytes[end - 1] === 0x0d) end--;
  return end;
}

/** Calls `each(start, end)` for every line of the ranges, cut as postal-mime cuts them. */
export function forEachLine(
  bytes: Uint8Array,
  ranges: readonly number[],
  each: (start: number, end: number) => void,
): void {
  for (let r = 0; r < ranges.length; r += 2) {
    let pos = ranges[r]!;
    const stop = ranges[r + 1]!;
    while (pos < stop) {
      const nl = bytes.indexOf(0x0a, pos);
      const next = nl < 0 || nl >= stop ? stop : nl + 1;
      each(pos, lineEnd(bytes, pos, nl < 0 || nl >= stop ? stop : nl));
      pos = next;
    }
  }
}

/**
 * postal-mime's pass-through decoder: every line without its line end, then "\n".
 * A body of whole LF-ended lines without CRs comes out as it went in: it stays a view
 * into the message instead of a copy.
 */
export function passLines(bytes: Uint8Array, ranges: readonly number[]): Uint8Array {
  if (ranges.length === 2) {
    const body = bytes.subarray(ranges[0], ranges[1]);
    if (body.length && body.indexOf(0x0d) < 0) {
      if (body[body.length - 1] === 0x0a) return body;
      // The last line has no LF: the same lines, and one "\n" more, in one native copy
      // (line by line, the interpreter would copy a short message byte by byte).
      const out = new Uint8Array(body.length + 1);
      out.set(body);
      out[body.length] = 0x0a;
      return out;
    }
  }
  let size = 0;
  forEachLine(bytes, ranges, (start, end) => size += end - start + 1);
  const out = new Uint8Array(size);
  let at = 0;
  forEachLine(bytes, ranges, (start, end) => {
    copyRun(bytes, start, end, out, at);
    at += end - start;
    out[at++] = 0x0a;
  });
  return out;
}

/**
 * Copy bytes[start, end) to out at `at`. Short runs byte by byte: a view per run of a
 * body of short lines or dense escapes would be garbage the size of the body several
 * times over.
 */
export function copyRun(
  bytes: Uint8Array,
  start: number,
  end: number,
  out: Uint8Array,
  at: number,
): void {
  if (end - start > 64) out.set(bytes.subarray(start, end), at);
  else for (let i = start; i < end; i++) out[at++] = bytes[i]!;
}
