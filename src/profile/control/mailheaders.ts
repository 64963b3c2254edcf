import { ControlFileError, controlLines } from "./control_file_error.ts";

/** One `mailheaders` entry: `+Header` must be present, `?Header` is checked when present. */
export interface MailHeaderRule {
  readonly name: string;
  readonly mandatory: boolean;
  readonly line: number;
}

export interface MailHeaders {
  readonly source: string;
  readonly rules: readonly MailHeaderRule[];
}

const FIELD_NAME = /^[\x21-\x39\x3b-\x7e]+$/;

/** Parse `mailheaders`: `+Name` or `?Name` per line. */
export function parseMailHeaders(text: string, source: string): MailHeaders {
  const rules = controlLines(text).map(({ text: entry, line }) => {
    const mark = entry[0];
    const name = entry.slice(1).trim().replace(/:$/, "");
    if ((mark !== "+" && mark !== "?") || !FIELD_NAME.test(name)) {
      throw new ControlFileError(
        source,
        line,
        `Expected "+Header" (mandatory) or "?Header" (checked when present), found "${entry}"`,
      );
    }
    return { name, mandatory: mark === "+", line };
  });
  return { source, rules };
}
