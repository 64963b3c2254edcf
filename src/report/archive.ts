import {
  closeSync,
  createReadStream,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import {
  BlobWriter,
  configure,
  TextWriter,
  Uint8ArrayReader,
  ZipReader,
  ZipWriter,
} from "@zip.js/zip.js";
import {
  appendLine,
  type IncidentRecord,
  type LogRecord,
  parseIncidentRecord,
  parseLogRecord,
} from "../log/mod.ts";

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

/** The log and incident records kept in one archive zip. */
export async function readArchive(
  path: string,
): Promise<{ records: LogRecord[]; incidents: IncidentRecord[] }> {
  const reader = new ZipReader(new Uint8ArrayReader(readFileSync(path)));
  const records: LogRecord[] = [];
  const incidents: IncidentRecord[] = [];
  try {
    for (const entry of await reader.getEntries()) {
      if (entry.directory) continue;
      const text = await entry.getData(new TextWriter());
      for (const line of text.split("\n")) {
        if (line === "") continue;
        try {
          if (entry.filename.endsWith(".log")) records.push(parseLogRecord(line));
          else if (entry.filename.endsWith(".rep")) incidents.push(parseIncidentRecord(line));
        } catch { /* a bad line in an archive is skipped, as in the live log */ }
      }
    }
  } finally {
    await reader.close();
  }
  return { records, incidents };
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
  now: () => Date,
): Promise<{ zip: string | undefined; moved: number }> {
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
    const monthFd = openSync(join(logDir, `${name}.month.tmp`), "w", 0o640);
    const keepFd = openSync(join(logDir, `${name}.keep.tmp`), "w", 0o640);
    try {
      if (existsSync(aside)) {
        const lines = createInterface({
          input: createReadStream(aside, { encoding: "utf8" }),
          crlfDelay: Infinity,
        });
        for await (const line of lines) {
          if (line === "") continue;
          const isMonth = monthOfLine(name, line) === month;
          writeSync(isMonth ? monthFd : keepFd, `${line}\n`);
          if (isMonth) moved++;
        }
      }
    } finally {
      closeSync(monthFd);
      closeSync(keepFd);
    }
  }
  let zip: string | undefined;
  if (moved > 0 && !existsSync(marker)) {
    zip = nextArchiveName(logDir, month);
    const writer = new ZipWriter(new BlobWriter("application/zip"));
    for (const name of files) {
      const body = readFileSync(join(logDir, `${name}.month.tmp`));
      await writer.add(`qmvc-${month}.${name.split(".")[1]}`, new Uint8ArrayReader(body), {
        lastModDate: now(),
      });
    }
    const bytes = new Uint8Array(await (await writer.close()).arrayBuffer());
    mkdirSync(archiveDir(logDir), { recursive: true });
    const tmp = `${zip}.tmp`;
    const fd = openSync(tmp, "w", 0o640);
    try {
      writeSync(fd, bytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, zip);
    writeFileSync(marker, `${zip}\n`);
  }
  for (const name of files) {
    // The kept lines go back beside new deliveries, in chunks of whole lines, each one
    // O_APPEND write.
    const keep = createInterface({
      input: createReadStream(join(logDir, `${name}.keep.tmp`), { encoding: "utf8" }),
      crlfDelay: Infinity,
    });
    let chunk: string[] = [];
    for await (const line of keep) {
      chunk.push(`${line}\n`);
      if (chunk.length === 1000) {
        appendLine(join(logDir, name), chunk.join(""));
        chunk = [];
      }
    }
    if (chunk.length) appendLine(join(logDir, name), chunk.join(""));
    for (const leftover of [`${name}.rotating`, `${name}.month.tmp`, `${name}.keep.tmp`]) {
      if (existsSync(join(logDir, leftover))) unlinkSync(join(logDir, leftover));
    }
  }
  if (existsSync(marker)) unlinkSync(marker);
  return { zip, moved };
}

function monthOfLine(name: string, line: string): string {
  if (name === "qmvc.log") return line.slice(0, 7);
  return /"time":"(\d{4}-\d{2})/.exec(line)?.[1] ?? "";
}

function nextArchiveName(logDir: string, month: string): string {
  const dir = archiveDir(logDir);
  let path = join(dir, `qmvc-${month}.zip`);
  for (let n = 2; existsSync(path); n++) path = join(dir, `qmvc-${month}-${n}.zip`);
  return path;
}
