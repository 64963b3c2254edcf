import { appendLine, formatLogRecord, joinPath, type LogVerdict } from "../log/mod.ts";
import {
  checkMemory,
  ControlFileError,
  guardMemory,
  profileProblem,
  resolveProfile,
} from "../profile/mod.ts";
import { loadCachedControl } from "./control_cache.ts";
import type { ScannerOutcome } from "../rules/mod.ts";
import { isQmailDelivery, readDelivery, realRecipient } from "./delivery.ts";
import { evaluateMessage } from "./evaluate.ts";
import {
  DeliveryFailure,
  describeError,
  EXIT_BOUNCE,
  EXIT_CONTINUE,
  EXIT_DEFER,
  type ExitCode,
  tempFailure,
} from "./exit.ts";
import { parseFilterArgs } from "./filter_args.ts";
import { loggedScan } from "./logged_scan.ts";
import { JIT_MESSAGE_BYTES, normalJitPolicy } from "./jit_policy.ts";
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
  const args = await parseFilterArgs(argv);
  if (typeof args === "string") {
    io.stderr(`qmvc: ${args}; see qmvc --help (#4.3.5)\n`);
    return EXIT_DEFER;
  }
  if (args.help || args.version) {
    // In a dot-qmail file -h or -V is a mistake: exit 0 would deliver the mail unfiltered.
    if (isQmailDelivery(io.env)) {
      io.stderr(`qmvc: ${args.help ? "-h" : "-V"} in a dot-qmail line; remove it (#4.3.5)\n`);
      return EXIT_DEFER;
    }
    io.stdout(args.help ? FILTER_HELP : `qmvc ${VERSION}\n`);
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
  const logPath = joinPath(profile.logDir, "qmvc.log");
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
      // (No scans, no `map`: its first call in a process costs a clean delivery a compilation.)
      scans: outcome.scans.length ? outcome.scans.map(loggedScan) : [],
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
    const control = await loadCachedControl(profile);
    guardMemory(control.limits.maxMemoryBytes);
    markPhase("control");
    try {
      bytes = io.readStdin();
    } catch (error) {
      throw tempFailure(`Unable to read message: ${describeError(error)}`);
    }
    markPhase("stdin");
    checkMemory();
    if (bytes.length >= JIT_MESSAGE_BYTES) normalJitPolicy();
    if (bytes.length === 0) {
      throw tempFailure(
        "The message on standard input is empty; qmail-local always gives one: check the dot-qmail line",
      );
    }
    outcome.noScanner = control.filters.checks.virus && control.scanners.entries.length === 0;
    const seconds = control.limits.maxDeliverySeconds;
    const left = (): number => seconds * 1000 - (performance.now() - started);
    // Every message is evaluated under the deadline, however small: a few kilobytes of
    // archives can take seconds to list (entries that all point at one member), and a wait
    // that never ends is ended by it, with a log line. The incident's notifications and
    // forwards below have the rest of it.
    const evaluation = await withinDeadline(
      evaluateMessage(bytes, control, {
        env: io.env,
        noscan: args.noscan,
        cacheDir: profile.cacheDir,
        now: io.now,
        secretPath: joinPath(profile.home, "secret"),
        recipient,
      }),
      left(),
    );
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
    // The act stage (notifications, the ledger, HMAC) loads only for a message with a
    // condition: clean mail does not pay for it.
    const { handleIncident } = await import("./incident.ts");
    const done = await withinDeadline(
      handleIncident({
        verdict,
        evaluation,
        bytes,
        sender: delivery.sender,
        recipient,
        host: delivery.host,
        profile,
        control,
        io,
        writeRecord,
      }),
      left(),
    );
    outcome.verdict = verdict.action;
    outcome.conditions = verdict.conditions;
    writeRecord(logPath, logLine());
    if (done.exit === EXIT_BOUNCE) {
      io.stdout(`Message refused by qmvc: ${verdict.conditions.join(", ")} (#5.7.1)\n`);
    }
    return done.exit;
  } catch (error) {
    io.stderr(`qmvc: ${failureText(error)}\n`);
    outcome.verdict = "defer";
    try {
      appendLine(logPath, logLine());
    } catch { /* the deferral stands; when the log is what failed, it stays unwritten */ }
    return error instanceof DeliveryFailure ? error.status : EXIT_DEFER;
  }
}

/**
 * The work's result, or a temporary failure once `ms` have passed (limits: delivery-time):
 * the programs still running are killed and qmail retries later.
 */
async function withinDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  // A race written out: the runtime compiles Promise.race on its first use, and the Promise
  // constructor's executor too (0.1 M instructions of a small delivery; withResolvers not).
  const { promise, resolve, reject } = Promise.withResolvers<T>();
  const timer = setTimeout(async () => {
    try {
      // Loaded already when a program runs; the import is only the way to reach it.
      (await import("../scan/mod.ts")).killRunningPrograms();
    } catch {
      // Not loadable (then never loaded: no program of this delivery runs), or a kill that
      // failed: the deferral below must happen all the same; an escaped error would end
      // the process with 1.
    }
    reject(
      tempFailure(`Delivery took longer than delivery-time=${Math.round(ms / 1000)} s in limits`),
    );
  }, Math.max(0, ms));
  work.then(resolve, reject);
  try {
    return await promise;
  } finally {
    clearTimeout(timer);
  }
}

function failureText(error: unknown): string {
  if (error instanceof DeliveryFailure) return error.message;
  if (error instanceof ControlFileError) return `${error.message} (#4.3.5)`;
  return `Temporary failure: ${describeError(error)} (#4.3.0)`;
}
