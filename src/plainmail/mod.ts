/**
 * plainmail: the readable text of a message; HTML turned into text in one streaming pass
 * (no DOM: time linear in the markup, memory bounded whatever its size or nesting).
 * The core (htmlToText, plainText) is pure; plainmail_command.ts is its edge.
 *
 * @example
 * ```ts
 * import { htmlToText } from "./mod.ts";
 * if (htmlToText("<p>Hi <a href='https://x.example/'>there</a></p>") !== "Hi there <https://x.example/>\n") {
 *   throw new Error("unexpected text");
 * }
 * ```
 * @module
 */
export { htmlTextConverter, htmlToText } from "./html_to_text.ts";
export type { HtmlTextConverter, HtmlToTextOptions } from "./html_to_text.ts";
export { matchTexts, plainText, writePlainText } from "./plain_text.ts";
export { PLAINMAIL_HELP, runPlainmail } from "./plainmail_command.ts";
