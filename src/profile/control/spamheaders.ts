import { ControlFileError, controlLines } from "./control_file_error.ts";
import { compileWildcard, type Wildcard } from "./wildcard.ts";

/** One `spamheaders` entry: a header an earlier filter sets, and the value that means spam. */
export interface SpamHeaderRule {
  readonly name: string;
  readonly value: Wildcard;
  readonly pattern: string;
  readonly line: number;
}

export interface SpamHeaders {
  readonly source: string;
  readonly rules: readonly SpamHeaderRule[];
}

/** Parse `spamheaders`: `Header: value` per line, the value a shell wildcard (case-insensitive). */
export function parseSpamHeaders(text: string, source: string): SpamHeaders {
  const rules = controlLines(text).map(({ text: entry, line }) => {
    const colon = entry.indexOf(":");
    const name = colon > 0 ? entry.slice(0, colon).trim() : "";
    const pattern = colon > 0 ? entry.slice(colon + 1).trim() : "";
    if (!name || !pattern || /\s/.test(name)) {
      throw new ControlFileError(
        source,
        line,
        `Expected "Header: value", e.g. "X-Spam-Flag: YES", found "${entry}"`,
      );
    }
    const value = compileWildcard(pattern);
    if (typeof value === "string") throw new ControlFileError(source, line, value);
    return { name, value, pattern, line };
  });
  return { source, rules };
}
