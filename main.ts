/**
 * qmvc's entry point: choose the command from the first argument or, busybox-style, from
 * the name the binary was called by, run it, and set the exit code. Nothing else.
 */
import { basename } from "node:path";
import process from "node:process";
import { runCheck } from "./src/delivery/check_command.ts";
import { describeError } from "./src/delivery/exit.ts";
import { FILTER_HELP, runFilter } from "./src/delivery/filter_command.ts";
import { type CommandIo, type CommandStatus, readAllFd } from "./src/delivery/io.ts";
import { runShowctl } from "./src/profile/showctl_command.ts";
import { runScannersCommand } from "./src/scan/scanners_command.ts";
import { runReport } from "./src/report/mod.ts";
import { runPlainmail } from "./src/plainmail/mod.ts";

type Command = (argv: readonly string[], io: CommandIo) => Promise<CommandStatus>;

const COMMANDS: Readonly<Record<string, Command>> = {
  check: runCheck,
  showctl: runShowctl,
  scanners: runScannersCommand,
  plainmail: runPlainmail,
  ...Object.fromEntries(
    ["log2html", "virulator", "month", "calendar", "portal"].map((name) => [
      name,
      (argv: readonly string[], io: CommandIo) =>
        runReport(name, argv, { ...io, isTTY: process.stderr.isTTY === true }),
    ]),
  ),
  help: (_argv, io) => {
    io.stdout(FILTER_HELP);
    return Promise.resolve(0);
  },
};

function systemIo(): CommandIo {
  return {
    readStdin: () => readAllFd(0),
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    env: process.env,
    now: () => new Date(),
    pid: process.pid,
  };
}

async function main(argv: readonly string[], programName: string): Promise<CommandStatus> {
  const io = systemIo();
  const byName = COMMANDS[programName];
  if (byName && programName !== "help") return await byName(argv, io);
  const [first, ...rest] = argv;
  const command = first === undefined ? undefined : COMMANDS[first];
  if (command) return await command(rest, io);
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
  return basename(name).replace(/\.(ts|js)$/, "");
}

// Killed before the verdict is final (qmail-send's shutdown, an admin's kill): exit 111
// so qmail keeps the message. Node's own default would be death by signal, which
// qmail-local reports as a crash. Writes are synchronous, so this never runs mid-write.
process.on("SIGTERM", () => {
  process.stderr.write("qmvc: Terminated before a final verdict; qmail will retry (#4.3.0)\n");
  process.exit(111);
});

try {
  process.exitCode = await main(process.argv.slice(2), programName());
} catch (error) {
  // Whatever escaped a command: qmail must keep the message (invariant 1).
  process.stderr.write(`qmvc: Temporary failure: ${describeError(error)} (#4.3.0)\n`);
  process.exitCode = 111;
}
