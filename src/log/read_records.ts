import { createReadStream } from "node:fs";
import { type IncidentRecord, parseIncidentRecord } from "./incident_record.ts";
import { type LogRecord, parseLogRecord } from "./log_record.ts";

/** Lines between progress reports when reading a long log. */
export const PROGRESS_EVERY = 100_000;

export interface ReadOptions {
  /** Called every PROGRESS_EVERY lines with the count so far (for a terminal progress line). */
  readonly onProgress?: ((lines: number) => void) | undefined;
  /** Called for a line that is not a record: the log keeps going, the report says so. */
  readonly onBadLine?: ((lineNumber: number, error: Error) => void) | undefined;
}

/**
 * Stream a file line by line: a year of a busy host's log is read in constant memory,
 * never loaded whole. A missing file yields nothing.
 */
async function* readLines(path: string, options: ReadOptions): AsyncGenerator<[number, string]> {
  let stream;
  try {
    stream = createReadStream(path, { encoding: "utf8", highWaterMark: 1024 * 1024 });
    await new Promise<void>((resolve, reject) => {
      stream!.once("open", () => resolve());
      stream!.once("error", reject);
    });
  } catch (error) {
    if ((error as { code?: string }).code === "ENOENT") return;
    throw error;
  }
  // Loaded here, not at the top: the filter imports the log stage for every delivery.
  const { createInterface } = await import("node:readline");
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (options.onProgress && n % PROGRESS_EVERY === 0) options.onProgress(n);
    if (line !== "") yield [n, line];
  }
}

/** Every qmvc.log record of a file, in order; unreadable lines go to onBadLine. */
export async function* readLogRecords(
  path: string,
  options: ReadOptions = {},
): AsyncGenerator<LogRecord> {
  for await (const [n, line] of readLines(path, options)) {
    try {
      yield parseLogRecord(line);
    } catch (error) {
      options.onBadLine?.(n, error as Error);
    }
  }
}

/** Every qmvc.rep incident of a file, in order; unreadable lines go to onBadLine. */
export async function* readIncidentRecords(
  path: string,
  options: ReadOptions = {},
): AsyncGenerator<IncidentRecord> {
  for await (const [n, line] of readLines(path, options)) {
    try {
      yield parseIncidentRecord(line);
    } catch (error) {
      options.onBadLine?.(n, error as Error);
    }
  }
}
