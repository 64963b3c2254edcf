import type { PartAnalysis } from "../analyse/mod.ts";
import type { ScanResult, Verdict } from "../rules/mod.ts";
import type { Evaluation } from "./evaluate.ts";

/** The version of the `qmvc check --json` document (docs/check-json.schema.json). */
export const CHECK_JSON_VERSION = 1;

/**
 * One checked message as data: what `qmvc check` prints, field for field, for scripts
 * and for comparing runs. The shape is docs/check-json.schema.json; values are the
 * message's own (a script escapes them for where it shows them).
 */
export function checkJson(file: string, evaluation: Evaluation): Record<string, unknown> {
  const { analysis, verdict } = evaluation;
  const m = analysis.message;
  return {
    file,
    size: m.size,
    subject: m.subject,
    from: m.from,
    messageId: m.messageId,
    parts: analysis.parts.map(partJson),
    findings: analysis.findings.map((f) => ({ code: f.code, part: f.part, evidence: f.evidence })),
    scanners: evaluation.scans.map((s) => ({
      scanner: s.scanner,
      milliseconds: Math.round(s.milliseconds),
      ...scanJson(s.result),
    })),
    verdict: verdictJson(verdict),
    matches: verdict.kind === "condition"
      ? verdict.matches.map((match) => ({
        condition: match.condition,
        part: match.part,
        member: match.member ?? null,
        evidence: match.evidence,
        rule: match.rule
          ? { file: match.rule.file, line: match.rule.line, pattern: match.rule.pattern }
          : null,
      }))
      : [],
  };
}

function partJson(p: PartAnalysis): Record<string, unknown> {
  return {
    path: p.path,
    filename: p.filename,
    declaredType: p.declaredType,
    sniffedType: p.sniffedType,
    loader: p.loader ? { type: p.loader.type, detail: p.loader.detail } : null,
    size: p.size,
    sha256: p.sha256,
    isBody: p.isBody,
    complete: p.complete,
    members: p.members.map((member) => ({
      path: member.path,
      size: member.size,
      sniffedType: member.sniff?.mime ?? null,
      loader: member.sniff?.loader
        ? { type: member.sniff.loader.type, detail: member.sniff.loader.detail }
        : null,
      encrypted: member.encrypted ?? false,
    })),
  };
}

function scanJson(result: ScanResult): Record<string, unknown> {
  switch (result.kind) {
    case "clean":
      return { result: "clean" };
    case "infected":
      return {
        result: "infected",
        names: result.names,
        hits: (result.hits ?? []).map((h) => ({
          name: h.name,
          part: h.part,
          member: h.member?.path ?? null,
        })),
      };
    case "encrypted":
    case "unchecked":
      return { result: result.kind, detail: result.detail };
    case "failed":
      return { result: "failed", detail: result.reason };
    default: {
      const never: never = result;
      return never;
    }
  }
}

function verdictJson(verdict: Verdict): Record<string, unknown> {
  switch (verdict.kind) {
    case "clean":
      return { kind: "clean", action: "pass" };
    case "defer":
      return { kind: "defer", reason: verdict.reason };
    case "condition":
      return {
        kind: "condition",
        action: verdict.action,
        group: verdict.group,
        conditions: verdict.conditions,
      };
    default: {
      const never: never = verdict;
      return never;
    }
  }
}
