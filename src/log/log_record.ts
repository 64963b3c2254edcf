import { logSafe, logUnsafe } from "./log_safe.ts";

/** The verdicts a log line can carry: an action taken, or a deferral. */
export const LOG_VERDICTS = [
  "pass",
  "tag",
  "trash",
  "quarantine",
  "forward",
  "bounce",
  "defer",
] as const;
export type LogVerdict = typeof LOG_VERDICTS[number];

/**
 * One scanner's outcome as logged: `clamd:clean`, `clamd:infected=Eicar`,
 * `clamd:failed=timeout`. An infected detail holds the names as `joinVirusNames` writes them.
 */
export interface LoggedScan {
  readonly scanner: string;
  readonly outcome: "clean" | "infected" | "encrypted" | "unchecked" | "failed" | "skipped";
  readonly detail: string;
}

/**
 * The virus names of one `infected` scanner result in its detail: joined by ";", each
 * name's own "%" and ";" written as %25 and %3B, so a name is one string whatever it
 * holds (spaces, commas, semicolons). logSafe then protects the field as a whole.
 */
export function joinVirusNames(names: readonly string[]): string {
  return names.map((n) => n.replace(/[%;]/g, (c) => (c === "%" ? "%25" : "%3B"))).join(";");
}

/** The inverse of joinVirusNames: every reader of the log splits names with this. */
export function splitVirusNames(detail: string): string[] {
  if (detail === "") return [];
  return detail.split(";").map((n) => n.replace(/%(25|3B)/g, (_, h) => (h === "25" ? "%" : ";")));
}

/** One line of qmvc.log: one delivery (spec section 6). */
export interface LogRecord {
  readonly time: Date;
  readonly pid: number;
  readonly verdict: LogVerdict;
  readonly conditions: readonly string[];
  readonly sender: string;
  readonly recipient: string;
  readonly messageId: string;
  readonly size: number;
  readonly parts: number;
  readonly scans: readonly LoggedScan[];
  /** virus=y but no scanner configured: the scanners field says `none`, never a silent `-`. */
  readonly noScanner?: boolean;
  readonly milliseconds: number;
}

const FIELD_COUNT = 11;

/** The record as one tab-separated line, newline included. */
export function formatLogRecord(record: LogRecord): string {
  const fields = [
    record.time.toISOString(),
    String(record.pid),
    record.verdict,
    record.conditions.length
      ? record.conditions.map((c) => logSafe(c, { list: true })).join(",")
      : "-",
    logSafe(record.sender),
    logSafe(record.recipient),
    logSafe(record.messageId),
    String(record.size),
    String(record.parts),
    record.scans.length ? record.scans.map(formatScan).join(",") : record.noScanner ? "none" : "-",
    String(Math.round(record.milliseconds)),
  ];
  return fields.join("\t") + "\n";
}

function formatScan(scan: LoggedScan): string {
  const head = `${logSafe(scan.scanner, { list: true })}:${scan.outcome}`;
  return scan.detail ? `${head}=${logSafe(scan.detail, { list: true })}` : head;
}

/** Why a line could not be read as a LogRecord. */
export class LogRecordError extends SyntaxError {
  constructor(message: string) {
    super(message);
    this.name = "LogRecordError";
  }
}

/** Parse one qmvc.log line (without or with its newline); throws LogRecordError. */
export function parseLogRecord(line: string): LogRecord {
  const fields = line.replace(/\r?\n$/, "").split("\t");
  if (fields.length !== FIELD_COUNT) {
    throw new LogRecordError(
      `Expected ${FIELD_COUNT} tab-separated fields, found ${fields.length}`,
    );
  }
  const [time, pid, verdict, conditions, sender, recipient, messageId, size, parts, scans, ms] =
    fields as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
  const parsedTime = new Date(time);
  if (Number.isNaN(parsedTime.getTime())) throw new LogRecordError(`Invalid time "${time}"`);
  if (!(LOG_VERDICTS as readonly string[]).includes(verdict)) {
    throw new LogRecordError(`Unknown verdict "${verdict}"`);
  }
  return {
    time: parsedTime,
    pid: parseCount(pid, "pid"),
    verdict: verdict as LogVerdict,
    conditions: conditions === "-" ? [] : conditions.split(",").map(logUnsafe),
    sender: logUnsafe(sender),
    recipient: logUnsafe(recipient),
    messageId: logUnsafe(messageId),
    size: parseCount(size, "size"),
    parts: parseCount(parts, "parts"),
    scans: scans === "-" || scans === "none" ? [] : scans.split(",").map(parseScan),
    ...(scans === "none" ? { noScanner: true } : {}),
    milliseconds: parseCount(ms, "milliseconds"),
  };
}

function parseScan(text: string): LoggedScan {
  const match = /^([^:]*):(clean|infected|encrypted|unchecked|failed|skipped)(?:=(.*))?$/.exec(
    text,
  );
  if (!match) throw new LogRecordError(`Invalid scanner result "${text}"`);
  return {
    scanner: logUnsafe(match[1] ?? ""),
    outcome: match[2] as LoggedScan["outcome"],
    detail: match[3] === undefined ? "" : logUnsafe(match[3]),
  };
}

function parseCount(text: string, name: string): number {
  if (!/^\d+$/.test(text)) throw new LogRecordError(`Invalid ${name} "${text}"`);
  return Number(text);
}
