import { accessSync, constants } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ControlFileError } from "./control/control_file_error.ts";
import { type Control, CONTROL_NAMES, type ControlName } from "./control/registry.ts";
import { filtersEntries } from "./control/filters.ts";
import { limitsEntries } from "./control/limits.ts";
import { writableProblem } from "./writable_for.ts";
import { findLayered } from "./load.ts";
import { type Profile, resolveProfile } from "./profile.ts";
import { loadControl } from "./load.ts";
import { profileProblem } from "./check_profile.ts";
import { argsErrorText } from "./command_args.ts";

/** The slice of CommandIo showctl needs (profile may not import the delivery stage). */
interface ShowctlIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export const SHOWCTL_HELP = `Usage: qmvc showctl [-u | -c BASEDIR] [--as USER]

Print every control file qmvc would use for this profile: where it comes from
(the profile, the system profile in /var/qmvc or $QMVC_HOME, or the built-in
default) and its effective entries; for filters and limits every key, the ones
the file leaves out marked (default). Like qmail-showctl. Then warnings: no virus
scanner, qmail-inject missing, a memory limit under what message-size needs, a
profile directory USER could not write (--as).
Exit status 1 when a control file is broken, with the file, line and fix.

Examples:
  qmvc showctl
  qmvc showctl -c /var/qmvc/example.org --as alias
`;

/** `qmvc showctl`: the effective configuration and where each file came from. */
export async function runShowctl(argv: readonly string[], io: ShowctlIo): Promise<0 | 1 | 2> {
  let user = false;
  let common: string | undefined;
  let asUser: string | undefined;
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: {
        u: { type: "boolean", short: "u" },
        c: { type: "string", short: "c" },
        as: { type: "string" },
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
    asUser = values.as;
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
  for (const name of CONTROL_NAMES) out.push(...describe(name, profile, control));
  for (const warning of warnings(control, profile, io.env, asUser)) out.push(`warning: ${warning}`);
  io.stdout(out.join("\n") + "\n");
  return 0;
}

/** What qmvc holds any delivery to beyond twice its message (DESIGN: bounded memory). */
const SMALL_DELIVERY_BYTES = 80 * 1024 * 1024;

/** What an admin should fix before trusting the profile; empty when nothing. */
function warnings(
  control: Control,
  profile: Profile,
  env: ShowctlIo["env"],
  asUser: string | undefined,
): string[] {
  const found: (string | undefined)[] = [profileProblem(profile, env)];
  if (control.filters.checks.virus && control.scanners.entries.length === 0) {
    found.push(
      "virus=y in filters, but control/scanners names no scanner: no mail is scanned for viruses (the log says none)",
    );
  }
  const limits = control.limits;
  const needed = 2 * limits.maxMessageBytes + SMALL_DELIVERY_BYTES;
  if (limits.maxMemoryBytes < needed) {
    const mib = (n: number) => `${Math.ceil(n / 2 ** 20)}M`;
    found.push(
      `memory=${
        mib(limits.maxMemoryBytes)
      } in limits is under what a delivery of a message of message-size=${
        mib(limits.maxMessageBytes)
      } may use (2 x message + 80M = ${
        mib(needed)
      }): such mail defers until qmail bounces it; raise memory, or lower message-size`,
    );
  }
  const inject = control.qmailinject.argv[0] ?? "";
  try {
    accessSync(inject, constants.X_OK);
  } catch {
    found.push(
      `qmail-inject ${inject} is not there or not executable: notifications and forwards fail; name the right one in ${
        join(profile.home, "control/qmailinject")
      }`,
    );
  }
  if (asUser !== undefined) {
    for (const dir of [profile.home, profile.logDir, profile.quarantineDir, profile.cacheDir]) {
      found.push(writableProblem(dir, asUser));
    }
  }
  return [...new Set(found.filter((w): w is string => w !== undefined))];
}

function describe(name: ControlName, profile: Profile, control: Control): string[] {
  const found = findLayered(profile, `control/${name}`);
  if (!found) return [];
  const where = found.source.layer === "built-in" ? "(default)" : `from ${found.source.path}`;
  const lines = found.text.split("\n").map((l) => l.trim()).filter((l) =>
    l !== "" && !l.startsWith("#")
  );
  const keyed = name === "filters"
    ? filtersEntries(control.filters)
    : name === "limits"
    ? limitsEntries(control.limits)
    : undefined;
  let entries = lines;
  if (keyed) {
    const set = new Set(lines.map((l) => l.split("=")[0]!.trim().toLowerCase()));
    entries = keyed.map(([key, value]) =>
      `${key}=${value}${set.has(key) || found.source.layer === "built-in" ? "" : " (default)"}`
    );
  }
  return [
    `${name}: ${where}`,
    ...(entries.length ? entries.map((e) => `  ${e}`) : ["  (empty)"]),
    "",
  ];
}
