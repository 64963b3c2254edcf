import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { basename, join } from "node:path";
import {
  type IncidentRecord,
  type LogRecord,
  parseIncidentRecord,
  parseLogRecord,
} from "../log/mod.ts";
import { eachFileLine } from "./_each_line.ts";
import { allArchives, eachArchiveLine, monthOfLine } from "./archive.ts";
import { dayOf, nextMonthOf, previousMonthOf } from "./local_time.ts";

/** Where a profile's records are: the live files, their set-aside copies, the archives. */
export interface LogSources {
  readonly logDir: string;
  readonly log: string;
  readonly rep: string;
}

export interface PeriodOptions {
  /** Only these local months ("YYYY-MM"); every kept record when absent. */
  readonly months?: ReadonlySet<string> | undefined;
  readonly onProgress?: ((what: string, lines: number) => void) | undefined;
  readonly onBadLine?: ((file: string) => void) | undefined;
  /** Leave the month filter to the caller (which computes each line's day anyway). */
  readonly unfiltered?: boolean;
}

/**
 * The archives a period needs: those of its months and their neighbours (an archive
 * made by an older qmvc was cut in UTC, so a local month's edges can sit next door).
 */
function archivesFor(logDir: string, months: ReadonlySet<string> | undefined): string[] {
  const all = allArchives(logDir);
  if (!months) return all;
  const wanted = new Set<string>();
  for (const m of months) for (const n of [previousMonthOf(m), m, nextMonthOf(m)]) wanted.add(n);
  return all.filter((zip) => wanted.has(/qmvc-(\d{4}-\d{2})/.exec(basename(zip))?.[1] ?? ""));
}

/**
 * Every raw line of a period, streamed: the month archives it needs, then the files an
 * interrupted archiving set aside, then the live log. Lines outside `months` are skipped.
 * Returns the archives read, which the pages name.
 */
export async function eachPeriodLine(
  sources: LogSources,
  onLine: (kind: "log" | "rep", line: string) => void,
  options: PeriodOptions = {},
): Promise<string[]> {
  const months = options.unfiltered ? undefined : options.months;
  const keep = (kind: "log" | "rep", line: string) => {
    if (!months || months.has(monthOfLine(kind === "log" ? ".log" : ".rep", line))) {
      onLine(kind, line);
    }
  };
  const archives = archivesFor(sources.logDir, months);
  for (const zip of archives) await eachArchiveLine(zip, keep);
  // A `month` interrupted after its zip was made leaves a marker: that month's lines in
  // the set-aside files are in the zip already and must not be counted twice.
  const archivedAside = archivedMonthsAside(sources.logDir);
  for (const [kind, file] of [["log", sources.log], ["rep", sources.rep]] as const) {
    for (const path of [`${file}.rotating`, file]) {
      const aside = path.endsWith(".rotating") && archivedAside.size > 0;
      await eachFileLine(
        path,
        aside
          ? (line) => {
            if (!archivedAside.has(monthOfLine(kind === "log" ? ".log" : ".rep", line))) {
              keep(kind, line);
            }
          }
          : (line) => keep(kind, line),
        options.onProgress && ((n) => options.onProgress!(basename(path), n)),
      );
    }
  }
  return archives;
}

/** The months an interrupted `month` run archived but has not yet removed from the set-aside files. */
function archivedMonthsAside(logDir: string): Set<string> {
  let names: string[];
  try {
    names = readdirSync(logDir);
  } catch {
    return new Set();
  }
  return new Set(
    names.map((n) => /^qmvc\.rotating\.archived-(\d{4}-\d{2})$/.exec(n)?.[1]).filter((m) =>
      m !== undefined
    ),
  );
}

/** The records and incidents of a period, parsed; lines that are not records are counted. */
export function eachPeriodRecord(
  sources: LogSources,
  handlers: {
    readonly onRecord: (record: LogRecord) => void;
    readonly onIncident?: (incident: IncidentRecord) => void;
  },
  options: PeriodOptions = {},
): Promise<string[]> {
  return eachPeriodLine(sources, (kind, line) => {
    try {
      if (kind === "log") handlers.onRecord(parseLogRecord(line));
      else if (handlers.onIncident) handlers.onIncident(parseIncidentRecord(line));
    } catch {
      options.onBadLine?.(kind === "log" ? sources.log : sources.rep);
    }
  }, options);
}

/** Lines held per day before they are appended to that day's file. */
const FLUSH_LINES = 20_000;

/**
 * A period's lines split into one temporary file per local day and kind, so a month's
 * pages are built one day at a time: memory holds one day, never a month or a year.
 * The files go beside the pages (a year of a busy host is a few hundred MB), not into
 * /tmp, which is often a tmpfs and so memory too.
 */
export class DaySplit {
  readonly dir: string;
  private readonly buffers = new Map<string, string[]>();
  private buffered = 0;
  readonly days = new Set<string>();
  archives: string[] = [];

  private constructor(
    private readonly months: ReadonlySet<string> | undefined,
    parent: string,
  ) {
    mkdirSync(parent, { recursive: true });
    this.dir = mkdtempSync(join(parent, ".qmvc-split-"));
  }

  /** Split `sources` into day files in a new directory under `parent`. */
  static async of(
    sources: LogSources,
    options: PeriodOptions & { readonly parent: string },
  ): Promise<DaySplit> {
    const split = new DaySplit(options.months, options.parent);
    try {
      // The month filter is applied in add(), which computes each line's day anyway.
      split.archives = await eachPeriodLine(
        sources,
        (kind, line) => split.add(kind, line),
        { ...options, unfiltered: true },
      );
      split.flush();
    } catch (error) {
      split.remove();
      throw error;
    }
    return split;
  }

  private add(kind: "log" | "rep", line: string): void {
    const text = kind === "log"
      ? line.slice(0, line.indexOf("\t"))
      : /"time":"([^"]+)"/.exec(line)?.[1] ?? "";
    const time = new Date(text);
    if (Number.isNaN(time.getTime())) return;
    const day = dayOf(time);
    if (this.months && !this.months.has(day.slice(0, 7))) return;
    this.days.add(day);
    const key = `${day}.${kind}`;
    let buffer = this.buffers.get(key);
    if (!buffer) this.buffers.set(key, buffer = []);
    buffer.push(line);
    if (++this.buffered >= FLUSH_LINES) this.flush();
  }

  private flush(): void {
    for (const [key, lines] of this.buffers) {
      appendFileSync(join(this.dir, key), lines.join("\n") + "\n");
    }
    this.buffers.clear();
    this.buffered = 0;
  }

  /** One day's records in time order, and its incidents. */
  async day(day: string): Promise<{ records: LogRecord[]; incidents: IncidentRecord[] }> {
    const records: LogRecord[] = [];
    const incidents: IncidentRecord[] = [];
    await eachFileLine(join(this.dir, `${day}.log`), (line) => {
      try {
        records.push(parseLogRecord(line));
      } catch { /* counted by the reports that list bad lines */ }
    });
    await eachFileLine(join(this.dir, `${day}.rep`), (line) => {
      try {
        incidents.push(parseIncidentRecord(line));
      } catch { /* as above */ }
    });
    records.sort((a, b) => a.time.getTime() - b.time.getTime());
    incidents.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
    return { records, incidents };
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
