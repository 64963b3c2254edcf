import { ControlFileError, controlLines } from "./control_file_error.ts";

/** `qmailinject`: the command that submits qmvc's own mail, qmail-inject compatible. */
export interface InjectCommand {
  readonly source: string;
  readonly argv: readonly string[];
}

/**
 * Parse `qmailinject`: one line, an absolute program path and fixed arguments split on
 * blanks (no shell). qmvc appends `-f` with an empty envelope sender, `-a` and the
 * recipients, as qmail-inject(8) takes them.
 */
export function parseQmailInject(text: string, source: string): InjectCommand {
  const lines = controlLines(text);
  if (lines.length !== 1) {
    throw new ControlFileError(
      source,
      lines[1]?.line ?? 0,
      "Expected exactly one line: the path of qmail-inject and fixed arguments",
    );
  }
  const { text: entry, line } = lines[0]!;
  const argv = entry.split(/\s+/);
  if (!argv[0]?.startsWith("/")) {
    throw new ControlFileError(
      source,
      line,
      `The command must be an absolute path, e.g. /var/qmail/bin/qmail-inject, found "${entry}"`,
    );
  }
  return { source, argv };
}
