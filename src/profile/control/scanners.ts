import { ControlFileError, controlLines } from "./control_file_error.ts";

/** Scanners qmvc knows by name; src/scan/registry.ts has an adapter for each (a test keeps them equal). */
export const BUILTIN_SCANNER_NAMES = [
  "clamd",
  "clamdscan",
  "clamscan",
  "fsav",
  "sweep",
  "savscan",
  "uvscan",
  "vscan",
  "inocucmd",
] as const;

/** At most four scanners run for one message (spec section 4). */
export const MAX_SCANNERS = 4;
/** A scanner that has not answered by then has failed. */
export const DEFAULT_SCANNER_TIMEOUT_S = 60;

/** One line of `scanners`: which scanner, where to reach it, how long to wait. */
export interface ScannerEntry {
  readonly name: string;
  readonly line: number;
  readonly timeoutMs: number;
  /** clamd: sockets or host:port, tried in order (failover). */
  readonly endpoints: readonly string[];
  /** Subprocess scanners: the program, when not at its usual place. */
  readonly path: string | undefined;
  /** Subprocess scanners: arguments after `--`, put before the scanner's own. */
  readonly extraArgs: readonly string[];
}

export interface ScannerList {
  readonly source: string;
  readonly entries: readonly ScannerEntry[];
}

/**
 * Parse `scanners`: `NAME [endpoint=...]... [timeout=S] [path=/prog] [-- extra args]`,
 * up to four lines. Whether NAME exists is checked with scanners.yaml at load time.
 */
export function parseScanners(text: string, source: string): ScannerList {
  const entries = controlLines(text).map(({ text: entry, line }): ScannerEntry => {
    const words = entry.split(/\s+/);
    const dashes = words.indexOf("--");
    const options = dashes >= 0 ? words.slice(1, dashes) : words.slice(1);
    const name = (words[0] ?? "").toLowerCase();
    if (!/^[a-z][a-z0-9_-]*$/.test(name)) {
      throw new ControlFileError(source, line, `Invalid scanner name "${words[0]}"`);
    }
    let timeoutMs = DEFAULT_SCANNER_TIMEOUT_S * 1000;
    let path: string | undefined;
    const endpoints: string[] = [];
    for (const option of options) {
      const [key, value = ""] = option.split(/=(.*)/s);
      if (key === "timeout" && /^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= 3600) {
        timeoutMs = Number(value) * 1000;
      } else if (key === "endpoint" && value) endpoints.push(value);
      else if (key === "path" && value.startsWith("/")) path = value;
      else {
        throw new ControlFileError(
          source,
          line,
          `Invalid option "${option}": use timeout=SECONDS (1-3600), endpoint=/socket or endpoint=host:port, path=/absolute/program, or -- before extra arguments`,
        );
      }
    }
    return {
      name,
      line,
      timeoutMs,
      endpoints,
      path,
      extraArgs: dashes >= 0 ? words.slice(dashes + 1) : [],
    };
  });
  if (entries.length > MAX_SCANNERS) {
    throw new ControlFileError(
      source,
      entries[MAX_SCANNERS]!.line,
      `At most ${MAX_SCANNERS} scanners run for a message: remove this one`,
    );
  }
  const seen = new Set<string>();
  for (const e of entries) {
    if (seen.has(e.name)) {
      throw new ControlFileError(source, e.line, `Scanner "${e.name}" is listed twice`);
    }
    seen.add(e.name);
  }
  return { source, entries };
}
