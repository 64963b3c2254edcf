import type { Part } from "./message.ts";
import { eachTextPiece, type ReadingTurns } from "./text_reading.ts";

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
  if (isAscii(text)) return collapseAsciiBlanks(text).toLowerCase();
  return removeInvisible(text).replace(LONG_MARK_RUN, "$1").normalize("NFKC")
    .replace(WHITESPACE_RUN, " ").toUpperCase().toLowerCase();
}

/**
 * More than MAX_MARKS combining marks in a row (the halfwidth kana voiced marks become
 * ones under NFKC): the rest of the run. Normalisation sorts a run of marks by their
 * combining classes in time quadratic in its length (a body of "a" and 64,000 alternating
 * U+0301 U+0316 took 37 s); Unicode's stream-safe text format bounds the run at 30 for the
 * same reason, and no reader tells 30 stacked marks from more.
 */
const LONG_MARK_RUN = /([\p{M}\uff9e\uff9f]{30})[\p{M}\uff9e\uff9f]+/gu;

// deno-lint-ignore no-control-regex
const ASCII = /^[\x00-\x7f]*$/;

/**
 * Texts up to this long (a subject, a file name, a type) are looked at by native string
 * methods rather than the two expressions, which a small delivery would compile for them
 * alone (about 25 microseconds each).
 */
const SHORT = 1024;
const UTF8 = new TextEncoder();

/** Whether the text is ASCII: UTF-8 spends one byte on each ASCII character, more on others. */
function isAscii(text: string): boolean {
  return text.length <= SHORT ? UTF8.encode(text).length === text.length : ASCII.test(text);
}

/** An ASCII text with each run of blanks (what `\s` matches in ASCII) as one space. */
function collapseAsciiBlanks(text: string): string {
  const onlySingleSpaces = text.length <= SHORT && !text.includes("  ") &&
    !text.includes("\t") && !text.includes("\n") && !text.includes("\v") &&
    !text.includes("\f") && !text.includes("\r");
  return onlySingleSpaces ? text : text.replace(WHITESPACE_RUN, " ");
}

/** Text folded at a time by `MatchFormBuilder`. */
const FOLD_PIECE = 64 * 1024;

/** How far back from the end of a piece a place to cut it is looked for. */
const CUT_WINDOW = 1024;

/** Text gathered without a safe cut that is folded anyway (see MatchFormBuilder). */
const FORCED_CUT = 1024 * 1024;

/**
 * `matchForm` of a text that arrives in pieces (a big body converted as it is read), built
 * a piece at a time. The text is cut where folding cannot join across the cut: before
 * ASCII white space, else before a character no folding joins to its neighbours (see
 * `breaksContext`); a space the cut would double is dropped. Text that offers no such cut for a megabyte is
 * cut anyway. Only the folded form is kept, in pieces.
 */
export class MatchFormBuilder {
  private readonly foldAt: number;
  private pending: string[] = [];
  private pendingLength = 0;
  private nextTry: number;
  private folded: string[] = [];
  private endsWithSpace = false;

  /** `foldAt`: how much text is gathered before it is folded (small ones test the cuts). */
  constructor(options: { readonly foldAt?: number } = {}) {
    this.foldAt = options.foldAt ?? FOLD_PIECE;
    this.nextTry = this.foldAt;
  }

  write(text: string): void {
    if (text === "") return;
    this.pending.push(text);
    this.pendingLength += text.length;
    if (this.pendingLength < this.nextTry) return;
    const tail = this.tail();
    const cut = safeCut(tail);
    if (cut >= 0) {
      this.fold(this.pendingLength - tail.length + cut);
    } else if (this.pendingLength >= FORCED_CUT) {
      // Before the last character that is no combining mark (nor half of a pair), so a
      // letter keeps its marks ("u\u0308" composes to the "\u00fc" of a rule).
      let at = tail.length - 1;
      while (at > 0 && joinsPrevious(tail, at)) at--;
      if (at === 0) {
        at = tail.length - 1;
        if (tail.charCodeAt(at) >= 0xdc00 && tail.charCodeAt(at) <= 0xdfff) at--;
      }
      this.fold(this.pendingLength - tail.length + at);
    }
    this.nextTry = this.pendingLength + this.foldAt;
  }

  /**
   * The folded form of everything written, in pieces: joined they are one string, kept
   * apart the form is never held twice (`matchFoldedPieces` reads them in place).
   */
  end(): string[] {
    this.fold(this.pendingLength);
    return this.folded;
  }

  /** The last CUT_WINDOW characters or more of the pending text (whole pieces). */
  private tail(): string {
    let length = 0;
    let first = this.pending.length;
    while (first > 0 && length < CUT_WINDOW) length += (this.pending[--first] as string).length;
    return first === this.pending.length - 1
      ? this.pending[first] as string
      : this.pending.slice(first).join("");
  }

  /** Fold the first `cut` characters of the pending text; keep the rest pending. */
  private fold(cut: number): void {
    if (cut <= 0) return;
    const text = this.pending.length === 1 ? this.pending[0] as string : this.pending.join("");
    let form = matchForm(cut === text.length ? text : text.slice(0, cut));
    const rest = cut === text.length ? "" : text.slice(cut);
    this.pending = rest === "" ? [] : [rest];
    this.pendingLength = rest.length;
    if (this.endsWithSpace && form.startsWith(" ")) form = form.slice(1);
    if (form === "") return;
    this.folded.push(form);
    this.endsWithSpace = form.endsWith(" ");
  }
}

/**
 * Where `text` can be cut for folding, looking back from its end at most CUT_WINDOW
 * characters (see MatchFormBuilder); -1 when nowhere there. Never at 0.
 */
function safeCut(text: string): number {
  const from = Math.max(1, text.length - CUT_WINDOW);
  let other = -1;
  for (let i = text.length - 1; i >= from; i--) {
    const code = text.charCodeAt(i);
    if (code === 0x20 || (code >= 0x09 && code <= 0x0d)) return i;
    if (other < 0 && breaksContext(text, i)) other = i;
  }
  return other;
}

/**
 * Folding cannot join across a cut before the character at `i`: it is a starter no
 * normalisation composes with what precedes, neither cased nor case-ignorable (so a Greek
 * sigma on either side keeps its final or medial form), and NFKC leaves it as it is. ASCII
 * digits and punctuation but ' . : ^ `, and other-letters (CJK, kana; no Hangul vowel or
 * trailing consonant jamo) and decimal digits; or a cased letter after one (`casedLetterAt`).
 */
function breaksContext(text: string, i: number): boolean {
  const code = text.charCodeAt(i);
  if (code >= 0xdc00 && code <= 0xdfff) return false;
  if (casedLetterAt(text, i) && casedLetterAt(text, i - 1)) return true;
  if (code < 0x80) return !ASCII_LETTER_OR_IGNORABLE.test(text.charAt(i));
  if ((code >= 0x1160 && code <= 0x11ff) || (code >= 0xd7b0 && code <= 0xd7ff)) return false;
  const character = String.fromCodePoint(text.codePointAt(i) ?? code);
  return OTHER_LETTER_OR_DIGIT.test(character) && character.normalize("NFKC") === character;
}

/**
 * The character at `i` (or ending there, for a surrogate pair) is a cased letter that NFKC
 * leaves as it is and no Greek sigma. Between two of them folding cannot join across: a
 * letter is a starter no normalisation composes with what precedes, and a cased letter on
 * either side of the cut decides the final or medial form of any sigma nearby. Text without
 * spaces, digits or punctuation ("...u\u0308berweisung" of a megabyte) is then cut between
 * two letters, never between a letter and its combining mark.
 */
function casedLetterAt(text: string, i: number): boolean {
  if (i < 0) return false;
  const code = text.charCodeAt(i);
  if (code < 0x80) return (code | 0x20) >= 0x61 && (code | 0x20) <= 0x7a;
  const start = code >= 0xdc00 && code <= 0xdfff && i > 0 ? i - 1 : i;
  const character = String.fromCodePoint(text.codePointAt(start) ?? code);
  return CASED_LETTER.test(character) && !SIGMA.test(character) &&
    character.normalize("NFKC") === character;
}

const CASED_LETTER = /^[\p{Lu}\p{Ll}\p{Lt}]/u;

/** The character at `i` is the second half of a pair or a mark that joins what precedes. */
function joinsPrevious(text: string, i: number): boolean {
  const code = text.charCodeAt(i);
  if (code >= 0xdc00 && code <= 0xdfff) return true;
  return MARK.test(String.fromCodePoint(text.codePointAt(i) ?? code));
}

const MARK = /^[\p{M}\uff9e\uff9f]/u;
const SIGMA = /^[\u03a3\u03c2\u03c3]/;

const ASCII_LETTER_OR_IGNORABLE = /[A-Za-z'.:^`]/;
const OTHER_LETTER_OR_DIGIT = /^[\p{Lo}\p{Nd}]/u;

/** A part's text in `matchForm`, decoded and folded a piece at a time, in pieces. */
export async function partMatchForm(part: Part, turns: ReadingTurns = {}): Promise<string[]> {
  const folded = new MatchFormBuilder();
  await eachTextPiece(part, (piece) => folded.write(piece), turns);
  return folded.end();
}
