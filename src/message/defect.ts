/**
 * Structural defects the message stage sees in the bytes; none stops the analysis.
 * decide() makes those that leave content unseen (a limit reached, a fragment, a parse
 * failure) evidence for `unchecked`, the rest for `errormail`.
 */
export const DEFECT_CODES = [
  "HEADER_SEPARATOR_MISSING",
  "HEADER_LINE_INVALID",
  "HEADER_8BIT",
  "HEADER_DUPLICATE",
  "HEADER_TOO_LARGE",
  "LINE_TOO_LONG",
  "MESSAGE_NUL_BYTE",
  "MESSAGE_BARE_CR",
  "MESSAGE_TOO_LARGE",
  "MESSAGE_EMPTY",
  "MESSAGE_NESTING_TOO_DEEP",
  "MIME_BOUNDARY_MISSING",
  "MIME_BOUNDARY_UNUSED",
  "MIME_MULTIPART_UNTERMINATED",
  "MIME_ENCODING_UNKNOWN",
  "MIME_NESTING_TOO_DEEP",
  "MIME_TOO_MANY_PARTS",
  "MIME_PARSE_FAILED",
  "CONTENT_TYPE_AMBIGUOUS",
  "MIME_HEADER_CONFLICT",
  "MIME_HEADER_TOO_LONG",
  "MESSAGE_PARTIAL",
  "UUENCODE_UNTERMINATED",
  "TNEF_INVALID",
  "YENC_ENCODED",
] as const;

export type DefectCode = typeof DEFECT_CODES[number];

/** What was seen, where (part path; "0" is the message itself), and the evidence. */
export interface Defect {
  readonly code: DefectCode;
  readonly part: string;
  readonly evidence: string;
}
