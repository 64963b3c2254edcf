import {
  eachTextPiece,
  MatchFormBuilder,
  type Message,
  type Part,
  partMatchForm,
} from "../message/mod.ts";
import { endOfText, htmlTextConverter, type HtmlToTextOptions } from "./html_to_text.ts";

/**
 * The readable text of a message for a small screen: a short header, the text parts
 * (HTML ones turned into text only when the message has no plain text of its own, as
 * multipart/alternative sends both), and one line per attachment.
 */
export async function plainText(
  message: Message,
  options: HtmlToTextOptions = {},
): Promise<string> {
  const pieces: string[] = [];
  await writePlainText(message, (text) => pieces.push(text), options);
  return pieces.join("");
}

/**
 * `plainText` handed to `write` in pieces as it is made: each text part is decoded and
 * converted a piece at a time, so a big body is never held whole, as markup or as text.
 */
export async function writePlainText(
  message: Message,
  write: (text: string) => void,
  options: HtmlToTextOptions = {},
): Promise<void> {
  const header = [
    ["From", message.from],
    ["Subject", message.subject],
  ].filter(([, v]) => v).map(([k, v]) => `${k}: ${v}`);
  const body = message.parts.filter((p) =>
    p.hasText && !p.filenameParam && !p.nameParam && p.disposition !== "attachment"
  );
  const plain = body.filter((p) => p.declaredType === "text/plain");
  const chosen = plain.length ? plain : body.filter((p) => p.declaredType === "text/html");
  const attachments = message.parts.filter((p) =>
    !chosen.includes(p) && !(p.hasText && body.includes(p))
  )
    .map((p) =>
      `[attachment: ${
        p.filenameParam ?? p.nameParam ?? "unnamed"
      } (${p.declaredType}, ${p.content.length} bytes)]`
    );

  const out = new TextOut(write);
  // The lines are those of [...header, "", ...texts, ...attachments] joined with "\n".
  for (const line of header) out.write(`${line}\n`);
  for (const part of chosen) {
    out.write("\n");
    await writePartText(part, out, options);
  }
  for (const line of attachments) out.write(`\n${line}`);
  out.end();
}

/** A text part's text: HTML as a reader sees it, plain text without surrounding space. */
async function writePartText(
  part: Part,
  out: TextOut,
  options: HtmlToTextOptions,
): Promise<void> {
  if (part.declaredType === "text/html") {
    const converter = htmlTextConverter((text) => out.write(text), options);
    await eachTextPiece(part, (piece) => converter.write(piece), { ...options, collects: false });
    converter.end();
    return;
  }
  const trimmed = new TrimmedText(out);
  await eachTextPiece(part, (piece) => trimmed.write(piece), options);
  trimmed.end();
}

/**
 * The text as written, with two changes made across pieces: never more than two line
 * breaks in a row, and no white space at the very end (then one line break).
 */
class TextOut {
  private readonly output: (text: string) => void;
  /** White space at the end of what was written so far: dropped if nothing follows it. */
  private held: string[] = [];
  /** Line breaks in a row at the end of what was written (and held) so far. */
  private newlines = 0;

  constructor(output: (text: string) => void) {
    this.output = output;
  }

  write(text: string): void {
    let rest = text.replace(TOO_MANY_NEWLINES, "\n\n");
    if (this.newlines > 0) {
      let lead = 0;
      while (rest.charCodeAt(lead) === 0x0a) lead++;
      const room = Math.max(0, 2 - this.newlines);
      if (lead > room) rest = rest.slice(lead - room);
    }
    if (rest === "") return;
    const end = endOfText(rest);
    if (end > 0) {
      if (this.held.length) this.output(this.held.join(""));
      this.held = [];
      this.output(end === rest.length ? rest : rest.slice(0, end));
      this.newlines = 0;
    }
    if (end < rest.length) {
      const tail = rest.slice(end);
      this.held.push(tail);
      let trailing = 0;
      while (trailing < tail.length && tail.charCodeAt(tail.length - 1 - trailing) === 0x0a) {
        trailing++;
      }
      this.newlines = trailing === tail.length ? this.newlines + trailing : trailing;
    }
  }

  end(): void {
    this.held = [];
    this.output("\n");
  }
}

const TOO_MANY_NEWLINES = /\n{3,}/g;

/** A plain part's text without its leading and trailing white space, then one line break. */
class TrimmedText {
  private readonly out: TextOut;
  private started = false;
  private held: string[] = [];

  constructor(out: TextOut) {
    this.out = out;
  }

  write(piece: string): void {
    let text = piece;
    if (!this.started) {
      text = text.trimStart();
      if (text === "") return;
      this.started = true;
    }
    const end = endOfText(text);
    if (end > 0) {
      for (const space of this.held) this.out.write(space);
      this.held = [];
      this.out.write(end === text.length ? text : text.slice(0, end));
    }
    if (end < text.length) this.held.push(text.slice(end));
  }

  end(): void {
    this.held = [];
    this.out.write("\n");
  }
}

/**
 * Every text part's text as the badbodytexts text rules read it, by part path: in
 * `matchForm` (in pieces, see MatchFormBuilder), an HTML part as its readable text. Each
 * is decoded, converted and folded a piece at a time, so only the folded form is held.
 */
export async function matchTexts(
  message: Message,
  options: HtmlToTextOptions = {},
): Promise<Map<string, string[]>> {
  const texts = new Map<string, string[]>();
  for (const part of message.parts) {
    if (!part.hasText) continue;
    if (part.declaredType !== "text/html") {
      texts.set(part.path, await partMatchForm(part, options));
      continue;
    }
    const folded = new MatchFormBuilder();
    const converter = htmlTextConverter((text) => folded.write(text), options);
    await eachTextPiece(part, (piece) => converter.write(piece), { ...options, collects: false });
    converter.end();
    texts.set(part.path, folded.end());
  }
  return texts;
}
