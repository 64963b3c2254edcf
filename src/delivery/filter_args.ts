import { argsErrorText } from "../profile/mod.ts";

/** The filter's options (spec section 1: QMVC's four getopts-style options). */
export interface FilterArgs {
  /** -n: consult noscantypes. */
  readonly noscan: boolean;
  /** -u: the user profile in $HOME/qmvc. */
  readonly user: boolean;
  /** -c BASEDIR: a common profile. */
  readonly common: string | undefined;
  /** -v PREPEND: strip PREPEND from the recipient ("-" strips "$USER-"). */
  readonly prepend: string | undefined;
  readonly help: boolean;
  readonly version: boolean;
}

/** The filter's options, as node:util parseArgs reads them. */
export const FILTER_OPTIONS = {
  n: { type: "boolean", short: "n" },
  u: { type: "boolean", short: "u" },
  c: { type: "string", short: "c" },
  v: { type: "string", short: "v" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "V" },
} as const;

/**
 * Words that are only -n and -u flags, alone or combined (`-n`, `-nu`, `-un`): what
 * `/^-[nu]+$/` matches, without compiling an expression on every delivery.
 */
function flagsOnly(word: string): boolean {
  if (word.length < 2 || word[0] !== "-") return false;
  for (let i = 1; i < word.length; i++) if (word[i] !== "n" && word[i] !== "u") return false;
  return true;
}

/**
 * Parse the filter's command line; returns a one-line usage error instead when it is wrong.
 * The usual dot-qmail lines (`|qmvc`, `|qmvc -n`, `|qmvc -nu`) hold only flags and are
 * read here: node:util costs a delivery about 2 M instructions to load. Anything else goes
 * to parseArgs (tests/delivery/filter_args_test.ts holds the two readings equal).
 */
export async function parseFilterArgs(argv: readonly string[]): Promise<FilterArgs | string> {
  let onlyFlags = true;
  for (const word of argv) onlyFlags &&= flagsOnly(word);
  if (onlyFlags) {
    const flags = argv.join("");
    return {
      noscan: flags.includes("n"),
      user: flags.includes("u"),
      common: undefined,
      prepend: undefined,
      help: false,
      version: false,
    };
  }
  const { parseArgs } = await import("node:util");
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: FILTER_OPTIONS,
      strict: true,
      allowPositionals: false,
    });
    if (values.u && values.c !== undefined) {
      return "Options -u and -c exclude each other: choose one profile";
    }
    if (values.c === "") return "Option -c needs a directory: -c /var/qmvc/example.org";
    return {
      noscan: values.n ?? false,
      user: values.u ?? false,
      common: values.c,
      prepend: values.v,
      help: values.help ?? false,
      version: values.version ?? false,
    };
  } catch (error) {
    return argsErrorText(error);
  }
}
