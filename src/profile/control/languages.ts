import { ControlFileError, controlLines } from "./control_file_error.ts";
import { compileWildcard, type Wildcard } from "./wildcard.ts";

/** `languages`: `address-wildcard=lang` lines choose the notification language per recipient. */
export interface LanguageRule {
  readonly pattern: string;
  readonly wildcard: Wildcard;
  readonly language: string;
  readonly line: number;
}

export interface Languages {
  readonly source: string;
  readonly rules: readonly LanguageRule[];
}

/** Parse `languages`, e.g. `*@example.de=de`. The first matching line wins. */
export function parseLanguages(text: string, source: string): Languages {
  const rules = controlLines(text).map(({ text: entry, line }) => {
    const eq = entry.lastIndexOf("=");
    const pattern = entry.slice(0, eq).trim();
    const language = entry.slice(eq + 1).trim().toLowerCase();
    if (eq < 1 || !/^[a-z]{2}$/.test(language)) {
      throw new ControlFileError(
        source,
        line,
        `Expected "address-pattern=xx", e.g. "*@example.de=de", found "${entry}"`,
      );
    }
    const wildcard = compileWildcard(pattern);
    if (typeof wildcard === "string") throw new ControlFileError(source, line, wildcard);
    return { pattern, wildcard, language, line };
  });
  return { source, rules };
}
