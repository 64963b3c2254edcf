import { fstatSync, readSync, writeSync } from "node:fs";
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
 * Read all of fd 0. qmail-local gives a seekable file: it is read straight into one
 * buffer of its size, so the message is held once, not once in chunks and again
 * joined. A pipe (or a file that grows) is read in chunks that grow, so a 50 MB
 * message costs a handful of reads, not thousands.
 */
export function readAllFd(fd: number): Uint8Array {
  const chunks: Uint8Array[] = [];
  let known = 0;
  try {
    const stat = fstatSync(fd);
    // From a position past 0 the read simply ends early.
    if (stat.isFile()) known = stat.size;
  } catch { /* not a file: read in chunks */ }
  if (known > 0) {
    const whole = new Uint8Array(known);
    let filled = 0;
    while (filled < known) {
      const n = readChunk(fd, whole, filled);
      if (n === 0) return filled === 0 ? new Uint8Array(0) : whole.subarray(0, filled);
      filled += n;
    }
    chunks.push(whole);
  }
  // After a file read to its size, the next read only confirms the end: a small buffer
  // (64 KiB of zeroes cost a small delivery a dozen page faults).
  let size = known > 0 ? 1024 : 64 * 1024;
  for (;;) {
    const chunk = new Uint8Array(size);
    const n = readChunk(fd, chunk, 0);
    if (n === 0) break;
    chunks.push(chunk.subarray(0, n));
    if (size < 4 * 1024 * 1024) size *= 2;
  }
  return chunks.length ? concatBytes(chunks) : new Uint8Array(0);
}

/** One read(2) into `buffer` from `offset`, 0 at end of input; waits out EAGAIN. */
function readChunk(fd: number, buffer: Uint8Array, offset: number): number {
  for (;;) {
    try {
      return readSync(fd, buffer, offset, buffer.length - offset, null);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === "EAGAIN") {
        // A non-blocking descriptor with nothing yet: wait a little instead of spinning.
        waitBriefly();
        continue;
      }
      if (code === "EOF") return 0;
      throw error;
    }
  }
}

/** What Atomics.wait sleeps on; made on the first wait, which a delivery from a file never has. */
let pause: Int32Array | undefined;

/** 10 ms of sleep, for a non-blocking descriptor that is not ready (EAGAIN). */
function waitBriefly(): void {
  pause ??= new Int32Array(new SharedArrayBuffer(4));
  Atomics.wait(pause, 0, 0, 10);
}

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
        waitBriefly();
        continue;
      }
      if (code === "EPIPE") return;
      throw error;
    }
  }
}
