import { basename, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { argsErrorText, resolveProfile } from "../profile/mod.ts";

/** What every report command may touch, injected like the filter's io. */
export interface ReportIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly now: () => Date;
  /** True when stderr is a terminal: only then is progress shown (quiet under cron). */
  readonly isTTY: boolean;
}

export interface ReportArgs {
  /** The profile's directory, and the name pages give it (its domain, for -c DIR). */
  readonly home: string;
  readonly profileName: string;
  /** --log or --rep named a file: it must exist. */
  readonly explicitLog: boolean;
  readonly explicitRep: boolean;
  readonly log: string;
  readonly rep: string;
  readonly logDir: string;
  readonly reportDir: string;
  readonly out: string | undefined;
  readonly anonymize: boolean;
  readonly noArchive: boolean;
  /** month: archive the current month too. */
  readonly force: boolean;
  /** Print the summary line (cron mails whatever a job prints, so only when asked). */
  readonly verbose: boolean;
  readonly limit: number;
  readonly positionals: readonly string[];
  readonly help: boolean;
}

/** The options the report commands share: the profile (-u, -c), files, --out, --anonymize. */
export function parseReportArgs(
  argv: readonly string[],
  env: ReportIo["env"],
): ReportArgs | string {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options: {
        u: { type: "boolean", short: "u" },
        c: { type: "string", short: "c" },
        log: { type: "string" },
        rep: { type: "string" },
        out: { type: "string", short: "o" },
        anonymize: { type: "boolean" },
        "no-archive": { type: "boolean" },
        force: { type: "boolean" },
        verbose: { type: "boolean", short: "v" },
        limit: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      allowPositionals: true,
      strict: true,
    });
    const profile = resolveProfile({ user: values.u ?? false, common: values.c }, env);
    const limit = values.limit === undefined ? 5000 : Number(values.limit);
    if (!Number.isSafeInteger(limit) || limit < 1) {
      return `--limit needs a whole number of lines, e.g. --limit 1000`;
    }
    const profileName = profile.kind === "system"
      ? `system (${profile.home})`
      : profile.kind === "user"
      ? `user ${basename(resolve(env["HOME"] || "."))}`
      : basename(resolve(profile.home));
    return {
      home: profile.home,
      profileName,
      explicitLog: values.log !== undefined,
      explicitRep: values.rep !== undefined,
      log: values.log ?? join(profile.logDir, "qmvc.log"),
      rep: values.rep ?? join(profile.logDir, "qmvc.rep"),
      logDir: values.log ? join(values.log, "..") : profile.logDir,
      reportDir: join(profile.logDir, "..", "reports"),
      out: values.out,
      anonymize: values.anonymize ?? false,
      noArchive: values["no-archive"] ?? false,
      force: values.force ?? false,
      verbose: values.verbose ?? false,
      limit,
      positionals,
      help: values.help ?? false,
    };
  } catch (error) {
    return argsErrorText(error);
  }
}

/** A progress line on a terminal; nothing under cron. */
export function progress(io: ReportIo, what: string): ((lines: number) => void) | undefined {
  if (!io.isTTY) return undefined;
  return (lines) => io.stderr(`\r${what}: ${lines.toLocaleString("en")} lines`);
}

/** Clear the progress line once done. */
export function progressDone(io: ReportIo): void {
  if (io.isTTY) io.stderr("\r\x1b[K");
}
