/**
 * A control file that exists but cannot be used. The message names the file, the line
 * and the fix, because the admin reads it in qmail's log with the mail deferred (111).
 */
export class ControlFileError extends SyntaxError {
  readonly file: string;
  readonly line: number;
  readonly column: number;

  constructor(file: string, line: number, message: string, column = 1) {
    super(line > 0 ? `${file}:${line}: ${message}` : `${file}: ${message}`);
    this.name = "ControlFileError";
    this.file = file;
    this.line = line;
    this.column = column;
  }
}

/** One meaningful line of a control file: comments and blank lines are gone. */
export interface ControlLine {
  readonly text: string;
  readonly line: number;
}

/**
 * The lines that carry entries: `#` starts a comment at the start of a line (after
 * optional blanks), surrounding blanks are trimmed, blank lines are skipped, and a
 * CRLF file edited on another system reads the same as an LF one.
 */
export function controlLines(text: string): ControlLine[] {
  const lines: ControlLine[] = [];
  text.split("\n").forEach((raw, index) => {
    const trimmed = raw.replace(/\r$/, "").trim();
    if (trimmed === "" || trimmed.startsWith("#")) return;
    lines.push({ text: trimmed, line: index + 1 });
  });
  return lines;
}

/**
 * Keys of a `key=value` file, each allowed once: a second line for the same key is an
 * error naming both lines, since silently taking either one hides the admin's mistake.
 */
export class KeysSeen {
  readonly #lines = new Map<string, number>();

  constructor(private readonly source: string, private readonly what: string) {}

  /** Record `key` at `line`; throws when an earlier line set it already. */
  add(key: string, line: number, shown = key): void {
    const earlier = this.#lines.get(key);
    if (earlier !== undefined) {
      throw new ControlFileError(
        this.source,
        line,
        `${this.what} "${shown}" is already set on line ${earlier}: keep one of the two`,
      );
    }
    this.#lines.set(key, line);
  }
}
