/**
 * Characters a reader does not see: Unicode format characters (Cf: soft hyphen, zero-width
 * space/joiner/non-joiner, word joiner, bidi controls, BOM, tag characters) and the other
 * default-ignorable code points (combining grapheme joiner, variation selectors, Hangul
 * fillers). Mail writes "wi&shy;re mo&#8203;ney" to keep "wire money" from every rule.
 */
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;
const WHITESPACE_RUN = /\s+/g;

/** The text without the characters a reader does not see (see `INVISIBLE`). */
export function removeInvisible(text: string): string {
  return text.replace(INVISIBLE, "");
}

/**
 * The one form every text rule matches on (`badbodytexts` texts, `badsubjects`,
 * `badfilenames`, `plainmail -e`): invisible characters removed, NFKC (fullwidth and
 * styled letters and digits, ligatures become plain ones), whitespace runs collapsed to
 * one space, case folded (upper then lower, so "STRASSE" and "stra\u00dfe" meet). Linear in
 * the text's length; evidence keeps showing the original text, never this form.
 */
export function matchForm(text: string): string {
  // ASCII has nothing invisible, nothing NFKC changes and no case that folds otherwise:
  // two copies of a large body instead of five.
  if (ASCII.test(text)) return text.replace(WHITESPACE_RUN, " ").toLowerCase();
  return removeInvisible(text).normalize("NFKC").replace(WHITESPACE_RUN, " ")
    .toUpperCase().toLowerCase();
}

// deno-lint-ignore no-control-regex
const ASCII = /^[\x00-\x7f]*$/;
