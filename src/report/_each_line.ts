import { releaseMemory } from "../profile/mod.ts";
import { closeSync, openSync, readSync } from "node:fs";
import { PROGRESS_EVERY } from "../log/mod.ts";

/** Bytes read at a time: one buffer, reused for the whole file. */
const READ_CHUNK = 1024 * 1024;

/**
 * Every line of a file, read into one reused buffer and split by hand: readline's
 * streams left about 90 MiB of garbage behind on a two-million-line log, and the reports
 * must stay under 256 MiB. A missing file has no lines. A line's trailing CR is dropped.
 */
export function eachFileLine(
  path: string,
  onLine: (line: string) => void,
  onProgress?: (n: number) => void,
): Promise<void> {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (error) {
    if ((error as { code?: string }).code === "ENOENT") return Promise.resolve();
    throw error;
  }
  try {
    const buffer = new Uint8Array(READ_CHUNK);
    const decoder = new TextDecoder();
    let rest = "";
    let n = 0;
    let chunks = 0;
    const emit = (line: string) => {
      if (onProgress && ++n % PROGRESS_EVERY === 0) onProgress(n);
      const text = line.endsWith("\r") ? line.slice(0, -1) : line;
      if (text !== "") onLine(text);
    };
    for (;;) {
      const got = readSync(fd, buffer, 0, READ_CHUNK, null);
      if (got === 0) break;
      if (++chunks % 8 === 0) releaseMemory();
      const text = rest + decoder.decode(buffer.subarray(0, got), { stream: true });
      let start = 0;
      for (let end = text.indexOf("\n"); end >= 0; end = text.indexOf("\n", start)) {
        emit(text.slice(start, end));
        start = end + 1;
      }
      rest = text.slice(start);
    }
    rest += decoder.decode();
    if (rest !== "") emit(rest);
  } finally {
    closeSync(fd);
  }
  return Promise.resolve();
}
