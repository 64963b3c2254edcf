import { parseArgs } from "node:util";
import {
  argsErrorText,
  commonProfileProblem,
  ControlFileError,
  loadControl,
  resolveProfile,
} from "../profile/mod.ts";
import { clamdScanner, parseEndpoint } from "./clamd.ts";
import { configureScanners, DEFAULT_CLAMD_ENDPOINT } from "./registry.ts";
import type { Scanner } from "./scanner.ts";
import { eicarTestFile, eicarTestMessage } from "./test_virus.ts";

interface ScannersIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export const SCANNERS_HELP = `Usage: qmvc scanners [-u | -c BASEDIR] [--check]

List the AV scanners the profile configures. With --check, prove each one end to
end: every clamd endpoint on its own (PING, VERSION, then the EICAR test file
through INSTREAM), every program with its version option and then the EICAR test
file. A scanner that answers but does not find the test virus fails too (its
signatures are missing). Exit status 1 when any scanner or endpoint would fail a
delivery.

Examples:
  qmvc scanners
  qmvc scanners --check -c /var/qmvc/example.org
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
  const typo = commonProfileProblem(values.c);
  if (typo) {
    io.stderr(`qmvc scanners: ${typo}\n`);
    return 1;
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
    if (!values.check) {
      const where = entry.endpoints.length
        ? ` ${entry.endpoints.join(", ")}`
        : entry.path
        ? ` ${entry.path}`
        : "";
      io.stdout(`${entry.name}${where}  timeout ${entry.timeoutMs / 1000} s\n`);
      continue;
    }
    // Each clamd endpoint alone: a dead first endpoint must not hide behind a live second.
    const targets = entry.name === "clamd"
      ? (entry.endpoints.length ? entry.endpoints : [DEFAULT_CLAMD_ENDPOINT]).map((text) => ({
        label: `clamd ${text}`,
        scanner: clamdScanner([parseEndpoint(text)!]),
      }))
      : [{
        label: `${entry.name}${entry.path ? ` ${entry.path}` : ""}`,
        scanner: configured[i]!.scanner,
      }];
    for (const { label, scanner } of targets) {
      const proof = await prove(scanner, entry.timeoutMs);
      if (!proof.ok) status = 1;
      io.stdout(`${label}: ${proof.ok ? "ok" : "FAILED"}: ${proof.detail}\n`);
    }
  }
  return status;
}

/** Ask a scanner about itself, then hand it the EICAR test file: it must find it. */
async function prove(
  scanner: Scanner,
  timeoutMs: number,
): Promise<{ ok: boolean; detail: string }> {
  const about = await scanner.check({ signal: AbortSignal.timeout(timeoutMs) });
  if (!about.ok) return about;
  const result = await scanner.scan(
    { message: eicarTestMessage(), parts: [{ path: "1", content: eicarTestFile() }] },
    { signal: AbortSignal.timeout(timeoutMs) },
  );
  switch (result.kind) {
    case "infected":
      return {
        ok: true,
        detail: `${about.detail}; EICAR test file found as ${result.names.join(", ")}`,
      };
    case "clean":
      return {
        ok: false,
        detail:
          `${about.detail}; answers, but did not find the EICAR test file: its signatures are missing`,
      };
    case "encrypted":
    case "unchecked":
      return { ok: false, detail: `${about.detail}; EICAR test file answered "${result.detail}"` };
    case "failed":
      return {
        ok: false,
        detail: `${about.detail}; scanning the EICAR test file failed: ${result.reason}`,
      };
    default: {
      const never: never = result;
      return never;
    }
  }
}
