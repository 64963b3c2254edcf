import {
  type IncidentRecord,
  type LogRecord,
  type LogVerdict,
  splitVirusNames,
} from "../log/mod.ts";

/** Counts over a stream of log records: what every report page is drawn from. */
export interface Summary {
  total: number;
  bytes: number;
  first: Date | undefined;
  last: Date | undefined;
  readonly byVerdict: Map<LogVerdict, number>;
  readonly byCondition: Map<string, number>;
  /** "YYYY-MM-DD" (UTC) to counts per verdict. */
  readonly byDay: Map<string, Map<LogVerdict, number>>;
  /** Scanner to counts per outcome. */
  readonly byScanner: Map<string, Map<string, number>>;
  /** Messages at least one scanner found infected (one message, however many scanners). */
  infectedMessages: number;
  /** Virus name to the number of messages it was found in (each name once per message). */
  readonly viruses: Map<string, number>;
  /** Scanner to virus name to hits: one message found by two scanners is a hit of each. */
  readonly virusesByScanner: Map<string, Map<string, number>>;
  readonly senders: Map<string, number>;
  readonly recipients: Map<string, number>;
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
    senders: new Map(),
    recipients: new Map(),
  };
}

function bump<K>(map: Map<K, number>, key: K, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

function nested<K, V>(map: Map<K, Map<V, number>>, key: K): Map<V, number> {
  let inner = map.get(key);
  if (!inner) map.set(key, inner = new Map());
  return inner;
}

/** "YYYY-MM-DD" of a time, in UTC like the log. */
export function dayOf(time: Date): string {
  return time.toISOString().slice(0, 10);
}

/** Count one record into the summary. */
export function addRecord(summary: Summary, record: LogRecord): void {
  summary.total++;
  summary.bytes += record.size;
  if (!summary.first || record.time < summary.first) summary.first = record.time;
  if (!summary.last || record.time > summary.last) summary.last = record.time;
  bump(summary.byVerdict, record.verdict);
  for (const c of record.conditions) bump(summary.byCondition, c);
  bump(nested(summary.byDay, dayOf(record.time)), record.verdict);
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
  readonly bySender: Map<string, number>;
  readonly byRecipient: Map<string, number>;
  readonly byLoaderType: Map<string, number>;
}

export function emptyIncidentSummary(): IncidentSummary {
  return {
    total: 0,
    byAction: new Map(),
    byCondition: new Map(),
    byVirus: new Map(),
    bySender: new Map(),
    byRecipient: new Map(),
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
