import {
  type IncidentRecord,
  type LogRecord,
  type LogVerdict,
  splitVirusNames,
} from "../log/mod.ts";
import { dayOf, localParts } from "./local_time.ts";

/** Counts over a stream of log records: what every report page is drawn from. */
export interface Summary {
  total: number;
  bytes: number;
  first: Date | undefined;
  last: Date | undefined;
  readonly byVerdict: Map<LogVerdict, number>;
  readonly byCondition: Map<string, number>;
  /** "YYYY-MM-DD" (local time) to counts per verdict. */
  readonly byDay: Map<string, Map<LogVerdict, number>>;
  /** Scanner to counts per outcome. */
  readonly byScanner: Map<string, Map<string, number>>;
  /** Messages at least one scanner found infected (one message, however many scanners). */
  infectedMessages: number;
  /** Virus name to the number of messages it was found in (each name once per message). */
  readonly viruses: Map<string, number>;
  /** Scanner to virus name to hits: one message found by two scanners is a hit of each. */
  readonly virusesByScanner: Map<string, Map<string, number>>;
  readonly senders: Ranking;
  readonly recipients: Ranking;
  readonly senderDomains: Ranking;
  readonly recipientDomains: Ranking;
  /** Messages per weekday (0 = Monday) and hour, local time: 7 x 24 counts. */
  readonly byWeekdayHour: number[];
  /** Messages per local day and hour: 24 counts a day (a year is 8,760 numbers). */
  readonly byDayHour: Map<string, number[]>;
  /** Why deliveries were deferred, as far as the log line tells. */
  readonly deferReasons: Map<string, number>;
  /** Scanner to a histogram of the delivery times (ms) of the messages it scanned. */
  readonly scanTimes: Map<string, number[]>;
}

export function emptySummary(): Summary {
  return {
    total: 0,
    bytes: 0,
    first: undefined,
    last: undefined,
    byVerdict: new Map(),
    byCondition: new Map(),
    byDay: new Map(),
    byScanner: new Map(),
    infectedMessages: 0,
    viruses: new Map(),
    virusesByScanner: new Map(),
    senders: new Ranking(),
    recipients: new Ranking(),
    senderDomains: new Ranking(),
    recipientDomains: new Ranking(),
    byWeekdayHour: new Array<number>(7 * 24).fill(0),
    byDayHour: new Map(),
    deferReasons: new Map(),
    scanTimes: new Map(),
  };
}

/**
 * Distinct keys a ranking (senders, recipients, their domains) keeps: a year of spam can
 * bring millions of distinct senders, and memory must stay bounded. Past this, the rarest
 * half is dropped and the ranking says its counts are approximate.
 */
export const MAX_RANKED_KEYS = 50_000;

/** Counts per key for a top-N list, in bounded memory (see MAX_RANKED_KEYS). */
export class Ranking extends Map<string, number> {
  /** The highest count ever dropped: 0 while every count is exact. */
  dropped = 0;

  constructor(private readonly limit = MAX_RANKED_KEYS) {
    super();
  }

  override set(key: string, value: number): this {
    const added = !this.has(key);
    super.set(key, value);
    if (added && this.size > this.limit) this.prune();
    return this;
  }

  private prune(): void {
    const counts = [...this.values()].sort((a, b) => a - b);
    const threshold = counts[Math.floor(counts.length / 2)]!;
    for (const [key, n] of this) if (n <= threshold) this.delete(key);
    this.dropped = Math.max(this.dropped, threshold);
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * A string of its own. A field cut from a log line can share the memory of the whole
 * chunk the line was read in (JavaScriptCore keeps substrings as views), so a key kept
 * for the run must not be that view: 50,000 kept senders would hold the whole log.
 */
function ownCopy<K>(key: K): K {
  return typeof key === "string" ? decoder.decode(encoder.encode(key)) as K : key;
}

function bump<K>(map: Map<K, number>, key: K, by = 1): void {
  const count = map.get(key);
  map.set(count === undefined ? ownCopy(key) : key, (count ?? 0) + by);
}

function nested<K, V>(map: Map<K, Map<V, number>>, key: K): Map<V, number> {
  let inner = map.get(key);
  if (!inner) map.set(ownCopy(key), inner = new Map());
  return inner;
}

export { dayOf };

/**
 * Scan times are counted in buckets 5 % wide, so percentiles over millions of deliveries
 * take a few hundred counters, not a list of every time.
 */
const BUCKET_GROWTH = 1.05;

function bucketOf(ms: number): number {
  return Math.floor(Math.log(ms + 1) / Math.log(BUCKET_GROWTH));
}

/** The p-th percentile (0-100) of a histogram: the upper bound of its bucket, in ms. */
export function percentile(histogram: readonly number[], p: number): number {
  const total = histogram.reduce((a, b) => a + (b ?? 0), 0);
  if (total === 0) return 0;
  const rank = Math.ceil((p / 100) * total);
  let seen = 0;
  for (let i = 0; i < histogram.length; i++) {
    seen += histogram[i] ?? 0;
    if (seen >= rank) return Math.max(0, Math.round(BUCKET_GROWTH ** (i + 1) - 1));
  }
  return 0;
}

/** The domain of an address, lower case; "<>" for the null sender. */
export function domainOf(address: string): string {
  if (address === "" || address === "<>") return "<>";
  const at = address.lastIndexOf("@");
  return at >= 0 ? address.slice(at + 1).toLowerCase() : "(no domain)";
}

/** Why a deferred delivery was deferred, from what its log line records. */
export function deferReason(record: LogRecord): string {
  const failed = record.scans.find((s) => s.outcome === "failed" || s.outcome === "unchecked");
  if (failed) {
    return `${failed.scanner} ${failed.outcome}${failed.detail ? `: ${failed.detail}` : ""}`;
  }
  if (record.noScanner) return "virus check wanted, no scanner configured";
  if (record.parts === 0) return "message not read (profile, control file or I/O error)";
  return "deferred after analysis (see the filter's stderr)";
}

/** Count one record into the summary. */
export function addRecord(summary: Summary, record: LogRecord): void {
  summary.total++;
  summary.bytes += record.size;
  if (!summary.first || record.time < summary.first) summary.first = record.time;
  if (!summary.last || record.time > summary.last) summary.last = record.time;
  bump(summary.byVerdict, record.verdict);
  for (const c of record.conditions) bump(summary.byCondition, c);
  const local = localParts(record.time);
  bump(nested(summary.byDay, local.day), record.verdict);
  const names = new Set<string>();
  for (const scan of record.scans) {
    bump(nested(summary.byScanner, scan.scanner), scan.outcome);
    if (scan.outcome === "infected") {
      for (const name of new Set(splitVirusNames(scan.detail))) {
        names.add(name);
        bump(nested(summary.virusesByScanner, scan.scanner), name);
      }
    }
  }
  if (record.scans.some((scan) => scan.outcome === "infected")) summary.infectedMessages++;
  for (const name of names) bump(summary.viruses, name);
  bump(summary.senders, record.sender || "<>");
  bump(summary.recipients, record.recipient);
  bump(summary.senderDomains, domainOf(record.sender));
  bump(summary.recipientDomains, domainOf(record.recipient));
  summary.byWeekdayHour[local.weekday * 24 + local.hour]!++;
  let hours = summary.byDayHour.get(local.day);
  if (!hours) summary.byDayHour.set(local.day, hours = new Array<number>(24).fill(0));
  hours[local.hour]!++;
  if (record.verdict === "defer") bump(summary.deferReasons, deferReason(record));
  for (const scanner of new Set(record.scans.map((s) => s.scanner))) {
    let histogram = summary.scanTimes.get(scanner);
    if (!histogram) summary.scanTimes.set(ownCopy(scanner), histogram = []);
    const bucket = bucketOf(record.milliseconds);
    histogram[bucket] = (histogram[bucket] ?? 0) + 1;
  }
}

/** The `n` largest entries, largest first, ties by key. */
export function top<K extends string>(map: ReadonlyMap<K, number>, n: number): [K, number][] {
  return [...map.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, n);
}

/** Counts over incidents: by virus, sender and recipient (virulator). */
export interface IncidentSummary {
  total: number;
  readonly byAction: Map<string, number>;
  readonly byCondition: Map<string, number>;
  readonly byVirus: Map<string, number>;
  readonly bySender: Ranking;
  readonly byRecipient: Ranking;
  readonly byLoaderType: Map<string, number>;
}

export function emptyIncidentSummary(): IncidentSummary {
  return {
    total: 0,
    byAction: new Map(),
    byCondition: new Map(),
    byVirus: new Map(),
    bySender: new Ranking(),
    byRecipient: new Ranking(),
    byLoaderType: new Map(),
  };
}

export function addIncident(summary: IncidentSummary, incident: IncidentRecord): void {
  summary.total++;
  bump(summary.byAction, incident.action);
  for (const c of incident.conditions) bump(summary.byCondition, c);
  for (const v of new Set(incident.viruses)) bump(summary.byVirus, v);
  bump(summary.bySender, incident.sender || "<>");
  bump(summary.byRecipient, incident.recipient);
  for (const p of incident.parts) {
    if (p.loaderType) bump(summary.byLoaderType, p.loaderType.split(" ")[0]!);
  }
}
