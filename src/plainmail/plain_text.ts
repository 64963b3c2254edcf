import type { Message } from "../message/mod.ts";
import { htmlToText, type HtmlToTextOptions } from "./html_to_text.ts";

/**
 * The readable text of a message for a small screen: a short header, the text parts
 * (HTML ones turned into text only when the message has no plain text of its own, as
 * multipart/alternative sends both), and one line per attachment.
 */
export function plainText(message: Message, options: HtmlToTextOptions = {}): string {
  const header = [
    ["From", message.from],
    ["Subject", message.subject],
  ].filter(([, v]) => v).map(([k, v]) => `${k}: ${v}`);
  const body = message.parts.filter((p) =>
    p.text !== undefined && !p.filenameParam && !p.nameParam && p.disposition !== "attachment"
  );
  const plain = body.filter((p) => p.declaredType === "text/plain");
  const chosen = plain.length ? plain : body.filter((p) => p.declaredType === "text/html");
  const texts = chosen.map((
    p,
  ) => (p.declaredType === "text/html"
    ? htmlToText(p.text ?? "", options)
    : (p.text ?? "").trim() + "\n")
  );
  const attachments = message.parts.filter((p) =>
    !chosen.includes(p) && !(p.text !== undefined && body.includes(p))
  )
    .map((p) =>
      `[attachment: ${
        p.filenameParam ?? p.nameParam ?? "unnamed"
      } (${p.declaredType}, ${p.content.length} bytes)]`
    );
  return [...header, "", ...texts, ...attachments].join("\n").replace(/\n{3,}/g, "\n\n").trimEnd() +
    "\n";
}

/** The readable text of every HTML part, by part path: what the badbodytexts text rules read. */
export function readableTexts(
  message: Message,
  options: HtmlToTextOptions = {},
): Map<string, string> {
  return new Map(
    message.parts.filter((p) => p.declaredType === "text/html" && p.text !== undefined)
      .map((p) => [p.path, htmlToText(p.text ?? "", options)]),
  );
}
