import { decodeWords as postalDecodeWords } from "postal-mime";

/** Decode RFC 2047 encoded-words; malformed words are left as they stand. */
export function decodeWords(value: string): string {
  try {
    return postalDecodeWords(value);
  } catch {
    return value;
  }
}
