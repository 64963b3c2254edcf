import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import {
  type IncidentRecord,
  type LogRecord,
  readIncidentRecords,
  readLogRecords,
} from "../log/mod.ts";
import { Anonymizer } from "./anonymizer.ts";
import { archiveMonth, monthArchives, readArchive } from "./archive.ts";
import {
  calendarPage,
  dayPage,
  log2htmlPage,
  monthPage,
  portalPage,
  virulatorPage,
} from "./pages.ts";
import {
  parseReportArgs,
  progress,
  progressDone,
  type ReportArgs,
  type ReportIo,
} from "./report_args.ts";
import {
  addIncident,
  addRecord,
  dayOf,
  emptyIncidentSummary,
  emptySummary,
  type Summary,
} from "./summary.ts";

type Status = 0 | 1 | 2;

const HELP: Readonly<Record<string, string>> = {
  log2html:
    `Usage: qmvc log2html [-u | -c BASEDIR] [--log FILE] [--out FILE] [--limit N] [--anonymize]

The log as one HTML page: totals, a chart of messages per day by verdict, and the
newest N deliveries (5000 by default) in a table filterable by verdict and condition
(CSS only, no script). Written to stdout, or to FILE with --out.
`,
  virulator:
    `Usage: qmvc virulator [-u | -c BASEDIR] [--log FILE] [--rep FILE] [--out FILE] [--anonymize]

Incidents by virus, sender and recipient, and the hit list of each scanner, from
qmvc.log and qmvc.rep. Written to stdout, or to FILE with --out.
`,
  month: `Usage: qmvc month [YYYY-MM] [-u | -c BASEDIR] [--out DIR] [--no-archive] [--anonymize]

The monthly overview (default: last month) in DIR/YYYY-MM/index.html with a page
per day (DIR defaults to the profile's reports/). Then the month's lines are moved
from qmvc.log and qmvc.rep into log/archive/qmvc-YYYY-MM.zip; the zip is durable
before anything is removed. --no-archive leaves the logs alone.
`,
  calendar: `Usage: qmvc calendar [YYYY] [-u | -c BASEDIR] [--out DIR] [--anonymize]

The year (default: this year) as a calendar in DIR/YYYY.html, every day with mail
linked to its day page; the month and day pages are (re)written too.
`,
  portal: `Usage: qmvc portal --out FILE [--anonymize] PROFILE_DIR...

One index over several profiles (e.g. one per virtual domain): messages, verdicts
and viruses of each, linked to its calendar in PROFILE_DIR/reports.
`,
};

/** Run one report command by name. */
export async function runReport(
  name: string,
  argv: readonly string[],
  io: ReportIo,
): Promise<Status> {
  const args = parseReportArgs(argv, io.env);
  if (typeof args === "string") {
    io.stderr(`qmvc ${name}: ${args}; see qmvc help ${name}\n`);
    return 2;
  }
  if (args.help) {
    io.stdout(HELP[name] ?? "");
    return 0;
  }
  try {
    switch (name) {
      case "log2html":
        return await log2html(args, io);
      case "virulator":
        return await virulator(args, io);
      case "month":
        return await month(args, io);
      case "calendar":
        return await calendar(args, io);
      case "portal":
        return await portal(args, io);
      default:
        io.stderr(`qmvc: unknown report "${name}"\n`);
        return 2;
    }
  } catch (error) {
    progressDone(io);
    io.stderr(`qmvc ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

/** Write a page atomically (temporary name, rename), so a reader never sees half of one. */
function writePage(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

function output(args: ReportArgs, io: ReportIo, text: string): void {
  if (args.out) writePage(args.out, text);
  else io.stdout(text);
}

async function log2html(args: ReportArgs, io: ReportIo): Promise<Status> {
  const summary = emptySummary();
  const recent: LogRecord[] = [];
  let bad = 0;
  for await (
    const record of readLogRecords(args.log, {
      onProgress: progress(io, basename(args.log)),
      onBadLine: () => bad++,
    })
  ) {
    addRecord(summary, record);
    recent.push(record);
    if (recent.length > args.limit) recent.shift();
  }
  progressDone(io);
  if (bad) {
    io.stderr(
      `qmvc log2html: ${bad} line(s) of ${args.log} are not log records and were skipped\n`,
    );
  }
  output(
    args,
    io,
    log2htmlPage(summary, recent, {
      anon: new Anonymizer(args.anonymize),
      now: io.now(),
      limit: args.limit,
    }),
  );
  return 0;
}

async function virulator(args: ReportArgs, io: ReportIo): Promise<Status> {
  const summary = emptySummary();
  for await (
    const record of readLogRecords(args.log, { onProgress: progress(io, basename(args.log)) })
  ) addRecord(summary, record);
  const incidents = emptyIncidentSummary();
  const latest: IncidentRecord[] = [];
  for await (
    const incident of readIncidentRecords(args.rep, {
      onProgress: progress(io, basename(args.rep)),
    })
  ) {
    addIncident(incidents, incident);
    latest.push(incident);
    if (latest.length > 200) latest.shift();
  }
  progressDone(io);
  output(
    args,
    io,
    virulatorPage(summary, incidents, [...latest].reverse(), {
      anon: new Anonymizer(args.anonymize),
      now: io.now(),
    }),
  );
  return 0;
}

/** Every record and incident of one month: the live files and the month's archives. */
type MonthData = { records: LogRecord[]; incidents: IncidentRecord[] };

/**
 * Every record and incident of the given months: their archives, and one pass over the
 * live files (and any set-aside by an interrupted rotation), however many months.
 */
async function monthsData(
  args: ReportArgs,
  io: ReportIo,
  months: readonly string[],
): Promise<Map<string, MonthData>> {
  const data = new Map<string, MonthData>(months.map((m) => [m, { records: [], incidents: [] }]));
  for (const [month, into] of data) {
    for (const zip of monthArchives(args.logDir, month)) {
      const archived = await readArchive(zip);
      into.records.push(...archived.records);
      into.incidents.push(...archived.incidents);
    }
  }
  for (const file of [args.log, `${args.log}.rotating`]) {
    for await (const r of readLogRecords(file, { onProgress: progress(io, basename(file)) })) {
      data.get(r.time.toISOString().slice(0, 7))?.records.push(r);
    }
  }
  for (const file of [args.rep, `${args.rep}.rotating`]) {
    for await (const i of readIncidentRecords(file)) {
      data.get(i.time.slice(0, 7))?.incidents.push(i);
    }
  }
  progressDone(io);
  for (const { records, incidents } of data.values()) {
    records.sort((a, b) => a.time.getTime() - b.time.getTime());
    incidents.sort((a, b) => (a.time < b.time ? -1 : 1));
  }
  return data;
}

function writeMonthPages(
  dir: string,
  month: string,
  data: MonthData,
  args: ReportArgs,
  io: ReportIo,
): Summary {
  const anon = new Anonymizer(args.anonymize);
  const summary = emptySummary();
  const byDay = new Map<string, LogRecord[]>();
  for (const r of data.records) {
    addRecord(summary, r);
    const day = dayOf(r.time);
    if (!byDay.has(day)) byDay.set(day, []);
    byDay.get(day)!.push(r);
  }
  writePage(join(dir, month, "index.html"), monthPage(month, summary, { now: io.now(), anon }));
  for (const [day, records] of byDay) {
    const incidents = data.incidents.filter((i) => i.time.startsWith(day));
    writePage(
      join(dir, month, `${day}.html`),
      dayPage(day, records, incidents, { now: io.now(), anon }),
    );
  }
  return summary;
}

async function month(args: ReportArgs, io: ReportIo): Promise<Status> {
  const wanted = args.positionals[0] ?? previousMonth(io.now());
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(wanted)) {
    io.stderr(`qmvc month: "${wanted}" is not a month; write it as YYYY-MM, e.g. 2026-10\n`);
    return 2;
  }
  const dir = args.out ?? args.reportDir;
  const data = (await monthsData(args, io, [wanted])).get(wanted)!;
  const summary = writeMonthPages(dir, wanted, data, args, io);
  io.stdout(
    `qmvc month: ${summary.total} deliveries of ${wanted} in ${join(dir, wanted, "index.html")}\n`,
  );
  if (!args.noArchive) {
    const archived = await archiveMonth(args.logDir, wanted, io.now);
    if (archived.zip) {
      io.stdout(
        `qmvc month: ${archived.moved} log lines of ${wanted} moved into ${archived.zip}\n`,
      );
    }
  }
  return 0;
}

async function calendar(args: ReportArgs, io: ReportIo): Promise<Status> {
  const year = args.positionals[0] ?? String(io.now().getUTCFullYear());
  if (!/^\d{4}$/.test(year)) {
    io.stderr(`qmvc calendar: "${year}" is not a year; write it as YYYY\n`);
    return 2;
  }
  const dir = args.out ?? args.reportDir;
  const counts = new Map<string, number>();
  const months = Array.from({ length: 12 }, (_, m) => `${year}-${String(m + 1).padStart(2, "0")}`);
  for (const [key, data] of await monthsData(args, io, months)) {
    if (data.records.length === 0) continue;
    const summary = writeMonthPages(dir, key, data, args, io);
    for (const [day, verdicts] of summary.byDay) {
      counts.set(day, [...verdicts.values()].reduce((a, b) => a + b, 0));
    }
  }
  writePage(join(dir, `${year}.html`), calendarPage(year, counts, { now: io.now() }));
  io.stdout(`qmvc calendar: ${join(dir, `${year}.html`)}\n`);
  return 0;
}

async function portal(args: ReportArgs, io: ReportIo): Promise<Status> {
  if (!args.out || args.positionals.length === 0) {
    io.stderr(
      "qmvc portal: Name the output file and the profile directories: qmvc portal --out index.html /var/qmvc/example.org ...\n",
    );
    return 2;
  }
  const year = String(io.now().getUTCFullYear());
  const profiles = [];
  for (const profileDir of args.positionals) {
    const summary = emptySummary();
    for await (
      const r of readLogRecords(join(profileDir, "log/qmvc.log"), {
        onProgress: progress(io, profileDir),
      })
    ) addRecord(summary, r);
    const calendarFile = join(profileDir, "reports", `${year}.html`);
    const href = relative(dirname(resolve(args.out)), resolve(calendarFile));
    profiles.push({
      name: basename(resolve(profileDir)),
      href: existsSync(calendarFile)
        ? href
        : relative(dirname(resolve(args.out)), resolve(profileDir)),
      summary,
    });
  }
  progressDone(io);
  writePage(args.out, portalPage(profiles, { now: io.now() }));
  io.stdout(`qmvc portal: ${profiles.length} profile(s) in ${args.out}\n`);
  return 0;
}

function previousMonth(now: Date): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return d.toISOString().slice(0, 7);
}
