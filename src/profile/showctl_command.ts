import { parseArgs } from "node:util";
import { ControlFileError } from "./control/control_file_error.ts";
import { CONTROL_NAMES, type ControlName } from "./control/registry.ts";
import { findLayered } from "./load.ts";
import { resolveProfile } from "./profile.ts";
import { loadControl } from "./load.ts";
import { profileProblem } from "./check_profile.ts";
import { argsErrorText } from "./command_args.ts";

/** The slice of CommandIo showctl needs (profile may not import the delivery stage). */
interface ShowctlIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export const SHOWCTL_HELP = `Usage: qmvc showctl [-u | -c BASEDIR]

Print every control file qmvc would use for this profile: where it comes from
(the profile, the system profile in /var/qmvc or $QMVC_HOME, or the built-in
default) and its effective entries. Like qmail-showctl. Exit status 1 when a
control file is broken, with the file, line and fix.
`;

/** `qmvc showctl`: the effective configuration and where each file came from. */
export async function runShowctl(argv: readonly string[], io: ShowctlIo): Promise<0 | 1 | 2> {
  let user = false;
  let common: string | undefined;
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: {
        u: { type: "boolean", short: "u" },
        c: { type: "string", short: "c" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    });
    if (values.help) {
      io.stdout(SHOWCTL_HELP);
      return 0;
    }
    user = values.u ?? false;
    common = values.c;
  } catch (error) {
    io.stderr(`qmvc showctl: ${argsErrorText(error)}; see qmvc help showctl\n`);
    return 2;
  }
  const profile = resolveProfile({ user, common }, io.env);
  const out: string[] = [
    `profile: ${profile.kind}`,
    `layers: ${[...profile.layers.map((l) => `${l.dir} (${l.layer})`), "built-in"].join(" > ")}`,
    `log: ${profile.logDir}/qmvc.log`,
    `quarantine: ${profile.quarantineDir}`,
    "",
  ];
  let control;
  try {
    control = await loadControl(profile);
  } catch (error) {
    io.stdout(out.join("\n"));
    io.stderr(
      `qmvc showctl: ${error instanceof ControlFileError ? error.message : String(error)}\n`,
    );
    return 1;
  }
  for (const name of CONTROL_NAMES) out.push(...describe(name, profile));
  const warnings = [profileProblem(profile, io.env)];
  if (control.filters.checks.virus && control.scanners.entries.length === 0) {
    warnings.push(
      "virus=y in filters, but control/scanners names no scanner: no mail is scanned for viruses (the log says none)",
    );
  }
  for (const warning of warnings) if (warning) out.push(`warning: ${warning}`);
  io.stdout(out.join("\n") + "\n");
  return 0;
}

function describe(name: ControlName, profile: ReturnType<typeof resolveProfile>): string[] {
  const found = findLayered(profile, `control/${name}`);
  if (!found) return [];
  const where = found.source.layer === "built-in" ? "(default)" : `from ${found.source.path}`;
  const entries = found.text.split("\n").map((l) => l.trim()).filter((l) =>
    l !== "" && !l.startsWith("#")
  );
  return [
    `${name}: ${where}`,
    ...(entries.length ? entries.map((e) => `  ${e}`) : ["  (empty)"]),
    "",
  ];
}
