import { releaseMemory } from "../profile/mod.ts";
import { chownSync, existsSync, mkdirSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { loadNotificationSecret } from "../act/mod.ts";
import { type IncidentRecord, isWritableByOthers, type LogRecord, writeFresh } from "../log/mod.ts";
import { Anonymizer } from "./anonymizer.ts";
import { archiveMonth, lstatOrUndefined } from "./archive.ts";
import { monthOf, previousMonthOf } from "./local_time.ts";
import { ownerClaim, ownerProblem } from "./ownership.ts";
import {
  calendarPage,
  dayPage,
  log2htmlPage,
  monthPage,
  type PageContext,
  portalPage,
  type PortalProfile,
  virulatorPage,
} from "./pages.ts";
import { DaySplit, eachPeriodRecord, type LogSources } from "./period.ts";
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
  emptyIncidentSummary,
  emptySummary,
  type Summary,
} from "./summary.ts";

type Status = 0 | 1 | 2;

/** A missing input: said in one line, exit 1, never an all-zero page. */
class MissingInput extends Error {}

const HELP: Readonly<Record<string, string>> = {
  log2html:
    `Usage: qmvc log2html [-u | -c BASEDIR] [--log FILE] [--out FILE] [--limit N] [--anonymize]

The log as one HTML page over the live log and every month archive: totals with
shares, messages per day (every day, empty ones too) and per weekday and hour,
domains, defer reasons, scanners, and the newest N deliveries (5000 by default) in a
table filterable by verdict and condition (CSS only) and searchable (a small script).
Written to stdout, or to FILE with --out. --anonymize masks addresses with a keyed
hash of the profile's secret: the same mask on every page and in every run.
`,
  virulator:
    `Usage: qmvc virulator [-u | -c BASEDIR] [--log FILE] [--rep FILE] [--out FILE] [--anonymize]

Incidents by virus, sender and recipient, and the hit list of each scanner, from
qmvc.log and qmvc.rep and their month archives; each quarantined incident shows its
quarantine ID (for qmvc quarantine show ID). Written to stdout, or to FILE with --out.
`,
  month:
    `Usage: qmvc month [YYYY-MM] [-u | -c BASEDIR] [--out DIR] [--no-archive] [--force] [--anonymize] [-v]

The monthly overview (default: last month) in DIR/YYYY-MM/index.html with a page
per day (DIR defaults to the profile's reports/). Then the month's lines are moved
from qmvc.log and qmvc.rep into log/archive/qmvc-YYYY-MM.zip; the zip is durable
before anything is removed. --no-archive leaves the logs alone. A month that is not
over is not archived unless --force. Months are cut in local time (TZ). Run as root,
the files it creates get the owner of the profile's log directory. Quiet unless -v.
`,
  calendar: `Usage: qmvc calendar [YYYY] [-u | -c BASEDIR] [--out DIR] [--anonymize] [-v]

The year as a calendar in DIR/YYYY.html, every day with mail linked to its day page;
the month and day pages are (re)written too, from the live log and the archives. The
default year is that of the last complete month, so the cron run on 1 January
completes the old year. Quiet unless -v.
`,
  portal: `Usage: qmvc portal --out FILE [-v] PROFILE_DIR...

One index over several profiles (e.g. one per virtual domain): messages, verdicts
and viruses of each over its live log and archives, a totals row, and links to the
calendar, log.html and virulator.html in PROFILE_DIR/reports when they exist.
Quiet unless -v.
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
    const text = error instanceof Error ? error.message : String(error);
    io.stderr(`qmvc ${name}: ${text}\n`);
    return 1;
  }
}

/** Write a page atomically (temporary name, rename), so a reader never sees half of one. */
function writePage(path: string, text: string, claim: (path: string) => void = () => {}): void {
  ensureDir(dirname(path), claim);
  // Anything but a regular file (/dev/stdout, a symlink an admin set up) is written
  // through, never replaced by a rename; but not in a folder others may write, where such
  // a name may be another user's trap (it is replaced by the page).
  const existing = lstatOrUndefined(path);
  if (existing && !existing.isFile() && !isWritableByOthers(dirname(path))) {
    writeFileSync(path, text);
    return;
  }
  writeFresh(`${path}.tmp`, text, 0o644);
  claim(`${path}.tmp`);
  renameSync(`${path}.tmp`, path);
}

/** The directory pages go to, made (and handed to the profile's owner) if missing. */
function ensureDir(dir: string, claim: (path: string) => void): void {
  if (existsSync(dir)) return;
  mkdirSync(dir, { recursive: true });
  claim(dir);
}

function output(args: ReportArgs, io: ReportIo, text: string): void {
  if (args.out) writePage(args.out, text, ownerClaim(args.home, args.logDir));
  else io.stdout(text);
}

/**
 * The inputs must exist: a mistyped --log or profile gives one clear line and exit 1, not
 * a report of zeros. An existing log directory without a live log (nothing delivered
 * since archiving) is an empty period, and gives the zero page.
 */
function requireInputs(args: ReportArgs): LogSources {
  const named = [args.explicitLog ? args.log : "", args.explicitRep ? args.rep : ""];
  for (const file of named.filter((f) => f !== "")) {
    if (!existsSync(file)) throw new MissingInput(`Cannot read "${file}": no such file`);
  }
  if (!args.explicitLog && !existsSync(args.logDir)) {
    throw new MissingInput(
      `Cannot read the logs: "${args.logDir}" does not exist; name the profile with -c DIR or -u, or a log with --log FILE`,
    );
  }
  return { logDir: args.logDir, log: args.log, rep: args.rep };
}

/** The profile's secret keys the masks, so they are the same on every page and every run. */
function anonymizerFor(args: ReportArgs): Anonymizer {
  if (!args.anonymize) return new Anonymizer(undefined);
  const path = join(args.home, "secret");
  const existed = existsSync(path);
  let secret: Uint8Array;
  try {
    secret = loadNotificationSecret(path);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `Cannot ${
        existed ? "read" : "create"
      } the profile's secret "${path}", which keys the --anonymize masks: ${reason}`,
    );
  }
  if (!existed && process.getuid?.() === 0) {
    // Created by root for a profile owned by someone else: the deliveries need it too.
    const owner = statSync(args.home);
    chownSync(path, owner.uid, owner.gid);
  }
  return new Anonymizer(secret);
}

function context(args: ReportArgs, io: ReportIo, archives: readonly string[]): PageContext {
  return { anon: anonymizerFor(args), now: io.now(), profile: args.profileName, archives };
}

function progressOf(io: ReportIo) {
  return io.isTTY ? (what: string, n: number) => progress(io, what)?.(n) : undefined;
}

/** Keep the newest `limit` items by time in bounded memory, whatever order they come in. */
class Newest<T> {
  private items: T[] = [];
  constructor(private readonly limit: number, private readonly time: (item: T) => number) {}
  add(item: T): void {
    this.items.push(item);
    if (this.items.length >= this.limit * 2) this.trim();
  }
  private trim(): void {
    this.items.sort((a, b) => this.time(b) - this.time(a));
    this.items.length = Math.min(this.items.length, this.limit);
  }
  /** Newest first. */
  list(): T[] {
    this.trim();
    return this.items;
  }
}

async function log2html(args: ReportArgs, io: ReportIo): Promise<Status> {
  const sources = requireInputs(args);
  const summary = emptySummary();
  // Newest by time, not by place in the file: deliveries made while `qmvc month` was
  // archiving sit above the lines it put back.
  const recent = new Newest<LogRecord>(args.limit, (r) => r.time.getTime());
  let bad = 0;
  const archives = await eachPeriodRecord(sources, {
    onRecord: (record) => {
      addRecord(summary, record);
      recent.add(record);
    },
  }, { onProgress: progressOf(io), onBadLine: () => bad++ });
  progressDone(io);
  if (bad) {
    io.stderr(
      `qmvc log2html: ${bad} line(s) of ${args.log} are not log records and were skipped\n`,
    );
  }
  output(
    args,
    io,
    log2htmlPage(summary, recent.list(), { ...context(args, io, archives), limit: args.limit }),
  );
  return 0;
}

async function virulator(args: ReportArgs, io: ReportIo): Promise<Status> {
  const sources = requireInputs(args);
  const summary = emptySummary();
  const incidents = emptyIncidentSummary();
  const latest = new Newest<IncidentRecord>(200, (i) => Date.parse(i.time));
  const archives = await eachPeriodRecord(sources, {
    onRecord: (record) => addRecord(summary, record),
    onIncident: (incident) => {
      addIncident(incidents, incident);
      latest.add(incident);
    },
  }, { onProgress: progressOf(io) });
  progressDone(io);
  output(args, io, virulatorPage(summary, incidents, latest.list(), context(args, io, archives)));
  return 0;
}

/** The summary of one month from a day split, without writing pages; none without days. */
async function monthSummary(split: DaySplit, month: string): Promise<Summary | undefined> {
  if (![...split.days].some((d) => d.startsWith(month))) return undefined;
  const summary = emptySummary();
  for (const day of [...split.days].filter((d) => d.startsWith(month)).sort()) {
    for (const r of (await split.day(day)).records) addRecord(summary, r);
  }
  return summary;
}

/** A month's index and day pages, one day in memory at a time. */
async function writeMonthPages(
  dir: string,
  month: string,
  split: DaySplit,
  options: {
    ctx: PageContext;
    claim: (path: string) => void;
    /** The month before, for the trend; undefined when the logs do not reach back to it. */
    previous: Summary | undefined;
  },
): Promise<Summary> {
  const summary = emptySummary();
  for (const day of [...split.days].filter((d) => d.startsWith(month)).sort()) {
    const { records, incidents } = await split.day(day);
    for (const r of records) addRecord(summary, r);
    if (records.length === 0 && incidents.length === 0) continue;
    writePage(
      join(dir, month, `${day}.html`),
      dayPage(day, records, incidents, options.ctx),
      options.claim,
    );
    releaseMemory();
  }
  const before = options.previous
    ? { label: previousMonthOf(month), summary: options.previous }
    : undefined;
  writePage(
    join(dir, month, "index.html"),
    monthPage(month, summary, { ...options.ctx, previous: before }),
    options.claim,
  );
  return summary;
}

async function month(args: ReportArgs, io: ReportIo): Promise<Status> {
  const now = io.now();
  const wanted = args.positionals[0] ?? previousMonthOf(monthOf(now));
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(wanted)) {
    io.stderr(`qmvc month: "${wanted}" is not a month; write it as YYYY-MM, e.g. 2026-10\n`);
    return 2;
  }
  if (wanted >= monthOf(now) && !args.noArchive && !args.force) {
    io.stderr(
      `qmvc month: ${wanted} is not over yet (it is ${
        monthOf(now)
      } in ${Intl.DateTimeFormat().resolvedOptions().timeZone}); archiving it now would split it; use --no-archive for its pages, or --force\n`,
    );
    return 1;
  }
  const sources = requireInputs(args);
  if (!args.noArchive) {
    const problem = ownerProblem(args.logDir);
    if (problem) throw new Error(problem);
  }
  const claim = ownerClaim(args.home, args.logDir);
  const dir = args.out ?? args.reportDir;
  ensureDir(dir, claim);
  const split = await DaySplit.of(sources, {
    parent: dir,
    months: new Set([wanted, previousMonthOf(wanted)]),
    onProgress: progressOf(io),
  });
  let summary: Summary;
  try {
    progressDone(io);
    summary = await writeMonthPages(dir, wanted, split, {
      ctx: context(args, io, split.archives),
      claim,
      previous: await monthSummary(split, previousMonthOf(wanted)),
    });
  } finally {
    split.remove();
  }
  if (args.verbose) {
    io.stdout(
      `qmvc month: ${summary.total} deliveries of ${wanted} in ${
        join(dir, wanted, "index.html")
      }\n`,
    );
  }
  if (!args.noArchive) {
    const archived = await archiveMonth(args.logDir, wanted, { now: io.now, claim });
    if (archived.zip && args.verbose) {
      io.stdout(
        `qmvc month: ${archived.moved} log lines of ${wanted} moved into ${archived.zip}\n`,
      );
    }
  }
  return 0;
}

/**
 * The year `calendar` shows by default: that of the last complete month (local time), so
 * the cron run on 1 January, after `month` archived December, completes the old year.
 */
export function defaultCalendarYear(now: Date): string {
  return previousMonthOf(monthOf(now)).slice(0, 4);
}

async function calendar(args: ReportArgs, io: ReportIo): Promise<Status> {
  const year = args.positionals[0] ?? defaultCalendarYear(io.now());
  if (!/^\d{4}$/.test(year)) {
    io.stderr(`qmvc calendar: "${year}" is not a year; write it as YYYY\n`);
    return 2;
  }
  const sources = requireInputs(args);
  const claim = ownerClaim(args.home, args.logDir);
  const dir = args.out ?? args.reportDir;
  const months = Array.from({ length: 12 }, (_, m) => `${year}-${String(m + 1).padStart(2, "0")}`);
  ensureDir(dir, claim);
  const split = await DaySplit.of(sources, {
    parent: dir,
    months: new Set([previousMonthOf(months[0]!), ...months]),
    onProgress: progressOf(io),
  });
  progressDone(io);
  const counts = new Map<string, number>();
  try {
    const ctx = context(args, io, split.archives);
    // Each month's summary is the next one's "month before": every day is read once.
    let previous = await monthSummary(split, previousMonthOf(months[0]!));
    for (const key of months) {
      if (![...split.days].some((d) => d.startsWith(key))) {
        previous = undefined;
        continue;
      }
      const summary = await writeMonthPages(dir, key, split, { ctx, claim, previous });
      previous = summary;
      for (const [day, verdicts] of summary.byDay) {
        counts.set(day, [...verdicts.values()].reduce((a, b) => a + b, 0));
      }
    }
    writePage(join(dir, `${year}.html`), calendarPage(year, counts, ctx), claim);
  } finally {
    split.remove();
  }
  if (args.verbose) io.stdout(`qmvc calendar: ${join(dir, `${year}.html`)}\n`);
  return 0;
}

/** The reports of a profile a portal links to, those that exist, named as the README's crontab makes them. */
function profileLinks(profileDir: string, from: string, year: string): PortalProfile["links"] {
  const reports = join(profileDir, "reports");
  return [
    ["calendar", `${year}.html`],
    ["log", "log.html"],
    ["virulator", "virulator.html"],
  ].filter(([, file]) => existsSync(join(reports, file!))).map(([label, file]) => ({
    label: label!,
    href: relative(from, resolve(reports, file!)),
  }));
}

async function portal(args: ReportArgs, io: ReportIo): Promise<Status> {
  if (!args.out || args.positionals.length === 0) {
    io.stderr(
      "qmvc portal: Name the output file and the profile directories: qmvc portal --out index.html /var/qmvc/example.org ...\n",
    );
    return 2;
  }
  for (const profileDir of args.positionals) {
    if (!existsSync(join(profileDir, "log"))) {
      throw new MissingInput(
        `Cannot read profile "${profileDir}": ${
          existsSync(profileDir) ? "it has no log/ directory" : "no such directory"
        }`,
      );
    }
  }
  const year = String(io.now().getFullYear());
  const from = dirname(resolve(args.out));
  const total = emptySummary();
  const profiles: PortalProfile[] = [];
  for (const profileDir of args.positionals) {
    const summary = emptySummary();
    const logDir = join(profileDir, "log");
    await eachPeriodRecord(
      { logDir, log: join(logDir, "qmvc.log"), rep: join(logDir, "qmvc.rep") },
      {
        onRecord: (r) => {
          addRecord(summary, r);
          addRecord(total, r);
        },
      },
      { onProgress: progressOf(io) },
    );
    profiles.push({
      name: resolve(profileDir).split("/").pop() ?? profileDir,
      summary,
      links: profileLinks(profileDir, from, year),
    });
  }
  progressDone(io);
  writePage(args.out, portalPage(profiles, { now: io.now(), total }));
  if (args.verbose) io.stdout(`qmvc portal: ${profiles.length} profile(s) in ${args.out}\n`);
  return 0;
}
