import { readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { userInfo } from "node:os";
import { basename, join } from "node:path";
import { parseArgs } from "node:util";
import { injectMail, loadNotificationSecret, releaseHeaderLine } from "../act/mod.ts";
import {
  appendLine,
  type IncidentRecord,
  logSafe,
  parseIncidentRecord,
  readIncidentRecords,
  terminalSafeJson,
} from "../log/mod.ts";
import { decodeWords, headerValue, isMailbox, parseMessage } from "../message/mod.ts";
import {
  argsErrorText,
  ControlFileError,
  loadControl,
  type Profile,
  profileProblem,
  resolveProfile,
} from "../profile/mod.ts";
import { formatEvaluation } from "./check_command.ts";
import { evaluateMessage } from "./evaluate.ts";
import { describeError } from "./exit.ts";
import type { CommandIo, CommandStatus } from "./io.ts";

export const QUARANTINE_HELP =
  `Usage: qmvc quarantine [-u | -c BASEDIR] list [--since YYYY-MM-DD] [--condition C]
       qmvc quarantine [-u | -c BASEDIR] show ID
       qmvc quarantine [-u | -c BASEDIR] release ID [--to ADDRESS]
       qmvc quarantine [-u | -c BASEDIR] delete ID
       qmvc quarantine [-u | -c BASEDIR] purge --older-than 30d

The messages in the profile's quarantine/ (a Maildir). A message's ID is its file
name there, printed first on each list line.
  list     one line per message, oldest first: ID, time, sender, recipient,
           size, conditions and subject (from the incident record in
           qmvc.rep, or in log/archive/ after qmvc month)
  show     the incident record and the message's parts as qmvc check shows them
  release  re-inject the original with qmail-inject to its recipient (or
           ADDRESS), marked as released by you: qmvc lets it through for the
           conditions it was quarantined for, and still acts on any other
  delete   remove one message; purge removes those older than N days (d) or
           hours (h)
release, delete and purge ask nothing, print what they did, and append a line to
log/quarantine.log. An ID that is not in the quarantine is an error (exit 1).

Examples:
  qmvc quarantine list --since 2026-11-01 --condition virus
  qmvc quarantine release 1764060000.M1P2Q1.mx --to bob@example.org
  qmvc quarantine purge --older-than 30d
`;

/** One quarantined message: where it is, and its incident record when there is one. */
interface Entry {
  readonly id: string;
  readonly path: string;
  readonly mtime: Date;
  readonly size: number;
  readonly record: IncidentRecord | undefined;
}

/** `qmvc quarantine ...`. */
export async function runQuarantine(
  argv: readonly string[],
  io: CommandIo,
): Promise<CommandStatus> {
  let values: {
    u?: boolean;
    c?: string;
    since?: string;
    condition?: string;
    to?: string;
    "older-than"?: string;
    help?: boolean;
  };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv],
      options: {
        u: { type: "boolean", short: "u" },
        c: { type: "string", short: "c" },
        since: { type: "string" },
        condition: { type: "string" },
        to: { type: "string" },
        "older-than": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      allowPositionals: true,
      strict: true,
    }));
  } catch (error) {
    return usage(io, argsErrorText(error));
  }
  if (values.help) {
    io.stdout(QUARANTINE_HELP);
    return 0;
  }
  const [action, id, ...extra] = positionals;
  if (extra.length) return usage(io, `unexpected argument "${extra[0]}"`);
  const profile = resolveProfile({ user: values.u ?? false, common: values.c }, io.env);
  const problem = profileProblem(profile, io.env);
  if (problem) {
    io.stderr(`qmvc quarantine: ${problem}\n`);
    return 1;
  }
  switch (action) {
    case "list":
      return id === undefined
        ? await list(profile, io, values)
        : usage(io, `unexpected argument "${id}"`);
    case "show":
    case "release":
    case "delete": {
      if (id === undefined) return usage(io, `${action} needs the message's ID (see list)`);
      const entry = (await entries(profile)).find((e) => e.id === id);
      if (!entry) {
        io.stderr(`qmvc quarantine: no message "${id}" in ${profile.quarantineDir}; see list\n`);
        return 1;
      }
      if (action === "show") return await show(entry, profile, io);
      if (action === "release") return await release(entry, profile, io, values.to);
      return remove([entry], profile, io, "delete");
    }
    case "purge": {
      const age = parseAge(values["older-than"] ?? "");
      if (age === undefined) return usage(io, "purge needs --older-than N with d or h, e.g. 30d");
      const cutoff = io.now().getTime() - age;
      const old = (await entries(profile)).filter((e) => e.mtime.getTime() < cutoff);
      return remove(old, profile, io, "purge");
    }
    case undefined:
      return usage(io, "name what to do: list, show, release, delete or purge");
    default:
      return usage(io, `unknown action "${action}"`);
  }
}

function usage(io: CommandIo, what: string): 2 {
  io.stderr(`qmvc quarantine: ${what}; see qmvc help quarantine\n`);
  return 2;
}

/** Every message in quarantine/new and cur, oldest first, joined to its incident record. */
async function entries(profile: Profile): Promise<Entry[]> {
  const records = new Map<string, IncidentRecord>();
  for await (const record of readIncidentRecords(join(profile.logDir, "qmvc.rep"))) {
    if (record.quarantined) records.set(basename(record.quarantined), record);
  }
  const found: Omit<Entry, "record">[] = [];
  for (const sub of ["new", "cur"]) {
    let names: string[];
    try {
      names = readdirSync(join(profile.quarantineDir, sub));
    } catch {
      continue;
    }
    for (const name of names) {
      const path = join(profile.quarantineDir, sub, name);
      const stat = statSync(path);
      if (!stat.isFile()) continue;
      const id = name.split(":")[0]!;
      found.push({ id, path, mtime: stat.mtime, size: stat.size });
    }
  }
  const missing = new Set(found.map((e) => e.id).filter((id) => !records.has(id)));
  if (missing.size > 0) await findArchivedRecords(profile, missing, records);
  return found.map((e) => ({ ...e, record: records.get(e.id) }))
    .sort((a, b) => a.mtime.getTime() - b.mtime.getTime() || (a.id < b.id ? -1 : 1));
}

/**
 * The incident records `qmvc month` moved into log/archive/, newest month first, for the
 * quarantined messages qmvc.rep no longer describes: a message kept in quarantine for
 * longer than a month is still listed, shown and released with its record.
 */
async function findArchivedRecords(
  profile: Profile,
  missing: Set<string>,
  records: Map<string, IncidentRecord>,
): Promise<void> {
  const { allArchives, eachArchiveLine } = await import("../report/mod.ts");
  for (const archive of allArchives(profile.logDir).reverse()) {
    await eachArchiveLine(archive, (kind, line) => {
      if (kind !== "rep" || !line.includes("quarantined")) return;
      try {
        const record = parseIncidentRecord(line);
        const id = record.quarantined ? basename(record.quarantined) : undefined;
        if (id !== undefined && missing.delete(id)) records.set(id, record);
      } catch { /* a torn line in an archive is skipped, as in the live file */ }
    });
    if (missing.size === 0) return;
  }
}

async function list(
  profile: Profile,
  io: CommandIo,
  options: { since?: string; condition?: string },
): Promise<CommandStatus> {
  let since = 0;
  if (options.since !== undefined) {
    const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(options.since);
    if (!day) return usage(io, `--since takes a date such as 2026-11-01, not "${options.since}"`);
    since = new Date(Number(day[1]), Number(day[2]) - 1, Number(day[3])).getTime();
  }
  for (const entry of await entries(profile)) {
    if (entry.mtime.getTime() < since) continue;
    const conditions = entry.record?.conditions ?? [];
    if (options.condition !== undefined && !conditions.includes(options.condition)) continue;
    const summary = entry.record ?? await summaryFromFile(entry.path);
    io.stdout(
      [
        entry.id,
        entry.mtime.toISOString(),
        logSafe(summary.sender),
        logSafe(summary.recipient),
        String(entry.size),
        conditions.length ? conditions.join(",") : "-",
        logSafe(summary.subject),
      ].join("\t") + "\n",
    );
  }
  return 0;
}

/** Sender, recipient and subject from the message itself, when qmvc.rep has no record. */
async function summaryFromFile(
  path: string,
): Promise<{ sender: string; recipient: string; subject: string }> {
  const head = readFileSync(path).subarray(0, 64 * 1024);
  const message = await parseMessage(head);
  return {
    sender: decodeWords(headerValue(message.headers, "from") ?? "").trim(),
    recipient: decodeWords(headerValue(message.headers, "to") ?? "").trim(),
    subject: message.subject,
  };
}

async function show(entry: Entry, profile: Profile, io: CommandIo): Promise<CommandStatus> {
  io.stdout(`${entry.id}: ${entry.path}, ${entry.size} bytes, ${entry.mtime.toISOString()}\n`);
  io.stdout(
    entry.record
      ? `incident record:\n${terminalSafeJson(JSON.stringify(entry.record, null, 2))}\n`
      : "incident record: none in qmvc.rep or log/archive/ (never written)\n",
  );
  let control;
  try {
    control = await loadControl(profile);
  } catch (error) {
    io.stderr(
      `qmvc quarantine: ${
        error instanceof ControlFileError ? error.message : describeError(error)
      }\n`,
    );
    return 1;
  }
  const bytes = readFileSync(entry.path);
  io.stdout(formatEvaluation(entry.id, await evaluateMessage(bytes, control, { env: {} })));
  return 0;
}

async function release(
  entry: Entry,
  profile: Profile,
  io: CommandIo,
  to: string | undefined,
): Promise<CommandStatus> {
  const recipient = to ?? entry.record?.recipient;
  if (recipient === undefined) {
    io.stderr(
      `qmvc quarantine: no incident record for ${entry.id}: name the recipient with --to\n`,
    );
    return 1;
  }
  if (!isMailbox(recipient)) {
    io.stderr(`qmvc quarantine: "${recipient}" is not one mail address; use --to ADDRESS\n`);
    return 1;
  }
  let control;
  let secret;
  try {
    control = await loadControl(profile);
    secret = loadNotificationSecret(join(profile.home, "secret"));
  } catch (error) {
    io.stderr(`qmvc quarantine: ${describeError(error)}\n`);
    return 1;
  }
  const original = readFileSync(entry.path);
  const messageId = headerValue((await parseMessage(original)).headers, "message-id")?.trim() ?? "";
  const by = adminName(io);
  const mark = releaseHeaderLine(
    { conditions: entry.record?.conditions ?? [], by, at: io.now(), to: recipient },
    original,
    messageId,
    secret,
  );
  const released = new Uint8Array([...new TextEncoder().encode(mark), ...original]);
  const sender = entry.record?.sender ?? "";
  const failure = await injectMail(
    control.qmailinject,
    [recipient],
    released,
    io.env,
    isMailbox(sender) ? sender : "",
  );
  if (failure) {
    io.stderr(`qmvc quarantine: release of ${entry.id} failed: ${failure}\n`);
    return 1;
  }
  record(profile, io, "release", entry, `to ${recipient}`);
  io.stdout(`released ${entry.id} to ${recipient}\n`);
  return 0;
}

function remove(
  found: readonly Entry[],
  profile: Profile,
  io: CommandIo,
  action: "delete" | "purge",
): CommandStatus {
  for (const entry of found) {
    rmSync(entry.path, { force: true });
    record(profile, io, action, entry, `${entry.size} bytes`);
    io.stdout(`${action === "delete" ? "deleted" : "purged"} ${entry.id}\n`);
  }
  if (action === "purge") io.stdout(`${found.length} message(s) purged\n`);
  return 0;
}

/** One line in log/quarantine.log: time, action, id, detail, who, subject. */
function record(profile: Profile, io: CommandIo, action: string, entry: Entry, detail: string) {
  appendLine(
    join(profile.logDir, "quarantine.log"),
    [
      io.now().toISOString(),
      action,
      logSafe(entry.id),
      logSafe(detail),
      logSafe(adminName(io)),
      logSafe(entry.record?.subject ?? ""),
    ].join("\t") + "\n",
  );
}

function adminName(io: CommandIo): string {
  try {
    return userInfo().username;
  } catch {
    return io.env["USER"] ?? "unknown";
  }
}

/** "30d" or "12h" in milliseconds. */
function parseAge(text: string): number | undefined {
  const found = /^(\d+)([dh])$/.exec(text);
  if (!found) return undefined;
  return Number(found[1]) * (found[2] === "d" ? 86_400_000 : 3_600_000);
}
