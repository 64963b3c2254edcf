import { join } from "node:path";
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
  readonly log: string;
  readonly rep: string;
  readonly logDir: string;
  readonly reportDir: string;
  readonly out: string | undefined;
  readonly anonymize: boolean;
  readonly noArchive: boolean;
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
    return {
      log: values.log ?? join(profile.logDir, "qmvc.log"),
      rep: values.rep ?? join(profile.logDir, "qmvc.rep"),
      logDir: values.log ? join(values.log, "..") : profile.logDir,
      reportDir: join(profile.logDir, "..", "reports"),
      out: values.out,
      anonymize: values.anonymize ?? false,
      noArchive: values["no-archive"] ?? false,
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
