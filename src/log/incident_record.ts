/** One line of qmvc.rep: an incident with its full evidence (spec section 6), as JSON. */
export interface IncidentRecord {
  readonly time: string;
  readonly pid: number;
  readonly action: string;
  readonly conditions: readonly string[];
  readonly sender: string;
  readonly recipient: string;
  readonly messageId: string;
  readonly subject: string;
  readonly size: number;
  readonly matches: readonly {
    readonly condition: string;
    /** The part's path as `qmvc check` lists it; "0" is the message as a whole. */
    readonly part: string;
    readonly member?: string;
    readonly evidence: string;
    readonly rule?: { readonly file: string; readonly line: number; readonly pattern: string };
  }[];
  readonly parts: readonly {
    readonly path: string;
    readonly filename: string;
    readonly declaredType: string;
    readonly sniffedType: string;
    readonly loaderType: string;
    readonly size: number;
    readonly sha256: string;
    /** Inside an archive part: the members a scanner found infected. */
    readonly members?: readonly {
      readonly path: string;
      readonly sniffedType: string;
      readonly loaderType: string;
      /** Known when qmvc unpacked the member to scan it. */
      readonly size?: number;
      readonly sha256?: string;
      /** The virus names found in it, and by which scanners. */
      readonly viruses: readonly string[];
      readonly scanners: readonly string[];
    }[];
  }[];
  /** The distinct virus names of the message, whichever scanners found them. */
  readonly viruses: readonly string[];
  readonly scanners: readonly {
    readonly scanner: string;
    readonly result: string;
    readonly detail: string;
  }[];
  readonly header: string;
  readonly reactions: readonly {
    readonly reaction: string;
    readonly to: readonly string[];
    readonly outcome: string;
  }[];
  readonly quarantined?: string;
}

/**
 * The record as one line: JSON.stringify never writes a raw newline, so it is one write.
 * C1 controls (and DEL, U+2028, U+2029), which JSON allows raw, are written as \u escapes
 * so that `cat qmvc.rep` on a terminal shows them instead of obeying them.
 */
export function formatIncidentRecord(record: IncidentRecord): string {
  return terminalSafeJson(JSON.stringify(record)) + "\n";
}

/**
 * JSON text with DEL, the C1 controls (U+009B is a terminal's CSI), U+2028 and U+2029
 * written as \u escapes, which JSON.stringify leaves raw: the same data, safe to print.
 */
export function terminalSafeJson(json: string): string {
  return json.replace(
    /[\x7f-\x9f\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** Read one qmvc.rep line; throws SyntaxError when it is not an incident record. */
export function parseIncidentRecord(line: string): IncidentRecord {
  const value: unknown = JSON.parse(line);
  if (typeof value !== "object" || value === null) {
    throw new SyntaxError("An incident record is a JSON object");
  }
  const record = value as Record<string, unknown>;
  for (const [key, type] of Object.entries(REQUIRED)) {
    const actual = Array.isArray(record[key]) ? "array" : typeof record[key];
    if (actual !== type) {
      throw new SyntaxError(`Incident record field "${key}" should be ${type}, is ${actual}`);
    }
  }
  return record as unknown as IncidentRecord;
}

const REQUIRED: Readonly<Record<string, string>> = {
  time: "string",
  pid: "number",
  action: "string",
  conditions: "array",
  sender: "string",
  recipient: "string",
  messageId: "string",
  size: "number",
  matches: "array",
  parts: "array",
  reactions: "array",
};
