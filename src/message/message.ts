import type { Defect } from "./defect.ts";

/** A header field, unfolded; the value is raw (encoded-words not decoded). */
export interface HeaderField {
  readonly name: string;
  readonly value: string;
}

/** How a part came to be: a MIME leaf, or a file found inside another part. */
export type PartOrigin = "mime" | "uuencode" | "yenc" | "tnef";

/** One leaf of the message: every place a user could find a file or text. */
export interface Part {
  /** IMAP-style part number: "1", "2.1"; embedded files add ".uu1", ".tnef2". */
  readonly path: string;
  readonly origin: PartOrigin;
  /** Lower-case `type/subtype` as declared (or the MIME default). */
  readonly declaredType: string;
  readonly disposition: string;
  readonly transferEncoding: string;
  readonly charset: string;
  /** Content-Type `name` parameter, encoded-words decoded, untouched otherwise. */
  readonly nameParam: string | undefined;
  /** Content-Disposition `filename` parameter (RFC 2231 joined and decoded), encoded-words decoded. */
  readonly filenameParam: string | undefined;
  /** Decoded content. */
  readonly content: Uint8Array;
  /** The part has a text (a text/* part): `text` is a string, `textPieces` gives it. */
  readonly hasText: boolean;
  /** Decoded text for text/* parts, in their charset (decoded when first read, then kept). */
  readonly text: string | undefined;
  /**
   * The same text in pieces of about a megabyte, decoded as they are read: a big text part
   * is read without ever being one string (nothing for a part without text).
   */
  textPieces(): Iterable<string>;
  /** False when the part could not be looked into (nesting limit, parse failure). */
  readonly complete: boolean;
  /** For a part that was not parsed: file names a raw scan of its bytes found. */
  readonly hiddenNames: readonly string[];
}

/** A message/rfc822 part that was opened: its own header summary. */
export interface InnerMessage {
  readonly path: string;
  readonly subject: string;
  readonly from: string;
  readonly headers: readonly HeaderField[];
}

/** The parsed message: header fields, every leaf part, and the defects seen. */
export interface Message {
  readonly size: number;
  readonly headers: readonly HeaderField[];
  readonly subject: string;
  readonly from: string;
  readonly messageId: string;
  readonly parts: readonly Part[];
  readonly innerMessages: readonly InnerMessage[];
  readonly defects: readonly Defect[];
}

/** The first field of that name (case-insensitive), or undefined. */
export function headerValue(headers: readonly HeaderField[], name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const h of headers) if (h.name.toLowerCase() === lower) return h.value;
  return undefined;
}
