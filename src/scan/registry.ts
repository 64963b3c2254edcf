import type { Control, ScannerEntry } from "../profile/mod.ts";
import { type ClamdEndpoint, clamdScanner, parseEndpoint } from "./clamd.ts";
import type { Scanner } from "./scanner.ts";
import { BUILTIN_SUBPROCESS, subprocessScanner } from "./subprocess.ts";

/** Where clamd listens on a Debian system when `scanners` names no endpoint. */
export const DEFAULT_CLAMD_ENDPOINT = "/var/run/clamav/clamd.ctl";

/** A configured scanner with its time budget. */
export interface ConfiguredScanner {
  readonly scanner: Scanner;
  readonly timeoutMs: number;
}

/** Build the adapters the `scanners` file names (names were validated at load time). */
export function configureScanners(control: Control): ConfiguredScanner[] {
  return control.scanners.entries.map((entry) => ({
    scanner: adapterFor(entry, control),
    timeoutMs: entry.timeoutMs,
  }));
}

function adapterFor(entry: ScannerEntry, control: Control): Scanner {
  if (entry.name === "clamd") {
    const endpoints = (entry.endpoints.length ? entry.endpoints : [DEFAULT_CLAMD_ENDPOINT]).map(
      (text) => {
        const endpoint = parseEndpoint(text);
        if (!endpoint) {
          throw new Error(
            `${control.sources.scanners.path}:${entry.line}: endpoint "${text}" is neither /socket nor host:port`,
          );
        }
        return endpoint;
      },
    );
    return clamdScanner(endpoints as ClamdEndpoint[]);
  }
  const yaml = control["scanners.yaml"].scanners[entry.name];
  const builtin = BUILTIN_SUBPROCESS[entry.name];
  const definition = yaml ?? (builtin ? { name: entry.name, ...builtin } : undefined);
  if (!definition) {
    throw new Error(
      `${control.sources.scanners.path}:${entry.line}: unknown scanner "${entry.name}"`,
    );
  }
  return subprocessScanner(
    { ...definition, command: entry.path ?? definition.command },
    entry.extraArgs,
  );
}
