/**
 * A command-line error from node:util parseArgs, in qmvc's words: the option or argument
 * quoted and what to do, without Node's error code or its hint about "--".
 */
export function argsErrorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string }).code ?? "";
  const quoted = /'([^']*)'/.exec(message)?.[1] ?? "";
  switch (code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return `unknown option "${quoted}"`;
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
      return `unexpected argument "${quoted}"`;
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE": {
      const option = quoted.split(",")[0]?.trim() ?? quoted;
      return /does not take/.test(message)
        ? `option ${option} takes no value`
        : `option ${option} needs a value`;
    }
    default:
      return message.replace(/\. To specify a positional argument.*$/s, "").replace(/\s+/g, " ")
        .trim();
  }
}
