import { parseArgs } from "node:util";
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

/** Parse the filter's command line; returns a one-line usage error instead when it is wrong. */
export function parseFilterArgs(argv: readonly string[]): FilterArgs | string {
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: {
        n: { type: "boolean", short: "n" },
        u: { type: "boolean", short: "u" },
        c: { type: "string", short: "c" },
        v: { type: "string", short: "v" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "V" },
      },
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
