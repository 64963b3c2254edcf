/**
 * qmvc's entry point: choose the command from the first argument or, busybox-style, from
 * the name the binary was called by, run it, and set the exit code. Nothing else.
 *
 * Only the filter is imported up front: it runs for every delivery, so the other commands
 * (and their libraries: the DOM, the zip writer) load when they are asked for.
 */
import { baseName } from "./src/log/mod.ts";
import { isQmailDelivery } from "./src/delivery/delivery.ts";
import { describeError } from "./src/delivery/exit.ts";
import { FILTER_HELP, runFilter } from "./src/delivery/filter_command.ts";
import { enablePhaseTiming, markPhase, phaseTimingLine } from "./src/delivery/phase_timing.ts";
import { normalJitPolicy } from "./src/delivery/jit_policy.ts";
// Only the registry of running programs: the scanners themselves load when needed.
import { killRunningPrograms } from "./src/scan/running_programs.ts";
import { type CommandIo, type CommandStatus, readAllFd, writeAllFd } from "./src/delivery/io.ts";

// The runtime's own object: importing node:process costs Bun about 0.15 M instructions at start.
const process = globalThis.process;

type Command = (argv: readonly string[], io: CommandIo) => Promise<CommandStatus>;

const COMMANDS: Readonly<Record<string, () => Promise<Command>>> = {
  check: async () => (await import("./src/delivery/check_command.ts")).runCheck,
  install: async () => (await import("./src/delivery/install_command.ts")).runInstall,
  quarantine: async () => (await import("./src/delivery/quarantine_command.ts")).runQuarantine,
  showctl: async () => (await import("./src/profile/showctl_command.ts")).runShowctl,
  scanners: async () => (await import("./src/scan/scanners_command.ts")).runScannersCommand,
  plainmail: async () => (await import("./src/plainmail/mod.ts")).runPlainmail,
  help: () => Promise.resolve(runHelp),
  log2html: report("log2html"),
  virulator: report("virulator"),
  month: report("month"),
  calendar: report("calendar"),
  portal: report("portal"),
};

/**
 * A report command, whose stage loads when it is asked for. (Written out above rather
 * than built with Object.fromEntries at start: that built-in's first use costs a delivery
 * about 0.1 M instructions.)
 */
function report(name: string): () => Promise<Command> {
  return async () => {
    const { runReport } = await import("./src/report/mod.ts");
    return (argv, io) => runReport(name, argv, { ...io, isTTY: process.stderr.isTTY === true });
  };
}

/** One line per command, for `qmvc help` and for an unknown command. */
const COMMAND_SUMMARY = `Commands (qmvc help COMMAND for each one's options):
  qmvc [-n] [-u | -c BASEDIR] [-v PREPEND]   the filter, run by qmail-local
  qmvc check FILE...       dry run: parts, findings, verdict; nothing stored or sent
  qmvc showctl             every effective control file and where it comes from
  qmvc scanners [--check]  the configured AV scanners; --check asks each one
  qmvc log2html            the log as one HTML page
  qmvc virulator           incidents by virus, sender and recipient
  qmvc month [YYYY-MM]     the month's report pages, then the month's logs archived
  qmvc calendar [YYYY]     the year as a calendar of day pages
  qmvc portal DIR...       one index over several profiles
  qmvc plainmail [FILE]    the readable text of a message (also as "plainmail")
  qmvc quarantine list     quarantined mail: list, show, release, delete, purge
  qmvc install             the binary, the profile tree, clamd and man pages
  qmvc help [COMMAND]      this list, or one command's usage
`;

/** `qmvc help`: the filter's usage and every command; `qmvc help COMMAND`: that one's. */
async function runHelp(argv: readonly string[], io: CommandIo): Promise<CommandStatus> {
  const [name, ...extra] = argv;
  if (name === undefined) {
    io.stdout(`${FILTER_HELP}\n${COMMAND_SUMMARY}`);
    return 0;
  }
  const command = COMMANDS[name];
  if (extra.length || !command || name === "help") {
    io.stderr(`qmvc help: unknown command "${[name, ...extra].join(" ")}"\n\n${COMMAND_SUMMARY}`);
    return 2;
  }
  return await (await command())(["--help"], io);
}

function systemIo(): CommandIo {
  return {
    readStdin: () => readAllFd(0),
    stdout: (text) => writeAllFd(1, text),
    stderr: (text) => writeAllFd(2, text),
    env: process.env,
    now: () => new Date(),
    pid: process.pid,
  };
}

async function main(argv: readonly string[], programName: string): Promise<CommandStatus> {
  const io = systemIo();
  const byName = COMMANDS[programName];
  if (byName && programName !== "help") {
    normalJitPolicy();
    return await (await byName())(argv, io);
  }
  const [first, ...rest] = argv;
  // From qmail-local every word goes to the filter, which defers what it does not take;
  // plainmail is the exception, as the filter runs it itself for badbodytexts.
  const fromQmail = isQmailDelivery(io.env) && first !== "plainmail";
  const command = first === undefined || fromQmail ? undefined : COMMANDS[first];
  if (command) {
    // Reports, check, install: no start-up race to win, the usual JIT (jit_policy.ts).
    normalJitPolicy();
    return await (await command())(rest, io);
  }
  // A word that is no command, typed by a person: say so. From qmail-local (SENDER and
  // RECIPIENT set) it goes to the filter, which defers the mail rather than lose it.
  if (first !== undefined && !first.startsWith("-") && !isQmailDelivery(io.env)) {
    io.stderr(`qmvc: unknown command "${first}"\n\n${COMMAND_SUMMARY}`);
    return 2;
  }
  return await runFilter(argv, io);
}

/**
 * The name the program was called by: a compiled binary (bun's argv[1] is its embedded
 * "/$bunfs/..." entry) goes by argv0, which keeps a symlink's name; `deno run main.ts`
 * goes by the script.
 */
function programName(): string {
  const script = process.argv[1] ?? "";
  const name = script === "" || script.startsWith("/$bunfs") || script.startsWith("B:/~BUN")
    ? process.argv0
    : script;
  const base = baseName(name);
  // endsWith, not a regular expression: one fewer to compile on every delivery.
  return base.endsWith(".ts") || base.endsWith(".js") ? base.slice(0, -3) : base;
}

// Killed before the verdict is final (qmail-send's shutdown, an admin's kill): exit 111
// so qmail keeps the message. Node's own default would be death by signal, which
// qmail-local reports as a crash. Writes are synchronous, so this never runs mid-write.
process.on("SIGTERM", () => {
  killRunningPrograms();
  writeAllFd(2, "qmvc: Terminated before a final verdict; qmail will retry (#4.3.0)\n");
  process.exit(111);
});

// Until a command gives its status, an exit is a temporary failure: should a wait never end
// with nothing left to run (no timer, no program), the runtime would exit 0, and qmail would
// take the message as delivered.
process.exitCode = 111;

// No top-level await: a module that awaits at its top holds up every module that imports it,
// and the filter's start-up is the product's speed for small mail.
// `deno task qmvc -- check x` passes the "--" along; it is no option of qmvc's.
const args = process.argv[2] === "--" ? process.argv.slice(3) : process.argv.slice(2);
if (process.env["QMVC_TIMING"]) enablePhaseTiming();
main(args, programName()).then(
  // Exit at once: every write is synchronous, and a scanner connection or program left
  // behind by a deadline must not keep qmail waiting.
  (status) => {
    markPhase("done");
    writeAllFd(2, phaseTimingLine());
    process.exit(status);
  },
  (error: unknown) => {
    // Whatever escaped a command: qmail must keep the message (invariant 1).
    killRunningPrograms();
    writeAllFd(2, `qmvc: Temporary failure: ${describeError(error)} (#4.3.0)\n`);
    process.exit(111);
  },
);
