/**
 * The message stage: bytes in, a `Message` out (header fields, every leaf part, the
 * structural defects). Pure: no I/O, no clock, never throws on message content.
 *
 * @example
 * ```ts
 * import { parseMessage } from "./mod.ts";
 * const message = await parseMessage(new TextEncoder().encode("Subject: hi\n\nbody\n"));
 * if (message.subject !== "hi") throw new Error("subject not parsed");
 * ```
 * @module
 */
export { parseMessage } from "./parse.ts";
export type { HeaderField, InnerMessage, Message, Part, PartOrigin } from "./message.ts";
export { headerValue } from "./message.ts";
export { DEFECT_CODES } from "./defect.ts";
export type { Defect, DefectCode } from "./defect.ts";
export { checkLimitValue, DEFAULT_LIMITS, LIMIT_CEILINGS } from "./limits.ts";
export type { Limits } from "./limits.ts";
export { decodeWords } from "./decode_words.ts";
export { ADDRESS_FIELDS, addressFieldMailboxes } from "./address_field.ts";
export { binaryString, concatBytes, displayBytes } from "./binary_string.ts";
export { isDomain, isMailbox, unquotedLocalPart } from "./mailbox.ts";
export { matchForm, MatchFormBuilder, partMatchForm, removeInvisible } from "./match_form.ts";
export { eachTextPiece, type ReadingTurns } from "./text_reading.ts";
