import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { MatchFormBuilder, parseMessage } from "../message/mod.ts";
import {
  argsErrorText,
  compileWildcard,
  matchFoldedPieces,
  releaseMemory,
  turnOfEvents,
} from "../profile/mod.ts";
import { writePlainText } from "./plain_text.ts";

interface PlainmailIo {
  readonly readStdin: () => Uint8Array;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

export const PLAINMAIL_HELP = `Usage: plainmail [-e PATTERN] [FILE]
       qmvc plainmail [-e PATTERN] [FILE]

Print the readable text of a message (standard input, or FILE): HTML parts become
text with paragraphs, lists, links as "text <url>" and tables as rows; attachments
are listed, not printed. For small devices, or as a badbodytexts command:

  -e PATTERN  print nothing; exit 1 when the text contains PATTERN (shell
              wildcards, case-insensitive), 0 when it does not, 2 on an error.
              Text and pattern are compared without invisible characters
              (soft hyphens, zero-width spaces, bidi controls), in Unicode
              NFKC, with whitespace runs as one space.
              In badbodytexts:  |/usr/local/bin/plainmail -e *wire*money*
`;

/** `plainmail`: also what the binary does when it is called by that name. */
export async function runPlainmail(argv: readonly string[], io: PlainmailIo): Promise<0 | 1 | 2> {
  let values: { e?: string; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv],
      options: { e: { type: "string", short: "e" }, help: { type: "boolean", short: "h" } },
      allowPositionals: true,
      strict: true,
    }));
  } catch (error) {
    io.stderr(`plainmail: ${argsErrorText(error)}; see plainmail --help\n`);
    return 2;
  }
  if (values.help) {
    io.stdout(PLAINMAIL_HELP);
    return 0;
  }
  let bytes: Uint8Array;
  try {
    bytes = positionals[0] && positionals[0] !== "-"
      ? readFileSync(positionals[0])
      : io.readStdin();
  } catch (error) {
    io.stderr(
      `plainmail: Unable to read ${positionals[0] ?? "standard input"}: ${
        error instanceof Error ? error.message : error
      }\n`,
    );
    return 2;
  }
  const message = await parseMessage(bytes);
  const options = { collect: releaseMemory, pause: turnOfEvents };
  if (values.e === undefined) {
    await writePlainText(message, (text) => io.stdout(withControlsShown(text)), options);
    return 0;
  }
  const pattern = compileWildcard(values.e, { contains: true, fold: true });
  if (typeof pattern === "string") {
    io.stderr(`plainmail: -e ${values.e}: ${pattern}\n`);
    return 2;
  }
  const folded = new MatchFormBuilder();
  await writePlainText(message, (text) => folded.write(text), options);
  return matchFoldedPieces(pattern, folded.end()) ? 1 : 0;
}

/**
 * The text with control characters (C0 but tab and newline, DEL, C1) written as
 * `\u{XXXX}`: a message's ESC or CSI sequences never reach a terminal to be obeyed.
 */
export function withControlsShown(text: string): string {
  return text.replace(
    // deno-lint-ignore no-control-regex
    /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g,
    (c) => `\\u{${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}}`,
  );
}
