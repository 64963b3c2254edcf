import {
  closeSync,
  createReadStream,
  existsSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  type Stats,
  unlinkSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";
import { Readable } from "node:stream";
import { configure, Uint8ArrayReader, ZipReader, ZipWriter } from "@zip.js/zip.js";
import {
  appendLine,
  type IncidentRecord,
  type LogRecord,
  openFresh,
  parseIncidentRecord,
  parseLogRecord,
  writeFresh,
} from "../log/mod.ts";
import { eachFileLine } from "./_each_line.ts";
import { monthOf } from "./local_time.ts";

configure({ useWebWorkers: false, useCompressionStream: true });

/** Where a month's logs go: log/archive/qmvc-YYYY-MM.zip (then -2, -3... for later runs). */
export function archiveDir(logDir: string): string {
  return join(logDir, "archive");
}

/** The archive zips of a month, oldest first. */
export function monthArchives(logDir: string, month: string): string[] {
  const dir = archiveDir(logDir);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((n) =>
    n === `qmvc-${month}.zip` || n.startsWith(`qmvc-${month}-`) && n.endsWith(".zip")
  )
    .sort().map((n) => join(dir, n));
}

/**
 * Every line of one archive zip, streamed: each member is inflated chunk by chunk and
 * split into lines, so a busy month's archive is never held in memory whole.
 */
export async function eachArchiveLine(
  path: string,
  onLine: (kind: "log" | "rep", line: string) => void,
): Promise<void> {
  const reader = new ZipReader(new Uint8ArrayReader(readFileSync(path)));
  try {
    for (const entry of await reader.getEntries()) {
      if (entry.directory || !entry.getData) continue;
      const kind = entry.filename.endsWith(".log")
        ? "log"
        : entry.filename.endsWith(".rep")
        ? "rep"
        : undefined;
      if (!kind) continue;
      const decoder = new TextDecoder();
      let rest = "";
      const emit = (text: string) => {
        const lines = (rest + text).split("\n");
        rest = lines.pop() ?? "";
        for (const line of lines) if (line !== "") onLine(kind, line);
      };
      await entry.getData(
        new WritableStream<Uint8Array>({
          write(chunk) {
            emit(decoder.decode(chunk, { stream: true }));
          },
          close() {
            emit(decoder.decode());
            if (rest !== "") onLine(kind, rest);
          },
        }),
      );
    }
  } finally {
    await reader.close();
  }
}

/** The log and incident records kept in one archive zip. */
export async function readArchive(
  path: string,
): Promise<{ records: LogRecord[]; incidents: IncidentRecord[] }> {
  const records: LogRecord[] = [];
  const incidents: IncidentRecord[] = [];
  await eachArchiveLine(path, (kind, line) => {
    try {
      if (kind === "log") records.push(parseLogRecord(line));
      else incidents.push(parseIncidentRecord(line));
    } catch { /* a bad line in an archive is skipped, as in the live log */ }
  });
  return { records, incidents };
}

/** Every archive zip of the log directory, oldest month first. */
export function allArchives(logDir: string): string[] {
  const dir = archiveDir(logDir);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((n) => /^qmvc-\d{4}-\d{2}(-\d+)?\.zip$/.test(n)).sort().map((n) =>
    join(dir, n)
  );
}

/**
 * The marker an earlier run wrote after its zip was durable, naming that zip: only a
 * regular file naming an existing archive of this month counts. Anything else at its name
 * (a symlink, a file another member of a shared profile's group put there) would make
 * this run drop the month's lines unarchived.
 */
function archivedBefore(marker: string, logDir: string, month: string): boolean {
  const stat = lstatOrUndefined(marker);
  if (!stat?.isFile()) return false;
  const zip = readFileSync(marker, "utf8").trim();
  return dirname(zip) === archiveDir(logDir) &&
    new RegExp(`^qmvc-${month}(-\\d+)?\\.zip$`).test(basename(zip)) &&
    lstatOrUndefined(zip)?.isFile() === true;
}

/** What is at `path` itself (a symlink is not followed), or undefined when nothing is. */
export function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

/** How long to let deliveries that opened the old file finish their one write. */
const SETTLE_MS = 500;

/**
 * Move one month's lines out of qmvc.log and qmvc.rep into a zip, losing nothing:
 * 1. rename the live files aside (new deliveries start a new file at once);
 * 2. split their lines into "this month" and "keep";
 * 3. write the zip to a temporary name, fsync, rename: now the month is durable;
 * 4. append the kept lines back to the live files, then remove the set-aside files.
 * A crash leaves the set-aside files, and the next run resumes from them; a marker
 * written after step 3 keeps a resumed run from archiving the month twice.
 */
export async function archiveMonth(
  logDir: string,
  month: string,
  options: { now: () => Date; claim?: (path: string) => void },
): Promise<{ zip: string | undefined; moved: number }> {
  const { now } = options;
  const claim = options.claim ?? (() => {});
  const files = ["qmvc.log", "qmvc.rep"] as const;
  let renamedNow = false;
  for (const name of files) {
    const live = join(logDir, name);
    const aside = `${live}.rotating`;
    if (!existsSync(aside) && existsSync(live)) {
      renameSync(live, aside);
      renamedNow = true;
    }
  }
  if (renamedNow) await new Promise((r) => setTimeout(r, SETTLE_MS));
  const marker = join(logDir, `qmvc.rotating.archived-${month}`);
  // Split the set-aside files line by line into two temporary files: a year of a busy
  // host's log is streamed, never held in memory.
  let moved = 0;
  for (const name of files) {
    const aside = join(logDir, `${name}.rotating`);
    const monthFd = openFresh(join(logDir, `${name}.month.tmp`), 0o640);
    const keepFd = openFresh(join(logDir, `${name}.keep.tmp`), 0o640);
    try {
      const monthOut = new LineWriter(monthFd);
      const keepOut = new LineWriter(keepFd);
      await eachFileLine(aside, (line) => {
        const isMonth = monthOfLine(name, line) === month;
        (isMonth ? monthOut : keepOut).write(line);
        if (isMonth) moved++;
      });
      monthOut.flush();
      keepOut.flush();
    } finally {
      closeSync(monthFd);
      closeSync(keepFd);
    }
  }
  let zip: string | undefined;
  if (moved > 0 && !archivedBefore(marker, logDir, month)) {
    zip = nextArchiveName(logDir, month);
    if (!existsSync(archiveDir(logDir))) {
      mkdirSync(archiveDir(logDir), { recursive: true });
      claim(archiveDir(logDir));
    }
    const tmp = `${zip}.tmp`;
    const fd = openFresh(tmp, 0o640);
    try {
      // Streamed from the month's lines on disk into the zip on disk: a busy month is
      // never held in memory, neither as text nor as its compressed zip.
      const writer = new ZipWriter(
        new WritableStream<Uint8Array>({
          write(chunk) {
            for (let done = 0; done < chunk.length;) {
              done += writeSync(fd, chunk, done, chunk.length - done);
            }
          },
        }),
      );
      for (const name of files) {
        const body = Readable.toWeb(
          createReadStream(join(logDir, `${name}.month.tmp`)),
        ) as unknown as ReadableStream<Uint8Array>;
        await writer.add(`qmvc-${month}.${name.split(".")[1]}`, body, { lastModDate: now() });
      }
      await writer.close();
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    claim(tmp);
    renameSync(tmp, zip);
    writeFresh(marker, `${zip}\n`);
  }
  for (const name of files) {
    // The kept lines go back beside new deliveries, in chunks of whole lines, each one
    // O_APPEND write.
    let chunk: string[] = [];
    await eachFileLine(join(logDir, `${name}.keep.tmp`), (line) => {
      chunk.push(`${line}\n`);
      if (chunk.length === 1000) {
        appendLine(join(logDir, name), chunk.join(""));
        chunk = [];
      }
    });
    if (chunk.length) appendLine(join(logDir, name), chunk.join(""));
    // A live file this run created (no delivery came meanwhile) must stay writable by
    // the deliveries, which run as the log directory's owner.
    if (existsSync(join(logDir, name))) claim(join(logDir, name));
    for (const leftover of [`${name}.rotating`, `${name}.month.tmp`, `${name}.keep.tmp`]) {
      if (existsSync(join(logDir, leftover))) unlinkSync(join(logDir, leftover));
    }
  }
  if (lstatOrUndefined(marker)) unlinkSync(marker);
  return { zip, moved };
}

/** The local month of a line (TZ, like every period), "" when it has no time. */
export function monthOfLine(name: string, line: string): string {
  const text = name.endsWith(".log")
    ? line.slice(0, line.indexOf("\t"))
    : /"time":"([^"]+)"/.exec(line)?.[1] ?? "";
  const time = new Date(text);
  return Number.isNaN(time.getTime()) ? "" : monthOf(time);
}

/** Lines to a file descriptor, a few hundred KiB per write instead of one write a line. */
class LineWriter {
  private lines: string[] = [];
  private bytes = 0;
  constructor(private readonly fd: number) {}
  write(line: string): void {
    this.lines.push(line, "\n");
    this.bytes += line.length + 1;
    if (this.bytes >= 256 * 1024) this.flush();
  }
  flush(): void {
    if (this.lines.length) writeSync(this.fd, this.lines.join(""));
    this.lines = [];
    this.bytes = 0;
  }
}

function nextArchiveName(logDir: string, month: string): string {
  const dir = archiveDir(logDir);
  let path = join(dir, `qmvc-${month}.zip`);
  for (let n = 2; existsSync(path); n++) path = join(dir, `qmvc-${month}-${n}.zip`);
  return path;
}
