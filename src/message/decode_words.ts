import { postalMime } from "./_postal_module.ts";

/**
 * Decode RFC 2047 encoded words; malformed words are left as they stand. A value
 * without "=?" holds no encoded word and is returned as it is, as postal-mime would.
 */
export function decodeWords(value: string): string {
  if (!value.includes("=?")) return value;
  const { decodeWords: postalDecodeWords } = postalMime();
  try {
    return postalDecodeWords(value);
  } catch {
    return value;
  }
}
