import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { escapeInvisible, type PartAnalysis } from "../analyse/mod.ts";
import { terminalSafeJson } from "../log/mod.ts";
import {
  argsErrorText,
  commonProfileProblem,
  ControlFileError,
  loadControl,
  resolveProfile,
} from "../profile/mod.ts";
import type { ScanResult, Verdict } from "../rules/mod.ts";
import { describeError } from "./exit.ts";
import { CHECK_JSON_VERSION, checkJson } from "./check_json.ts";
import { evaluateMessage, type Evaluation } from "./evaluate.ts";
import type { CommandIo, CommandStatus } from "./io.ts";

export const CHECK_HELP = `Usage: qmvc check [-n] [-u | -c BASEDIR] [--json] FILE...

Dry run: parse and analyse each message file (- for standard input) the way the
filter would, and print every part (file name, declared type, sniffed type, loader
type, archive members), every finding with its evidence, the scanners' answers, and
the verdict with the rules that matched. Nothing is quarantined, sent or logged; the
configured scanners and badbodytexts programs do run. -n as for the filter.
--json prints the same as one JSON document, {"version": 1, "messages": [...]},
one entry per file; its shape is docs/check-json.schema.json.

Exit status: 0 when every file was checked, 1 when a file or a control file could
not be read, 2 for a usage error.

Examples:
  qmvc check samples/clean.eml
  qmvc check -c /var/qmvc/example.org /tmp/suspect.eml
  qmvc check --json /tmp/*.eml > checked.json
`;

/** `qmvc check FILE...`: the pipeline without side effects, explained. */
export async function runCheck(argv: readonly string[], io: CommandIo): Promise<CommandStatus> {
  let files: string[];
  let user = false;
  let noscan = false;
  let common: string | undefined;
  let json = false;
  try {
    const parsed = parseArgs({
      args: [...argv],
      options: {
        u: { type: "boolean", short: "u" },
        n: { type: "boolean", short: "n" },
        c: { type: "string", short: "c" },
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      allowPositionals: true,
      strict: true,
    });
    if (parsed.values.help) {
      io.stdout(CHECK_HELP);
      return 0;
    }
    files = parsed.positionals;
    user = parsed.values.u ?? false;
    noscan = parsed.values.n ?? false;
    common = parsed.values.c;
    json = parsed.values.json ?? false;
  } catch (error) {
    io.stderr(`qmvc check: ${argsErrorText(error)}; see qmvc help check\n`);
    return 2;
  }
  if (files.length === 0) {
    io.stderr("qmvc check: Name a message file to check, e.g. qmvc check message.eml\n");
    return 2;
  }
  const typo = commonProfileProblem(common);
  if (typo) {
    io.stderr(`qmvc check: ${typo}\n`);
    return 1;
  }
  let control;
  try {
    control = await loadControl(resolveProfile({ user, common }, io.env));
  } catch (error) {
    io.stderr(
      `qmvc check: ${error instanceof ControlFileError ? error.message : describeError(error)}\n`,
    );
    return 1;
  }
  let status: CommandStatus = 0;
  const documents: Record<string, unknown>[] = [];
  for (const file of files) {
    let bytes: Uint8Array;
    try {
      bytes = file === "-" ? io.readStdin() : readFileSync(file);
    } catch (error) {
      io.stderr(`qmvc check: Unable to read "${file}": ${describeError(error)}\n`);
      status = 1;
      continue;
    }
    const evaluation = await evaluateMessage(bytes, control, { env: io.env, noscan });
    if (json) documents.push(checkJson(file, evaluation));
    else io.stdout(formatEvaluation(file, evaluation));
  }
  if (json) {
    const json = JSON.stringify({ version: CHECK_JSON_VERSION, messages: documents }, null, 2);
    io.stdout(`${terminalSafeJson(json)}\n`);
  }
  return status;
}

/** The human-readable report of one evaluation. */
export function formatEvaluation(file: string, evaluation: Evaluation): string {
  const { analysis, verdict } = evaluation;
  const m = analysis.message;
  const lines = [
    `${file}: ${m.size} bytes, ${analysis.parts.length} part(s)`,
    `  subject:    ${show(m.subject)}`,
    `  from:       ${show(m.from)}`,
    `  message-id: ${show(m.messageId)}`,
    "parts:",
    ...analysis.parts.flatMap(formatPart),
    ...(evaluation.scans.length
      ? [
        "scanners:",
        ...evaluation.scans.map((s) =>
          `  ${s.scanner}: ${describeScan(s.result)}  (${Math.round(s.milliseconds)} ms)`
        ),
      ]
      : []),
    // Findings are what the analysis saw; the verdict's conditions come from the rules
    // below. "none" just above a condition would read as a contradiction.
    ...(analysis.findings.length
      ? [
        "findings:",
        ...analysis.findings.map((f) => `  ${f.code}  part ${f.part}: ${show(f.evidence)}`),
      ]
      : verdict.kind === "condition"
      ? []
      : ["findings: none"]),
    `verdict: ${formatVerdict(verdict)}`,
  ];
  if (verdict.kind === "condition") {
    for (const match of verdict.matches) {
      const where = match.rule && match.rule.line > 0
        ? `${match.rule.file}:${match.rule.line}`
        : match.rule?.file;
      const rule = match.rule ? `  [${where} ${show(match.rule.pattern)}]` : "";
      lines.push(`  ${match.condition}  part ${match.part}: ${show(match.evidence)}${rule}`);
    }
  }
  return lines.join("\n") + "\n";
}

function formatPart(p: PartAnalysis): string[] {
  const loader = p.loader ? `${p.loader.type} (${p.loader.detail})` : "-";
  const head =
    `  ${
      p.path.padEnd(8)
    } ${p.declaredType}  sniffed ${p.sniffedType}  loader ${loader}  ${p.size} bytes` +
    (p.filename ? `  name ${show(p.filename)}` : "") + (p.isBody ? "  (body)" : "") +
    (p.complete ? "" : "  (not fully inspected)");
  const members = p.members.map((member) => {
    const ml = member.sniff?.loader
      ? `${member.sniff.loader.type} (${member.sniff.loader.detail})`
      : "-";
    const type = member.sniff?.mime ?? "?";
    return `      member ${
      show(member.path)
    }  ${member.size} bytes  sniffed ${type}  loader ${ml}` +
      (member.encrypted ? "  encrypted" : "");
  });
  return [head, ...members];
}

function describeScan(result: ScanResult): string {
  switch (result.kind) {
    case "clean":
      return "clean";
    case "infected": {
      // Where each name was found, by the part numbers of the list above.
      const places = (result.hits ?? []).map((h) =>
        `${show(h.name)} in part ${h.part}${h.member ? ` \u2192 ${show(h.member.path)}` : ""}`
      );
      return `infected: ${places.length ? places.join(", ") : result.names.join(", ")}`;
    }
    case "encrypted":
      return `encrypted: ${result.detail}`;
    case "unchecked":
      return `unchecked: ${result.detail}`;
    case "failed":
      return `failed: ${result.reason}`;
    default: {
      const never: never = result;
      return never;
    }
  }
}

function formatVerdict(verdict: Verdict): string {
  switch (verdict.kind) {
    case "clean":
      return "pass (clean)";
    case "defer":
      return `defer: ${verdict.reason}`;
    case "condition":
      return `${verdict.action} (${verdict.group}): ${verdict.conditions.join(", ")}`;
    default: {
      const never: never = verdict;
      return never;
    }
  }
}

/** Quote a value for a terminal: control and bidi characters are escaped, never printed raw. */
function show(value: string): string {
  return value === "" ? "-" : `"${escapeInvisible(value).replaceAll('"', '\\"')}"`;
}
