import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { ScannerDefinition } from "../profile/mod.ts";
import type { ScanResult, VirusHit } from "../rules/mod.ts";
import { runProgram } from "./run_program.ts";
import type { ScanInput, Scanner } from "./scanner.ts";

/**
 * How to run one command-line scanner and read its answer: the same shape whether it is
 * built in or declared in scanners.yaml. Exit codes are the scanner's own protocol; they
 * are translated here and never passed on to qmail.
 */
export type SubprocessDefinition = ScannerDefinition;

/** The scanners qmvc knows by name (spec section 4), with their documented conventions. */
export const BUILTIN_SUBPROCESS: Readonly<Record<string, Omit<SubprocessDefinition, "name">>> = {
  clamdscan: {
    command: "/usr/bin/clamdscan",
    args: ["--no-summary", "--stdout", "--fdpass", "{files}"],
    clean: [0],
    infected: [1],
    virus: /^.*?: (?<name>.+) FOUND$/gm,
    versionArgs: ["--version"],
  },
  clamscan: {
    command: "/usr/bin/clamscan",
    args: ["--no-summary", "--stdout", "{files}"],
    clean: [0],
    infected: [1],
    virus: /^.*?: (?<name>.+) FOUND$/gm,
    versionArgs: ["--version"],
  },
  fsav: {
    command: "/usr/bin/fsav",
    args: ["--virus-action1=none", "--archive=yes", "--mime=yes", "{files}"],
    clean: [0],
    infected: [3, 4, 6, 8],
    virus: /: (?:Infected|Suspected|Riskware): (?<name>[^\s[]+)/gm,
    versionArgs: ["--version"],
  },
  sweep: {
    command: "/usr/local/bin/sweep",
    args: ["-nc", "-nb", "-ss", "-archive", "-mime", "-tnef", "{files}"],
    clean: [0],
    infected: [3],
    virus: />>> Virus '(?<name>[^']+)' found/gm,
    versionArgs: ["-v"],
  },
  savscan: {
    command: "/usr/local/bin/savscan",
    args: ["-nc", "-nb", "-ss", "-archive", "-mime", "-tnef", "{files}"],
    clean: [0],
    infected: [3],
    virus: />>> Virus '(?<name>[^']+)' found/gm,
    versionArgs: ["-v"],
  },
  uvscan: {
    command: "/usr/local/bin/uvscan",
    args: ["--secure", "-rv", "--mime", "--noboot", "{files}"],
    clean: [0],
    infected: [13],
    virus: /Found(?: the| virus)? (?<name>\S+)/gm,
    versionArgs: ["--version"],
  },
  vscan: {
    command: "/etc/iscan/vscan",
    args: ["-za", "-a", "{files}"],
    clean: [0],
    // Trend Micro's vscan exits with the number of infected files it found.
    infected: Array.from({ length: 100 }, (_, i) => i + 1),
    virus: /Found virus (?<name>\S+)/gm,
    versionArgs: ["-v"],
  },
  inocucmd: {
    command: "/usr/local/bin/inocucmd",
    args: ["-sec", "-nex", "{files}"],
    clean: [0],
    // InoculateIT exits 100 when it finds a virus: that must never reach qmail as a bounce.
    infected: [100],
    virus: /is infected by virus: ?(?<name>.+)$/gm,
    versionArgs: [],
  },
};

/**
 * A command-line scanner: the message and the decoded parts are written to a private
 * temporary directory (mode 0700, removed afterwards), the program runs on those files
 * without a shell, and its exit code and output are translated into a ScanResult.
 */
export function subprocessScanner(
  definition: SubprocessDefinition,
  extraArgs: readonly string[] = [],
): Scanner {
  return {
    name: definition.name,
    async scan(input: ScanInput, { signal }): Promise<ScanResult> {
      let dir: string | undefined;
      try {
        // An absolute path can never be read as an option, whatever TMPDIR says.
        dir = mkdtempSync(join(resolve(tmpdir()), "qmvc-scan-"));
        // qmvc names the files, so the scanner's report of a file maps back to its part.
        const files = [join(dir, "message.eml")];
        const partOf = new Map([[files[0]!, "0"]]);
        writeFileSync(files[0]!, input.message, { mode: 0o600 });
        input.parts.forEach((part, i) => {
          const file = join(dir!, `part-${i + 1}`);
          writeFileSync(file, part.content, { mode: 0o600 });
          files.push(file);
          partOf.set(file, part.path);
        });
        const argv = buildArgv(definition, extraArgs, files);
        const run = await runProgram(argv, {
          env: { PATH: "/usr/local/bin:/usr/bin:/bin" },
          timeoutMs: 24 * 3600_000,
          signal,
        });
        if (run.kind === "failed") {
          return {
            kind: "failed",
            reason: `${definition.name}: ${signal.aborted ? "no answer in time" : run.reason}`,
          };
        }
        return interpret(definition, run.code, `${run.stdout}\n${run.stderr}`, partOf);
      } catch (error) {
        return {
          kind: "failed",
          reason: `${definition.name}: ${error instanceof Error ? error.message : String(error)}`,
        };
      } finally {
        if (dir) rmSync(dir, { recursive: true, force: true });
      }
    },
    async check({ signal }) {
      if (definition.versionArgs.length === 0) {
        return { ok: true, detail: `${definition.command} (no version option)` };
      }
      const run = await runProgram([definition.command, ...definition.versionArgs], {
        timeoutMs: 30_000,
        signal,
        env: { PATH: "/usr/bin:/bin" },
      });
      if (run.kind === "failed") return { ok: false, detail: run.reason };
      return {
        ok: run.code === 0,
        detail: (run.stdout || run.stderr).trim().split("\n")[0] ?? `exit ${run.code}`,
      };
    },
  };
}

function buildArgv(
  definition: SubprocessDefinition,
  extraArgs: readonly string[],
  files: readonly string[],
): string[] {
  const args = [...extraArgs, ...definition.args];
  const at = args.indexOf("{files}");
  if (at < 0) return [definition.command, ...args, ...files];
  return [definition.command, ...args.slice(0, at), ...files, ...args.slice(at + 1)];
}

/**
 * Translate a scanner's exit code and output. An exit code it does not document is a
 * failure. Each virus name is the pattern's whole `name` group, spaces and all. With
 * `files` (temporary file to part path), each name is tied to the file its report line
 * (or the pattern's `file` group) names, and to an archive member written after it
 * ("part-2/invoice.exe", "part-2->invoice.exe", "part-2!invoice.exe").
 */
export function interpret(
  definition: SubprocessDefinition,
  code: number,
  output: string,
  files: ReadonlyMap<string, string> = new Map(),
): ScanResult {
  if (definition.clean.includes(code)) return { kind: "clean" };
  if (definition.infected.includes(code)) {
    const pattern = new RegExp(
      definition.virus.source,
      definition.virus.flags.includes("g") ? definition.virus.flags : `${definition.virus.flags}g`,
    );
    const hits: VirusHit[] = [];
    for (const m of output.matchAll(pattern)) {
      const name = (m.groups?.["name"] ?? m[1] ?? "").trim();
      if (name === "") continue;
      const where = m.groups?.["file"] ?? lineAround(output, m.index ?? 0);
      hits.push({ name, ...locateFile(where, files) });
    }
    if (hits.length === 0) {
      return { kind: "infected", names: [`${definition.name}: unnamed (exit ${code})`] };
    }
    const names = [...new Set(hits.map((h) => h.name))];
    // The whole message (message.eml) carries what its parts carry: the part is the place.
    const placed = hits.filter((h) =>
      h.part !== "0" || !hits.some((other) => other.part !== "0" && other.name === h.name)
    );
    const distinct = placed.filter((h, i) =>
      placed.findIndex((o) =>
        o.name === h.name && o.part === h.part && o.member?.path === h.member?.path
      ) === i
    );
    return files.size ? { kind: "infected", names, hits: distinct } : { kind: "infected", names };
  }
  const said = output.trim().split("\n").find((l) => l.trim() !== "")?.slice(0, 160) ?? "";
  return { kind: "failed", reason: `${definition.name} exited ${code}${said ? `: ${said}` : ""}` };
}

function lineAround(text: string, index: number): string {
  const start = text.lastIndexOf("\n", index) + 1;
  const end = text.indexOf("\n", index);
  return text.slice(start, end < 0 ? text.length : end);
}

/** Characters that continue a file name: "part-1" is not "part-12". */
const NAME_CHAR = /[A-Za-z0-9._-]/;
const MEMBER_AFTER = /^(?:\/\/?|->|!|\|)([^\s:]+)/;

/** The part (and member) a report line names through one of qmvc's temporary files. */
function locateFile(
  text: string,
  files: ReadonlyMap<string, string>,
): { part: string; member?: { path: string } } {
  for (const [file, part] of files) {
    let at = text.indexOf(file);
    while (at >= 0 && NAME_CHAR.test(text.charAt(at + file.length))) {
      at = text.indexOf(file, at + 1);
    }
    if (at < 0) continue;
    const member = MEMBER_AFTER.exec(text.slice(at + file.length))?.[1];
    return member && part !== "0" ? { part, member: { path: member } } : { part };
  }
  return { part: "0" };
}
