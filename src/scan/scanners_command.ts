import { parseArgs } from "node:util";
import { argsErrorText, ControlFileError, loadControl, resolveProfile } from "../profile/mod.ts";
import { configureScanners } from "./registry.ts";

interface ScannersIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export const SCANNERS_HELP = `Usage: qmvc scanners [-u | -c BASEDIR] [--check]

List the AV scanners the profile configures. With --check, ask each one whether it
answers: clamd with PING and VERSION on each endpoint (failover order), programs
with their version option. Exit status 1 when a scanner does not answer.
`;

/** `qmvc scanners [--check]`. */
export async function runScannersCommand(
  argv: readonly string[],
  io: ScannersIo,
): Promise<0 | 1 | 2> {
  let values: { u?: boolean; c?: string; check?: boolean; help?: boolean };
  try {
    values = parseArgs({
      args: [...argv],
      options: {
        u: { type: "boolean", short: "u" },
        c: { type: "string", short: "c" },
        check: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }).values;
  } catch (error) {
    io.stderr(`qmvc scanners: ${argsErrorText(error)}; see qmvc help scanners\n`);
    return 2;
  }
  if (values.help) {
    io.stdout(SCANNERS_HELP);
    return 0;
  }
  let control;
  try {
    control = await loadControl(
      resolveProfile({ user: values.u ?? false, common: values.c }, io.env),
    );
  } catch (error) {
    io.stderr(
      `qmvc scanners: ${error instanceof ControlFileError ? error.message : String(error)}\n`,
    );
    return 1;
  }
  const entries = control.scanners.entries;
  if (entries.length === 0) {
    io.stdout(`no scanners configured (${control.sources.scanners.path})\n`);
    return 0;
  }
  const configured = configureScanners(control);
  let status: 0 | 1 = 0;
  for (const [i, entry] of entries.entries()) {
    const where = entry.endpoints.length
      ? ` ${entry.endpoints.join(", ")}`
      : entry.path
      ? ` ${entry.path}`
      : "";
    if (!values.check) {
      io.stdout(`${entry.name}${where}  timeout ${entry.timeoutMs / 1000} s\n`);
      continue;
    }
    const answer = await configured[i]!.scanner.check({
      signal: AbortSignal.timeout(entry.timeoutMs),
    });
    if (!answer.ok) status = 1;
    io.stdout(`${entry.name}${where}: ${answer.ok ? "ok" : "FAILED"}: ${answer.detail}\n`);
  }
  return status;
}
