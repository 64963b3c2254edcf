import { readSync, writeSync } from "node:fs";
import { concatBytes } from "../message/mod.ts";

/** What a command may touch, injected so commands are testable and exit nowhere. */
export interface CommandIo {
  readonly readStdin: () => Uint8Array;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly now: () => Date;
  readonly pid: number;
}

/** Exit statuses of the tool commands: the filter's four, plus 1 (failed) and 2 (usage). */
export type CommandStatus = 0 | 1 | 2 | 99 | 100 | 111;

/**
 * Read all of fd 0. qmail-local gives a seekable file; a pipe works as well. Reads in
 * chunks that grow, so a 50 MB message costs a handful of reads, not thousands.
 */
export function readAllFd(fd: number): Uint8Array {
  const chunks: Uint8Array[] = [];
  let size = 64 * 1024;
  for (;;) {
    const chunk = new Uint8Array(size);
    let n: number;
    try {
      n = readSync(fd, chunk, 0, chunk.length, null);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === "EAGAIN") {
        // A non-blocking descriptor with nothing yet: wait a little instead of spinning.
        Atomics.wait(PAUSE, 0, 0, 10);
        continue;
      }
      if (code === "EOF") break;
      throw error;
    }
    if (n === 0) break;
    chunks.push(chunk.subarray(0, n));
    if (size < 4 * 1024 * 1024) size *= 2;
  }
  return chunks.length ? concatBytes(chunks) : new Uint8Array(0);
}

const PAUSE = new Int32Array(new SharedArrayBuffer(4));

/**
 * Write all of `text` to a descriptor with write(2), no stream objects: they cost
 * start-up time, and a reader that went away (EPIPE: `qmvc check | head`, qmail-local
 * gone) ends the output quietly instead of as an asynchronous crash.
 */
export function writeAllFd(fd: number, text: string): void {
  const bytes = new TextEncoder().encode(text);
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += writeSync(fd, bytes, offset, bytes.length - offset);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === "EAGAIN") {
        Atomics.wait(PAUSE, 0, 0, 10);
        continue;
      }
      if (code === "EPIPE") return;
      throw error;
    }
  }
}
