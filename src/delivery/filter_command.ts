import { storeInMaildir } from "../act/mod.ts";
import { appendLine, formatLogRecord, type LogVerdict } from "../log/mod.ts";
import { type Action, ControlFileError, loadControl, resolveProfile } from "../profile/mod.ts";
import type { Verdict } from "../rules/mod.ts";
import { join } from "node:path";
import { readDelivery, realRecipient } from "./delivery.ts";
import { evaluateMessage } from "./evaluate.ts";
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
import type { CommandIo } from "./io.ts";
import { VERSION } from "./version.ts";

export const FILTER_HELP = `qmvc ${VERSION}: mail filter and virus-scanner front end for qmail

Usage (in a dot-qmail file, above the delivery line):
  |qmvc [-n] [-u | -c BASEDIR] [-v PREPEND]
  ./Maildir/

Options (combinable, e.g. -nuv-):
  -n          do not hand parts whose sniffed type is in noscantypes to AV scanners
  -u          user profile: control, templates, log and quarantine in $HOME/qmvc
  -c BASEDIR  common profile (e.g. one per virtual domain): files in BASEDIR
  -v PREPEND  virtual-domain account: strip PREPEND from the recipient; -v- strips "$USER-"
  -h, --help  this text
  -V, --version

The message is read from standard input; qmail-local's environment describes the
delivery. Exit codes: 0 go on (clean or tagged), 99 done (trashed, quarantined,
forwarded), 100 bounce, 111 try again later (anything that is not a final verdict).

Other commands: qmvc check FILE, qmvc showctl, qmvc help.

Examples:
  |qmvc -n                         system profile in /var/qmvc
  |qmvc -n -c /var/qmvc/example.org   one profile per virtual domain
  qmvc check samples/clean.eml     dry run on a saved message
`;

/**
 * The filter: what qmail-local runs for every delivery. Returns the exit code; every
 * failure that is not a verdict becomes 111 so qmail keeps the message (invariant 1).
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
  const profile = resolveProfile({ user: args.user, common: args.common }, io.env);
  const logPath = join(profile.logDir, "qmvc.log");
  let bytes: Uint8Array = new Uint8Array(0);
  let verdictForLog: {
    verdict: LogVerdict;
    conditions: readonly string[];
    parts: number;
    messageId: string;
  } = {
    verdict: "defer",
    conditions: [],
    parts: 0,
    messageId: "",
  };
  const logLine = (): string =>
    formatLogRecord({
      time: io.now(),
      pid: io.pid,
      verdict: verdictForLog.verdict,
      conditions: verdictForLog.conditions,
      sender: delivery.sender,
      recipient: realRecipient(delivery, args.prepend),
      messageId: verdictForLog.messageId,
      size: bytes.length,
      parts: verdictForLog.parts,
      scans: [],
      milliseconds: performance.now() - started,
    });
  try {
    const control = loadControl(profile);
    try {
      bytes = io.readStdin();
    } catch (error) {
      throw tempFailure(`Unable to read message: ${describeError(error)}`);
    }
    const { analysis, verdict } = await evaluateMessage(bytes, control);
    const exit = act(verdict, bytes, profile.quarantineDir, io);
    verdictForLog = {
      verdict: logVerdict(verdict),
      conditions: verdict.kind === "condition" ? verdict.conditions : [],
      parts: analysis.parts.length,
      messageId: analysis.message.messageId,
    };
    const line = logLine();
    try {
      appendLine(logPath, line);
    } catch (error) {
      throw tempFailure(
        `Unable to write log ${logPath}: ${
          describeError(error)
        }; make ${profile.logDir} writable for this user`,
      );
    }
    if (exit === EXIT_BOUNCE && verdict.kind === "condition") {
      io.stdout(`Message refused by qmvc: ${verdict.conditions.join(", ")} (#5.7.1)\n`);
    }
    if (verdict.kind === "defer") io.stderr(`qmvc: ${verdict.reason} (#4.3.0)\n`);
    return exit;
  } catch (error) {
    io.stderr(`qmvc: ${failureText(error)}\n`);
    try {
      appendLine(logPath, logLine());
    } catch { /* the deferral stands; when the log is what failed, it stays unwritten */ }
    return error instanceof DeliveryFailure ? error.status : EXIT_DEFER;
  }
}

function act(verdict: Verdict, bytes: Uint8Array, quarantineDir: string, io: CommandIo): ExitCode {
  switch (verdict.kind) {
    case "clean":
      return EXIT_CONTINUE;
    case "defer":
      return EXIT_DEFER;
    case "condition":
      return performAction(verdict.action, bytes, quarantineDir, io);
    default: {
      const never: never = verdict;
      return never;
    }
  }
}

function performAction(
  action: Action,
  bytes: Uint8Array,
  quarantineDir: string,
  io: CommandIo,
): ExitCode {
  switch (action) {
    case "pass":
    case "tag":
      return EXIT_CONTINUE;
    case "trash":
      return EXIT_DELIVERED;
    case "bounce":
      return EXIT_BOUNCE;
    case "quarantine":
      try {
        storeInMaildir(quarantineDir, bytes, io.now());
      } catch (error) {
        throw tempFailure(`Unable to quarantine into ${quarantineDir}: ${describeError(error)}`);
      }
      return EXIT_DELIVERED;
    case "forward":
      throw tempFailure(
        "Action forward is not available in this build; choose another action in filters",
        "4.3.5",
      );
    default: {
      const never: never = action;
      return never;
    }
  }
}

function logVerdict(verdict: Verdict): LogVerdict {
  return verdict.kind === "clean" ? "pass" : verdict.kind === "defer" ? "defer" : verdict.action;
}

function failureText(error: unknown): string {
  if (error instanceof DeliveryFailure) return error.message;
  if (error instanceof ControlFileError) return `${error.message} (#4.3.5)`;
  return `Temporary failure: ${describeError(error)} (#4.3.0)`;
}
