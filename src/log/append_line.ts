import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from "node:fs";
import { dirname } from "node:path";

/**
 * Append one line with one write(2) on an O_APPEND descriptor, so lines of concurrent
 * deliveries never interleave (DESIGN invariant 4). A short write is an error: the caller
 * defers, and qmail retries the delivery.
 */
export function appendLine(path: string, line: string, options: { sync?: boolean } = {}): void {
  mkdirSync(dirname(path), { recursive: true });
  const bytes = new TextEncoder().encode(line);
  const fd = openSync(path, "a", 0o640);
  try {
    const written = writeSync(fd, bytes, 0, bytes.length);
    if (written !== bytes.length) {
      throw new Error(`Short write to "${path}": ${written} of ${bytes.length} bytes`);
    }
    if (options.sync) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
