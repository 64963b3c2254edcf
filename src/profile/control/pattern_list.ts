import { ControlFileError, controlLines } from "./control_file_error.ts";
import { matchForm } from "../../message/mod.ts";
import { compileWildcard, matchWildcard, type Wildcard } from "./wildcard.ts";

/** One entry of a pattern list, compiled once at load time. */
export interface PatternEntry {
  readonly pattern: string;
  readonly line: number;
  readonly wildcard: Wildcard;
}

/** A compiled list file (`badsubjects`, `badfilenames`, `badmimetypes`, `noscantypes`). */
export interface PatternList {
  readonly source: string;
  readonly entries: readonly PatternEntry[];
}

/**
 * Parse a list of shell wildcards, one per line. With `contains`, an entry matches
 * anywhere in the text (subjects, body texts); otherwise it must match the whole value
 * (file names, MIME types). Entries and values meet in `matchForm`, so a soft hyphen or a
 * fullwidth letter in a subject or a file name hides nothing.
 */
export function parsePatternList(
  text: string,
  source: string,
  options: { contains?: boolean } = {},
): PatternList {
  const entries = controlLines(text).map(({ text: pattern, line }) => {
    const wildcard = compileWildcard(pattern, { ...options, fold: true });
    if (typeof wildcard === "string") throw new ControlFileError(source, line, wildcard);
    return { pattern, line, wildcard };
  });
  return { source, entries };
}

/** The first entry that matches the value (in `matchForm`), if any. */
export function findPattern(list: PatternList, value: string): PatternEntry | undefined {
  if (list.entries.length === 0) return undefined;
  const folded = matchForm(value);
  for (const entry of list.entries) {
    if (matchWildcard(entry.wildcard, folded, { folded: true })) return entry;
  }
  return undefined;
}
