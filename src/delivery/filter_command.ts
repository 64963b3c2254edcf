import { existsSync, readdirSync } from "node:fs";
import { hostname } from "node:os";
import { basename, join } from "node:path";
import type { PartAnalysis } from "../analyse/mod.ts";
import {
  EffectLedger,
  forwardMessage,
  type Incident,
  loadNotificationSecret,
  type ReactionOutcome,
  safeHostname,
  type SendContext,
  sendNotifications,
  storeInMaildir,
} from "../act/mod.ts";
import {
  appendLine,
  formatIncidentRecord,
  formatLogRecord,
  type IncidentRecord,
  joinVirusNames,
  type LoggedScan,
  type LogVerdict,
} from "../log/mod.ts";
import { ControlFileError, loadControl, profileProblem, resolveProfile } from "../profile/mod.ts";
import { infectedNames, type ScannerOutcome } from "../rules/mod.ts";
import { killRunningPrograms, VerdictCache } from "../scan/mod.ts";
import { readDelivery, realRecipient } from "./delivery.ts";
import { evaluateMessage, type Evaluation } from "./evaluate.ts";
import {
  DeliveryFailure,
  describeError,
  EXIT_BOUNCE,
  EXIT_CONTINUE,
  EXIT_DEFER,
  EXIT_DELIVERED,
  type ExitCode,
  tempFailure,
} from "./exit.ts";
import { parseFilterArgs } from "./filter_args.ts";
import { markPhase } from "./phase_timing.ts";
import type { CommandIo } from "./io.ts";
import { VERSION } from "./version.ts";

export const FILTER_HELP = `qmvc ${VERSION}: mail filter and virus-scanner front end for qmail

Usage (in a dot-qmail file, above the delivery line):
  |qmvc [-n] [-u | -c BASEDIR] [-v PREPEND]
  ./Maildir/

Options (combinable, e.g. -nuv-):
  -n          do not hand parts whose sniffed type is in noscantypes, and that are
              only that picture or sound, to AV scanners
  -u          user profile: control, templates, log and quarantine in $HOME/qmvc
  -c BASEDIR  common profile (e.g. one per virtual domain): files in BASEDIR
  -v PREPEND  virtual-domain account: strip PREPEND from the recipient; -v- strips "$USER-"
  -h, --help  this text
  -V, --version

The message is read from standard input; qmail-local's environment describes the
delivery. Exit codes: 0 go on (clean or tagged), 99 done (trashed, quarantined,
forwarded), 100 bounce, 111 try again later (anything that is not a final verdict).

Other commands: qmvc help lists them all.

Examples:
  |qmvc -n                            system profile in /var/qmvc
  |qmvc -n -c /var/qmvc/example.org   one profile per virtual domain
  qmvc check samples/clean.eml        dry run on a saved message
`;

/** What the log line says about the delivery, filled in as the delivery goes on. */
interface Outcome {
  verdict: LogVerdict;
  conditions: readonly string[];
  parts: number;
  messageId: string;
  scans: readonly ScannerOutcome[];
  noScanner: boolean;
}

/**
 * The filter: what qmail-local runs for every delivery. Returns the exit code; every
 * failure that is not a verdict becomes 111 so qmail keeps the message (invariant 1).
 * Order of effects: the action (a durable quarantine copy, an injected forward) first,
 * then notifications (their failure is reported, never fatal), then the incident
 * record and the log line; only then 0, 99 or 100.
 */
export async function runFilter(argv: readonly string[], io: CommandIo): Promise<ExitCode> {
  const started = performance.now();
  const args = parseFilterArgs(argv);
  if (typeof args === "string") {
    io.stderr(`qmvc: ${args}; see qmvc --help (#4.3.5)\n`);
    return EXIT_DEFER;
  }
  if (args.help) {
    io.stdout(FILTER_HELP);
    return EXIT_CONTINUE;
  }
  if (args.version) {
    io.stdout(`qmvc ${VERSION}\n`);
    return EXIT_CONTINUE;
  }
  const delivery = readDelivery(io.env);
  const recipient = realRecipient(delivery, args.prepend);
  const profile = resolveProfile({ user: args.user, common: args.common }, io.env);
  const problem = profileProblem(profile, io.env);
  if (problem) {
    io.stderr(`qmvc: ${problem} (#4.3.5)\n`);
    return EXIT_DEFER;
  }
  const logPath = join(profile.logDir, "qmvc.log");
  let bytes: Uint8Array = new Uint8Array(0);
  const outcome: Outcome = {
    verdict: "defer",
    conditions: [],
    parts: 0,
    messageId: "",
    scans: [],
    noScanner: false,
  };
  const logLine = (): string =>
    formatLogRecord({
      time: io.now(),
      pid: io.pid,
      verdict: outcome.verdict,
      conditions: outcome.conditions,
      sender: delivery.sender,
      recipient,
      messageId: outcome.messageId,
      size: bytes.length,
      parts: outcome.parts,
      scans: outcome.scans.map(loggedScan),
      noScanner: outcome.noScanner,
      milliseconds: performance.now() - started,
    });
  const writeRecord = (path: string, line: string): void => {
    try {
      appendLine(path, line);
    } catch (error) {
      throw tempFailure(
        `Unable to write log ${path}: ${
          describeError(error)
        }; make ${profile.logDir} writable for this user`,
      );
    }
  };
  try {
    markPhase("main");
    const control = await loadControl(profile);
    markPhase("control");
    try {
      bytes = io.readStdin();
    } catch (error) {
      throw tempFailure(`Unable to read message: ${describeError(error)}`);
    }
    markPhase("stdin");
    if (bytes.length === 0) {
      throw tempFailure(
        "The message on standard input is empty; qmail-local always gives one: check the dot-qmail line",
      );
    }
    outcome.noScanner = control.filters.checks.virus && control.scanners.entries.length === 0;
    const seconds = control.limits.maxDeliverySeconds;
    const decideAndAct = async (): Promise<ExitCode> => {
      let secret: Uint8Array | undefined;
      const profileSecret = () => secret ??= loadNotificationSecret(join(profile.home, "secret"));
      const evaluation = await evaluateMessage(bytes, control, {
        env: io.env,
        noscan: args.noscan,
        cache: new VerdictCache(profile.cacheDir, io.now),
        secret: profileSecret,
      });
      const { analysis, verdict } = evaluation;
      outcome.parts = analysis.parts.length;
      outcome.messageId = analysis.message.messageId;
      outcome.scans = evaluation.scans;
      if (verdict.kind === "defer") {
        writeRecord(logPath, logLine());
        io.stderr(`qmvc: ${verdict.reason} (#4.3.0)\n`);
        return EXIT_DEFER;
      }
      if (verdict.kind === "clean") {
        outcome.verdict = "pass";
        writeRecord(logPath, logLine());
        return EXIT_CONTINUE;
      }
      const incident: Incident = {
        verdict,
        analysis,
        scans: evaluation.scans,
        sender: delivery.sender,
        recipient,
        host: safeHostname(delivery.host, hostname()),
      };
      const now = io.now();
      const context: SendContext = {
        profile,
        control,
        env: io.env,
        now,
        ledger: new EffectLedger(
          join(profile.cacheDir, "effects"),
          EffectLedger.hashMessage(delivery.sender, bytes),
          now,
        ),
        secret: profileSecret,
      };
      const remember = (effect: "quarantine" | "forward" | "incident-record", value: string) => {
        try {
          context.ledger.record(effect, recipient, value);
        } catch (error) {
          io.stderr(
            `qmvc: Unable to record the ${effect} in ${profile.cacheDir}: ${
              describeError(error)
            }; a retry could repeat it\n`,
          );
        }
      };
      const done = await performAction(incident, bytes, context, remember);
      const reactions = await sendNotifications(incident, context);
      for (const r of reactions.filter((r) => r.outcome.startsWith("failed"))) {
        io.stderr(
          `qmvc: ${r.reaction} to ${
            r.to.join(", ")
          } ${r.outcome}; the message itself was handled\n`,
        );
      }
      outcome.verdict = verdict.action;
      outcome.conditions = verdict.conditions;
      if (context.ledger.find("incident-record", recipient) === undefined) {
        writeRecord(
          join(profile.logDir, "qmvc.rep"),
          formatIncidentRecord(incidentRecord(incident, evaluation, bytes, reactions, done, io)),
        );
        remember("incident-record", "written");
      }
      writeRecord(logPath, logLine());
      if (done.exit === EXIT_BOUNCE) {
        io.stdout(`Message refused by qmvc: ${verdict.conditions.join(", ")} (#5.7.1)\n`);
      }
      return done.exit;
    };
    return await withinDeadline(decideAndAct(), seconds * 1000 - (performance.now() - started));
  } catch (error) {
    io.stderr(`qmvc: ${failureText(error)}\n`);
    outcome.verdict = "defer";
    try {
      appendLine(logPath, logLine());
    } catch { /* the deferral stands; when the log is what failed, it stays unwritten */ }
    return error instanceof DeliveryFailure ? error.status : EXIT_DEFER;
  }
}

interface ActionDone {
  readonly exit: ExitCode;
  readonly quarantined?: string;
}

/**
 * Do the verdict's action once per message and recipient: a retry after a 111 finds the
 * quarantine copy or the forward of its first try in the ledger and does not repeat it.
 * The copy is stored (or the forward injected) before it is recorded, so a crash in
 * between can at worst repeat it, never lose the message.
 */
async function performAction(
  incident: Incident,
  bytes: Uint8Array,
  context: SendContext,
  remember: (effect: "quarantine" | "forward", value: string) => void,
): Promise<ActionDone> {
  const action = incident.verdict.action;
  switch (action) {
    case "pass":
    case "tag":
      return { exit: EXIT_CONTINUE };
    case "trash":
      return { exit: EXIT_DELIVERED };
    case "bounce":
      return { exit: EXIT_BOUNCE };
    case "quarantine": {
      const dir = context.profile.quarantineDir;
      const earlier = stillQuarantined(dir, context.ledger.find("quarantine", incident.recipient));
      if (earlier) return { exit: EXIT_DELIVERED, quarantined: earlier };
      let stored: string;
      try {
        stored = storeInMaildir(dir, bytes, context.now);
      } catch (error) {
        throw tempFailure(`Unable to quarantine into ${dir}: ${describeError(error)}`);
      }
      remember("quarantine", stored);
      return { exit: EXIT_DELIVERED, quarantined: stored };
    }
    case "forward": {
      if (context.ledger.find("forward", incident.recipient) !== undefined) {
        return { exit: EXIT_DELIVERED };
      }
      const failure = await forwardMessage(incident, bytes, {
        ...context,
        forwardto: context.control.forwardto.addresses,
        inject: context.control.qmailinject,
      });
      if (failure) {
        throw tempFailure(
          `Unable to forward to ${context.control.forwardto.addresses.join(", ")}: ${failure}`,
        );
      }
      remember("forward", "injected");
      return { exit: EXIT_DELIVERED };
    }
    default: {
      const never: never = action;
      return never;
    }
  }
}

/** The earlier copy's path when it is still in the quarantine (new/, or cur/ once read). */
function stillQuarantined(dir: string, recorded: string | undefined): string | undefined {
  if (!recorded) return undefined;
  if (existsSync(recorded)) return recorded;
  const name = basename(recorded);
  for (const entry of safeList(join(dir, "cur"))) {
    if (entry === name || entry.startsWith(`${name}:`)) return join(dir, "cur", entry);
  }
  return undefined;
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function incidentRecord(
  incident: Incident,
  evaluation: Evaluation,
  bytes: Uint8Array,
  reactions: readonly ReactionOutcome[],
  done: ActionDone,
  io: CommandIo,
): IncidentRecord {
  const { verdict, analysis } = incident;
  const matchedParts = new Set(verdict.matches.map((m) => m.part));
  const header = analysis.message.headers.map((h) => `${h.name}: ${h.value}`).join("\n").slice(
    0,
    4096,
  );
  return {
    time: io.now().toISOString(),
    pid: io.pid,
    action: verdict.action,
    conditions: verdict.conditions,
    sender: incident.sender,
    recipient: incident.recipient,
    messageId: analysis.message.messageId,
    subject: analysis.message.subject,
    size: bytes.length,
    matches: verdict.matches.map((m) => ({
      condition: m.condition,
      part: m.part,
      ...(m.member === undefined ? {} : { member: m.member }),
      evidence: m.evidence,
      ...(m.rule ? { rule: m.rule } : {}),
    })),
    parts: analysis.parts.filter((p) => matchedParts.has(p.path)).map((p) => {
      const members = infectedMembers(p, evaluation.scans);
      return {
        path: p.path,
        filename: p.filename,
        declaredType: p.declaredType,
        sniffedType: p.sniffedType,
        loaderType: p.loader ? `${p.loader.type} (${p.loader.detail})` : "",
        size: p.size,
        sha256: p.sha256,
        ...(members.length ? { members } : {}),
      };
    }),
    viruses: [...new Set(infectedNames(evaluation.scans))],
    scanners: evaluation.scans.map((s) => {
      const logged = loggedScan(s);
      return { scanner: logged.scanner, result: logged.outcome, detail: logged.detail };
    }),
    header,
    reactions,
    ...(done.quarantined ? { quarantined: done.quarantined } : {}),
  };
}

/** The members of an archive part the scanners found infected, each once, with what found it. */
function infectedMembers(
  part: PartAnalysis,
  scans: readonly ScannerOutcome[],
): NonNullable<IncidentRecord["parts"][number]["members"]> {
  const members = new Map<
    string,
    { size?: number; sha256?: string; viruses: Set<string>; scanners: Set<string> }
  >();
  for (const scan of scans) {
    if (scan.result.kind !== "infected") continue;
    for (const hit of scan.result.hits ?? []) {
      if (hit.part !== part.path || !hit.member) continue;
      let entry = members.get(hit.member.path);
      if (!entry) members.set(hit.member.path, entry = { viruses: new Set(), scanners: new Set() });
      if (hit.member.size !== undefined) entry.size = hit.member.size;
      if (hit.member.sha256 !== undefined) entry.sha256 = hit.member.sha256;
      entry.viruses.add(hit.name);
      entry.scanners.add(scan.scanner);
    }
  }
  return [...members].map(([path, entry]) => {
    const listed = part.members.find((m) => m.path === path);
    const loader = listed?.sniff?.loader;
    return {
      path,
      sniffedType: listed?.sniff?.mime ?? "",
      loaderType: loader ? `${loader.type} (${loader.detail})` : "",
      ...(entry.size === undefined ? {} : { size: entry.size }),
      ...(entry.sha256 === undefined ? {} : { sha256: entry.sha256 }),
      viruses: [...entry.viruses],
      scanners: [...entry.scanners],
    };
  });
}

function loggedScan(s: ScannerOutcome): LoggedScan {
  switch (s.result.kind) {
    case "clean":
      return { scanner: s.scanner, outcome: "clean", detail: "" };
    case "infected":
      return { scanner: s.scanner, outcome: "infected", detail: joinVirusNames(s.result.names) };
    case "encrypted":
      return { scanner: s.scanner, outcome: "encrypted", detail: s.result.detail };
    case "unchecked":
      return { scanner: s.scanner, outcome: "unchecked", detail: s.result.detail };
    case "failed":
      return { scanner: s.scanner, outcome: "failed", detail: s.result.reason };
    default: {
      const never: never = s.result;
      return never;
    }
  }
}

/**
 * The delivery's result, or a temporary failure once `ms` have passed (limits:
 * delivery-time): the programs still running are killed and qmail retries later.
 */
async function withinDeadline(work: Promise<ExitCode>, ms: number): Promise<ExitCode> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      killRunningPrograms();
      reject(
        tempFailure(`Delivery took longer than delivery-time=${Math.round(ms / 1000)} s in limits`),
      );
    }, Math.max(0, ms));
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}

function failureText(error: unknown): string {
  if (error instanceof DeliveryFailure) return error.message;
  if (error instanceof ControlFileError) return `${error.message} (#4.3.5)`;
  return `Temporary failure: ${describeError(error)} (#4.3.0)`;
}
