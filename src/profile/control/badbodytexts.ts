import { ControlFileError, controlLines } from "./control_file_error.ts";
import { compileWildcard, type Wildcard } from "./wildcard.ts";

/**
 * One `badbodytexts` entry: a text (shell wildcard, found anywhere in a text part,
 * case-insensitive) or, after `|`, a program that reads the message on stdin and answers
 * with its exit code: 0 no match, 1 match, anything else an error (`|!` swaps 0 and 1,
 * for programs like grep and bogofilter that exit 0 on a hit).
 */
export type BodyRule =
  | {
    readonly kind: "text";
    readonly pattern: string;
    readonly wildcard: Wildcard;
    readonly line: number;
  }
  | {
    readonly kind: "command";
    readonly argv: readonly string[];
    readonly inverted: boolean;
    readonly pattern: string;
    readonly line: number;
  };

export interface BodyTexts {
  readonly source: string;
  readonly rules: readonly BodyRule[];
}

/** Parse `badbodytexts`. Commands are split on blanks (no shell) and must be absolute paths. */
export function parseBadBodyTexts(text: string, source: string): BodyTexts {
  const rules = controlLines(text).map(({ text: entry, line }): BodyRule => {
    if (entry.startsWith("|")) {
      const inverted = entry.startsWith("|!");
      const argv = entry.slice(inverted ? 2 : 1).trim().split(/\s+/).filter((w) => w !== "");
      if (!argv[0]?.startsWith("/")) {
        throw new ControlFileError(
          source,
          line,
          `A command must start with an absolute path, e.g. "|/usr/bin/bogofilter", found "${entry}"`,
        );
      }
      return { kind: "command", argv, inverted, pattern: entry, line };
    }
    const wildcard = compileWildcard(entry, { contains: true, fold: true });
    if (typeof wildcard === "string") throw new ControlFileError(source, line, wildcard);
    return { kind: "text", pattern: entry, wildcard, line };
  });
  return { source, rules };
}
