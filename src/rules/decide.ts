import type { Analysis, FindingCode, PartAnalysis } from "../analyse/mod.ts";
import { type HeaderField, headerValue, matchForm } from "../message/mod.ts";
import {
  type Check,
  type Control,
  findPattern,
  matchFoldedPieces,
  matchWildcard,
  type PatternList,
  type Reaction,
  REACTIONS,
  type Wildcard,
} from "../profile/mod.ts";
import { type Condition, CONDITION_GROUP, CONDITIONS, type Match } from "./condition.ts";
import type { BodyCommandOutcome, ScannerOutcome, VirusHit } from "./scan_result.ts";
import { headerSyntaxProblem } from "./_header_syntax.ts";
import type { Verdict } from "./verdict.ts";

/**
 * Which findings make a condition hold. Whatever left content unseen (a parser guard
 * reached, an archive or document that could not be opened, a budget spent) is
 * `unchecked`: fail closed. Structural defects that hide nothing are `errormail`; names
 * that disguise what a file is are `badfilename`. The rest (a name with a path, two
 * names that disagree, yEnc) is recorded and shown, but decides nothing by itself.
 */
const FINDING_CONDITION: Partial<Record<FindingCode, Condition>> = {
  HEADER_SEPARATOR_MISSING: "errormail",
  HEADER_LINE_INVALID: "errormail",
  HEADER_8BIT: "errormail",
  HEADER_DUPLICATE: "errormail",
  LINE_TOO_LONG: "errormail",
  MESSAGE_NUL_BYTE: "errormail",
  MESSAGE_BARE_CR: "errormail",
  MESSAGE_EMPTY: "errormail",
  MIME_BOUNDARY_MISSING: "errormail",
  MIME_BOUNDARY_UNUSED: "errormail",
  MIME_MULTIPART_UNTERMINATED: "errormail",
  MIME_ENCODING_UNKNOWN: "errormail",
  UUENCODE_UNTERMINATED: "errormail",
  // Both readings were inspected, so nothing is hidden: a structural defect.
  CONTENT_TYPE_AMBIGUOUS: "errormail",
  MIME_HEADER_CONFLICT: "unchecked",
  // A Content-Type or Content-Disposition read only so far: its name may end past the cut.
  MIME_HEADER_TOO_LONG: "unchecked",
  // Parser guards: past each of them the content is not parsed, so not inspected.
  HEADER_TOO_LARGE: "unchecked",
  MESSAGE_TOO_LARGE: "unchecked",
  MESSAGE_NESTING_TOO_DEEP: "unchecked",
  MIME_NESTING_TOO_DEEP: "unchecked",
  MIME_TOO_MANY_PARTS: "unchecked",
  MIME_PARSE_FAILED: "unchecked",
  TNEF_INVALID: "unchecked",
  MESSAGE_PARTIAL: "unchecked",
  // Archive budgets, and archives or documents that could not be opened.
  ARCHIVE_BOMB: "unchecked",
  ARCHIVE_TOO_DEEP: "unchecked",
  ARCHIVE_TOO_MANY_MEMBERS: "unchecked",
  ARCHIVE_INVALID: "unchecked",
  ARCHIVE_NOT_LISTED: "unchecked",
  ARCHIVE_CONTENT_NOT_READ: "unchecked",
  ARCHIVE_ENCRYPTED: "unchecked",
  DOCUMENT_ENCRYPTED: "unchecked",
  FILENAME_DOUBLE_EXTENSION: "badfilename",
  FILENAME_BIDI_CONTROL: "badfilename",
  FILENAME_NUL: "badfilename",
};

/**
 * The check in `filters` that switches each condition on. `unchecked` has none: that
 * content could not be inspected is a fact no switch makes untrue; `uncheckedmail=pass`
 * is how an admin lets it through.
 */
const CONDITION_CHECK: Readonly<Record<Condition, Check | undefined>> = {
  virus: "virus",
  virusbomb: "virus",
  badsubject: "subject",
  badbody: "body",
  badfilename: "filename",
  badmimetype: "mimetype",
  badloadertype: "loadertype",
  unchecked: undefined,
  errormail: "headers",
  spammail: "spam",
};

/**
 * Decide the verdict: every condition that holds with its evidence, the action of the
 * highest-precedence group (virus, then bad, then unchecked, then error, then spam), and
 * the reactions.
 * Pure: everything it needs is in its arguments.
 */
export function decide(analysis: Analysis, control: Control, outcomes: Outcomes = {}): Verdict {
  const { filters } = control;
  const scans = outcomes.scans ?? [];
  const bodyCommands = outcomes.bodyCommands ?? [];
  const matches: Match[] = [
    ...scanMatches(scans, analysis),
    ...subjectMatches(analysis, control.badsubjects),
    ...bodyTextMatches(analysis, control, outcomes.matchTexts),
    ...bodyCommandMatches(bodyCommands, control),
    ...partMatches(analysis.parts, control),
    ...headerMatches(analysis, control),
    ...findingMatches(analysis),
    ...spamMatches(analysis, control),
  ];
  const badParts = new Set<string>();
  for (const m of matches) if (BOMB_CONDITIONS.has(m.condition)) badParts.add(m.part);
  if (badParts.size > filters.bomb) {
    matches.unshift({
      condition: "virusbomb",
      part: "0",
      evidence: `${badParts.size} infected or bad parts (bomb=${filters.bomb})`,
      rule: { file: control.sources.filters.path, line: 0, pattern: `bomb=${filters.bomb}` },
    });
  }
  const released = new Set(outcomes.released ?? []);
  const enabled: Match[] = [];
  const holding = new Set<Condition>();
  for (const m of matches) {
    const check = CONDITION_CHECK[m.condition];
    if ((check === undefined || filters.checks[check]) && !released.has(m.condition)) {
      enabled.push(m);
      holding.add(m.condition);
    }
  }
  const conditions: Condition[] = [];
  for (const c of CONDITIONS) if (holding.has(c)) conditions.push(c);
  const failure = checkFailure(scans, bodyCommands);
  // A check that could not run is no "clean": unless the message is already known to
  // carry a virus, scanfail=defer keeps it queued until the check works again.
  if (failure && filters.scanfail === "defer" && !conditions.includes("virus")) {
    return { kind: "defer", reason: failure };
  }
  const top = conditions[0];
  if (top === undefined) return { kind: "clean" };
  const group = CONDITION_GROUP[top];
  const reactions: Reaction[] = REACTIONS.filter((r) => filters.reactions[r]);
  const rank = (m: Match): number => CONDITIONS.indexOf(m.condition);
  return {
    kind: "condition",
    action: filters.actions[group],
    group,
    conditions,
    matches: enabled.sort((a, b) => rank(a) - rank(b)),
    reactions,
  };
}

/** Conditions that count towards `bomb=N`: parts that are infected or bad. */
const BOMB_CONDITIONS: ReadonlySet<Condition> = new Set([
  "virus",
  "badbody",
  "badfilename",
  "badmimetype",
  "badloadertype",
]);

/** What the edge found out before deciding: scanner answers and body-command answers. */
export interface Outcomes {
  readonly scans?: readonly ScannerOutcome[];
  readonly bodyCommands?: readonly BodyCommandOutcome[];
  /** Conditions an admin released this message from (qmvc quarantine release): they no longer hold. */
  readonly released?: readonly string[];
  /**
   * Every text part's text as the badbodytexts text rules read it, by part path
   * (plainmail's `matchTexts`: in `matchForm`, an HTML part as its readable text); the
   * edge makes it only when such rules exist. A part missing here is read as its raw text.
   */
  readonly matchTexts?: ReadonlyMap<string, readonly string[]>;
}

function checkFailure(
  scans: readonly ScannerOutcome[],
  bodyCommands: readonly BodyCommandOutcome[],
): string | undefined {
  for (const s of scans) {
    if (s.result.kind === "failed") return `Scanner ${s.scanner} failed: ${s.result.reason}`;
  }
  for (const b of bodyCommands) if (b.result.kind === "failed") return b.reason;
  return undefined;
}

/**
 * Where a text of the message can be read: every text part, inner messages' included, as
 * a reader sees it (an HTML part as its readable text, from `matchTexts`, so tags and
 * character references split no word), folded into `matchForm` so invisible characters
 * and look-alike forms do not hide a text rule's words; the evidence names the rule,
 * never the folded text.
 */
function bodyTextMatches(
  analysis: Analysis,
  control: Control,
  matchTexts: ReadonlyMap<string, readonly string[]> | undefined,
): Match[] {
  const matches: Match[] = [];
  // The texts are folded at the first text rule: the usual profile has none.
  let texts: { path: string; folded: readonly string[] }[] | undefined;
  for (const rule of control.badbodytexts.rules) {
    if (rule.kind !== "text") continue;
    texts ??= analysis.message.parts.filter((p) => p.hasText)
      .map((p) => ({
        path: p.path,
        folded: matchTexts?.get(p.path) ?? [matchForm(p.text ?? "")],
      }));
    const hit = texts.find((p) => matchFoldedPieces(rule.wildcard, p.folded));
    if (hit) {
      matches.push({
        condition: "badbody",
        part: hit.path,
        evidence: rule.pattern,
        rule: { file: control.badbodytexts.source, line: rule.line, pattern: rule.pattern },
      });
    }
  }
  return matches;
}

function bodyCommandMatches(outcomes: readonly BodyCommandOutcome[], control: Control): Match[] {
  const matches: Match[] = [];
  for (const o of outcomes) {
    if (o.result.kind !== "match") continue;
    matches.push({
      condition: "badbody",
      part: "0",
      evidence: `${o.argv[0]} answered match`,
      rule: { file: control.badbodytexts.source, line: o.line, pattern: o.pattern },
    });
  }
  return matches;
}

/** `mailheaders`: mandatory fields present, checked fields well-formed. */
function headerMatches(analysis: Analysis, control: Control): Match[] {
  const matches: Match[] = [];
  const headers = analysis.message.headers;
  for (const rule of control.mailheaders.rules) {
    const ref = {
      file: control.mailheaders.source,
      line: rule.line,
      pattern: `${rule.mandatory ? "+" : "?"}${rule.name}`,
    };
    const value = headerValue(headers, rule.name);
    if (value === undefined) {
      if (rule.mandatory) {
        matches.push({
          condition: "errormail",
          part: "0",
          evidence: `missing ${rule.name}`,
          rule: ref,
        });
      }
      continue;
    }
    const problem = headerSyntaxProblem(rule.name, value);
    if (problem) {
      matches.push({
        condition: "errormail",
        part: "0",
        evidence: `${rule.name}: ${problem}`,
        rule: ref,
      });
    }
  }
  return matches;
}

/** The first field of that name (lower case) whose value matches the wildcard. */
function firstHeader(
  headers: readonly HeaderField[],
  lowerName: string,
  value: Wildcard,
): HeaderField | undefined {
  for (const h of headers) {
    if (h.name.toLowerCase() === lowerName && matchWildcard(value, h.value)) return h;
  }
  return undefined;
}

/** `spamheaders`: a verdict an earlier filter left in the header. */
function spamMatches(analysis: Analysis, control: Control): Match[] {
  const matches: Match[] = [];
  for (const rule of control.spamheaders.rules) {
    const lower = rule.name.toLowerCase();
    const field = firstHeader(analysis.message.headers, lower, rule.value);
    if (field) {
      matches.push({
        condition: "spammail",
        part: "0",
        evidence: `${field.name}: ${field.value.slice(0, 120)}`,
        rule: {
          file: control.spamheaders.source,
          line: rule.line,
          pattern: `${rule.name}: ${rule.pattern}`,
        },
      });
    }
  }
  return matches;
}

/**
 * ClamAV reports what it could not look into as detections: `Heuristics.Encrypted.*`
 * (with AlertEncrypted) and `Heuristics.Limits.Exceeded.*` (with AlertExceedsMax). Those
 * say "not inspected", not "infected": they are `unchecked`.
 */
const NOT_INSPECTED_NAME = /^Heuristics\.(?:Encrypted|Limits\.Exceeded)\./;

/**
 * (Loops rather than flatMap here and below: the decision runs once per process, and the
 * first flatMap of a process costs about 0.3 M instructions, the runtime compiling it.)
 *
 * One `virus` match per scanner and place: the part (and archive member) the scanner
 * tied its names to, with the evidence naming the attachment as a user sees it
 * ("invoice.zip \u2192 invoice.exe"); names that say "not inspected" are `unchecked`
 * there instead. A scanner that could not say where is the message as a whole, part "0".
 */
function scanMatches(scans: readonly ScannerOutcome[], analysis: Analysis): Match[] {
  const matches: Match[] = [];
  for (const s of scans) matches.push(...scanMatchesOf(s, analysis));
  return matches;
}

function scanMatchesOf(s: ScannerOutcome, analysis: Analysis): Match[] {
  switch (s.result.kind) {
    case "infected": {
      const hits: readonly VirusHit[] = s.result.hits?.length
        ? s.result.hits
        : s.result.names.map((name) => ({ name, part: "0" }));
      type Place = { condition: Condition; part: string; member?: string; names: string[] };
      const places = new Map<string, Place>();
      for (const hit of hits) {
        const condition = NOT_INSPECTED_NAME.test(hit.name) ? "unchecked" : "virus";
        const key = `${condition}\0${hit.part}\0${hit.member?.path ?? ""}`;
        let place = places.get(key);
        if (!place) {
          place = hit.member
            ? { condition, part: hit.part, member: hit.member.path, names: [] }
            : { condition, part: hit.part, names: [] };
          places.set(key, place);
        }
        if (!place.names.includes(hit.name)) place.names.push(hit.name);
      }
      return [...places.values()].map((place): Match => ({
        condition: place.condition,
        part: place.part,
        ...(place.member === undefined ? {} : { member: place.member }),
        evidence: `${s.scanner}: ${place.names.join(", ")}${
          describePlace(analysis, place.part, place.member)
        }`,
        rule: undefined,
      }));
    }
    case "encrypted":
      // The scanner could not look inside, like an encrypted archive member.
      return [{
        condition: "unchecked",
        part: "0",
        evidence: `${s.scanner}: encrypted (${s.result.detail})`,
        rule: undefined,
      }];
    case "unchecked":
      return [{
        condition: "unchecked",
        part: "0",
        evidence: `${s.scanner}: ${s.result.detail}`,
        rule: undefined,
      }];
    case "clean":
    case "failed":
      return [];
    default: {
      const never: never = s.result;
      return never;
    }
  }
}

/** " in invoice.zip \u2192 invoice.exe", " in part 2", or "" for the message as a whole. */
function describePlace(analysis: Analysis, part: string, member: string | undefined): string {
  if (part === "0") return "";
  const name = analysis.parts.find((p) => p.path === part)?.filename || `part ${part}`;
  return member === undefined ? ` in ${name}` : ` in ${name} \u2192 ${member}`;
}

function subjectMatches(analysis: Analysis, list: PatternList): Match[] {
  const subjects = [{ part: "0", subject: analysis.message.subject }];
  for (const m of analysis.message.innerMessages) {
    subjects.push({ part: m.path, subject: m.subject });
  }
  const matches: Match[] = [];
  for (const { part, subject } of subjects) {
    const entry = findPattern(list, subject);
    if (!entry) continue;
    matches.push({
      condition: "badsubject",
      part,
      evidence: subject,
      rule: { file: list.source, line: entry.line, pattern: entry.pattern },
    });
  }
  return matches;
}

function partMatches(parts: readonly PartAnalysis[], control: Control): Match[] {
  const matches: Match[] = [];
  const loaderRule = (type: string): Match["rule"] => {
    const entry = control.badloadertypes.entries.find((e) => e.type === type);
    return entry
      ? { file: control.badloadertypes.source, line: entry.line, pattern: entry.type }
      : undefined;
  };
  const patternRule = (list: PatternList, value: string): Match["rule"] => {
    const entry = value ? findPattern(list, value) : undefined;
    return entry ? { file: list.source, line: entry.line, pattern: entry.pattern } : undefined;
  };
  for (const part of parts) {
    const push = (condition: Condition, evidence: string, rule: Match["rule"]): void => {
      if (rule) matches.push({ condition, part: part.path, evidence, rule });
    };
    for (const name of part.names) {
      push("badfilename", name, patternRule(control.badfilenames, name));
    }
    if (!part.isBody) {
      push("badmimetype", part.declaredType, patternRule(control.badmimetypes, part.declaredType));
      if (part.sniffedType !== part.declaredType) {
        push("badmimetype", part.sniffedType, patternRule(control.badmimetypes, part.sniffedType));
      }
    }
    if (part.loader) {
      push(
        "badloadertype",
        `${part.loader.type} (${part.loader.detail})`,
        loaderRule(part.loader.type),
      );
    }
    for (const member of part.members) {
      push("badfilename", member.path, patternRule(control.badfilenames, member.name));
      const loader = member.sniff?.loader;
      if (loader) {
        push(
          "badloadertype",
          `${member.path}: ${loader.type} (${loader.detail})`,
          loaderRule(loader.type),
        );
      }
      if (member.sniff) {
        push(
          "badmimetype",
          `${member.path}: ${member.sniff.mime}`,
          patternRule(control.badmimetypes, member.sniff.mime),
        );
      }
    }
  }
  return matches;
}

function findingMatches(analysis: Analysis): Match[] {
  const matches: Match[] = [];
  for (const f of analysis.findings) {
    const condition = FINDING_CONDITION[f.code];
    if (condition) {
      matches.push({
        condition,
        part: f.part,
        evidence: `${f.code}: ${f.evidence}`,
        rule: undefined,
      });
    }
  }
  return matches;
}
