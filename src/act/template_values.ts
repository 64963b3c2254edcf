import type { Analysis } from "../analyse/mod.ts";
import { escapeInvisible } from "../analyse/mod.ts";
import { headerValue } from "../message/mod.ts";
import { infectedNames, type Match, type ScannerOutcome, type Verdict } from "../rules/mod.ts";
import { outcomeWords } from "./outcome_words.ts";
import type { TemplateValues } from "./template.ts";

/** What a notification, a forward and an incident record are built from. */
export interface Incident {
  readonly verdict: Extract<Verdict, { kind: "condition" }>;
  readonly analysis: Analysis;
  readonly scans: readonly ScannerOutcome[];
  readonly sender: string;
  readonly recipient: string;
  readonly host: string;
}

/** Lines of the original header shown to an admin; a huge header is cut here. */
const MAX_HEADER_LINES = 60;
/** Characters of one reflected header line: mail lines must stay under 998 octets. */
const MAX_HEADER_LINE = 200;

function cut(text: string, max: number): string {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max).join("")}...` : text;
}
/** Characters of the original subject reflected into a notification (RFC 3834 section 3.1.5). */
export const MAX_REFLECTED_SUBJECT = 200;

/**
 * The placeholder values for one incident, in `language` where words are qmvc's own.
 * Paths of control files stay out: senders read these.
 */
export function templateValues(incident: Incident, language: string): TemplateValues {
  const { verdict, analysis } = incident;
  const message = analysis.message;
  const viruses = infectedNames(incident.scans);
  const words = outcomeWords(verdict.action, language);
  return {
    CAUSE: verdict.matches.map(describeMatch).join("\n"),
    CONDITION: verdict.conditions.join(", "),
    ACTION: verdict.action,
    DONE: words.done,
    OUTCOME: words.outcome,
    VIRUS: viruses.length ? [...new Set(viruses)].join(", ") : "-",
    PARTS: describeParts(incident),
    HEADER: message.headers.slice(0, MAX_HEADER_LINES).map((h) =>
      cut(`${h.name}: ${escapeInvisible(h.value)}`, MAX_HEADER_LINE)
    ).join("\n"),
    SENDER: incident.sender || "<>",
    RECIPIENT: incident.recipient,
    SUBJECT: reflectedSubject(message.subject),
    DATE: headerValue(message.headers, "date") ?? "-",
    MESSAGEID: message.messageId || "-",
    HOST: incident.host,
  };
}

function describeMatch(match: Match): string {
  const where = match.part === "0" ? "" : ` (part ${match.part})`;
  return `  ${match.condition}: ${escapeInvisible(match.evidence).slice(0, 300)}${where}`;
}

/**
 * One line per part a match points at, numbered as `qmvc check` numbers them, and one line
 * per archive member a scanner named inside it: `2 "invoice.zip" \u2192 "invoice.exe"`.
 */
function describeParts(incident: Incident): string {
  const paths = new Set(incident.verdict.matches.map((m) => m.part));
  const parts = incident.analysis.parts.filter((p) => paths.has(p.path));
  if (parts.length === 0) return "  -";
  return parts.flatMap((p) => {
    const loader = p.loader ? `, runs as ${p.loader.type} (${p.loader.detail})` : "";
    const name = p.filename ? ` "${escapeInvisible(p.filename)}"` : "";
    const members = new Map<string, string[]>();
    for (const scan of incident.scans) {
      if (scan.result.kind !== "infected") continue;
      for (const hit of scan.result.hits ?? []) {
        if (hit.part !== p.path || !hit.member) continue;
        const found = members.get(hit.member.path) ?? [];
        found.push(`${scan.scanner}: ${hit.name}`);
        members.set(hit.member.path, found);
      }
    }
    return [
      `  ${p.path}${name}: declared ${p.declaredType}, is ${p.sniffedType}${loader}, ${p.size} bytes`,
      ...[...members].map(([member, evidence]) => {
        const listed = p.members.find((x) => x.path === member);
        const type = listed?.sniff ? `: is ${listed.sniff.mime}` : "";
        return `  ${p.path}${name} \u2192 "${escapeInvisible(member)}"${type}, ${
          escapeInvisible(evidence.join("; "))
        }`;
      }),
    ];
  }).join("\n");
}

function reflectedSubject(subject: string): string {
  const chars = [...subject];
  const cut = chars.length > MAX_REFLECTED_SUBJECT
    ? `${chars.slice(0, MAX_REFLECTED_SUBJECT).join("")}...`
    : subject;
  return escapeInvisible(cut) || "(no subject)";
}
