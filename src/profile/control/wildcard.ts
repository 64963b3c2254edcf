/**
 * Shell wildcards (`*`, `?`, `[abc]`, `[a-z]`, `[!x]`, `\` escapes), matched
 * case-insensitively without regular expressions: the classic two-pointer walk with one
 * back-track point runs in O(pattern x text) whatever the input, so a hostile subject
 * or file name cannot make a rule slow.
 */
import { matchForm } from "../../message/mod.ts";

/** A compiled wildcard; `contains` patterns match anywhere in the text. */
export interface Wildcard {
  readonly source: string;
  /**
   * The pattern as a flat list of numbers, cheap to keep in the control cache and to walk:
   * a character as its `unitKey` (0 or more), STAR, ANY, or CLASS followed by 1 or 0
   * (negated or not), the number of ranges, and each range's first and last `unitKey`.
   */
  readonly program: readonly number[];
  /** The longest run of plain characters in the pattern, which any matching text holds. */
  readonly needle: string;
}

const STAR = -1;
const ANY = -2;
const CLASS = -3;

/**
 * Compile a pattern; returns an error sentence instead when it is malformed. With `fold`,
 * the pattern is taken in `matchForm` (the text it meets must be too: `matchWildcard` with `folded`).
 */
export function compileWildcard(
  pattern: string,
  options: { contains?: boolean; fold?: boolean } = {},
): Wildcard | string {
  const chars = [...(options.fold ? matchForm(pattern) : pattern.toLowerCase())];
  const program: number[] = [];
  let run = "";
  let needle = "";
  const endRun = (): void => {
    if (run.length > needle.length) needle = run;
    run = "";
  };
  const addChar = (c: string): void => {
    program.push(unitKey(c));
    run += c;
  };
  const addStar = (): void => {
    endRun();
    if (program[program.length - 1] !== STAR) program.push(STAR);
  };
  if (options.contains) addStar();
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] as string;
    if (c === "*") {
      addStar();
    } else if (c === "?") {
      endRun();
      program.push(ANY);
    } else if (c === "\\") {
      const next = chars[++i];
      if (next === undefined) {
        return "The pattern ends in a lone backslash: write \\\\ for a backslash";
      }
      addChar(next);
    } else if (c === "[") {
      const end = chars.indexOf("]", i + 2);
      if (end < 0) return 'A "[" has no closing "]": write \\[ for a literal bracket';
      endRun();
      let body = chars.slice(i + 1, end);
      const negated = body[0] === "!" || body[0] === "^";
      if (negated) body = body.slice(1);
      const ranges: number[] = [];
      for (let j = 0; j < body.length; j++) {
        const from = unitKey(body[j] as string);
        if (body[j + 1] === "-" && body[j + 2] !== undefined) {
          ranges.push(from, unitKey(body[j + 2] as string));
          j += 2;
        } else {
          ranges.push(from, from);
        }
      }
      program.push(CLASS, negated ? 1 : 0, ranges.length / 2, ...ranges);
      i = end;
    } else {
      addChar(c);
    }
  }
  if (options.contains) addStar();
  endRun();
  return { source: pattern, program, needle };
}

/**
 * True when the whole text matches the wildcard (case-insensitive). `folded` says the text
 * is already in `matchForm` (folded once, matched by many rules).
 */
export function matchWildcard(
  wildcard: Wildcard,
  text: string,
  options: { folded?: boolean } = {},
): boolean {
  return matchProgram(wildcard, options.folded ? text : text.toLowerCase());
}

/**
 * True when text already in `matchForm`, given in pieces (a big body folded a piece at a
 * time), matches the wildcard as the pieces joined would: the pieces are walked in place,
 * never joined into a second copy.
 */
export function matchFoldedPieces(wildcard: Wildcard, pieces: readonly string[]): boolean {
  if (pieces.length <= 1) return matchProgram(wildcard, pieces[0] ?? "");
  const text = new PiecedText(pieces);
  return walk(wildcard.program, text.length, (i) => text.unitAt(i));
}

/** Pieces of text read as one: code units by position, near the last one read found fast. */
class PiecedText {
  readonly length: number;
  private readonly pieces: readonly string[];
  private readonly starts: number[] = [];
  private current = 0;

  constructor(pieces: readonly string[]) {
    this.pieces = pieces;
    let start = 0;
    for (const piece of pieces) {
      this.starts.push(start);
      start += piece.length;
    }
    this.length = start;
  }

  unitAt(i: number): number {
    let k = this.current;
    while (k > 0 && i < (this.starts[k] as number)) k--;
    while (k < this.pieces.length - 1 && i >= (this.starts[k + 1] as number)) k++;
    this.current = k;
    return (this.pieces[k] as string).charCodeAt(i - (this.starts[k] as number));
  }
}

/**
 * The walk over the text's code points in place (no array of characters: a body text
 * of 50 MB must not become 50 million array slots).
 */
function matchProgram(wildcard: Wildcard, t: string): boolean {
  // The longest run of plain characters must be in the text for any match: most entries
  // of a list are not, and looking costs one native search where the walk costs the
  // interpreter a few function calls per character.
  if (!t.includes(wildcard.needle)) return false;
  return walk(wildcard.program, t.length, (i) => t.charCodeAt(i));
}

/**
 * The classic two-pointer walk with one back-track point over a text of `length` code
 * units read through `unitAt`: O(pattern x text) whatever the input. Characters are
 * compared as numbers (`unitKey`), never made into strings: a string per character of a
 * 20 MB CJK body was 300 MB of garbage before the collector ran.
 */
function walk(p: readonly number[], length: number, unitAt: (i: number) => number): boolean {
  /** The key of the character at `i`; its width in code units is then in `width`. */
  let width = 1;
  const at = (i: number): number => {
    const code = unitAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < length) {
      width = 2;
      return code * 65537 + unitAt(i + 1) + 1;
    }
    width = 1;
    return code * 65537;
  };
  let ti = 0;
  let pi = 0;
  let starP = -1;
  let starT = 0;
  while (ti < length) {
    const op = pi < p.length ? p[pi] as number : undefined;
    const c = at(ti);
    if (op !== undefined && op !== STAR && matchesAt(p, pi, c)) {
      ti += width;
      pi = tokenEnd(p, pi);
    } else if (op === STAR) {
      starP = pi++;
      starT = ti;
    } else if (starP >= 0) {
      pi = starP + 1;
      at(starT);
      starT += width;
      ti = starT;
    } else {
      return false;
    }
  }
  while (p[pi] === STAR) pi++;
  return pi === p.length;
}

/**
 * A character (one code point, a surrogate pair or a lone unit) as a number that orders
 * and compares as the string itself does: first code unit, then the second (none first).
 */
function unitKey(c: string): number {
  return c.charCodeAt(0) * 65537 + (c.length > 1 ? c.charCodeAt(1) + 1 : 0);
}

/** Where the token that starts at `pi` ends: a class carries its ranges after it. */
function tokenEnd(p: readonly number[], pi: number): number {
  return p[pi] === CLASS ? pi + 3 + 2 * (p[pi + 2] as number) : pi + 1;
}

/** Whether the character key `c` matches the token (not STAR) that starts at `pi`. */
function matchesAt(p: readonly number[], pi: number, c: number): boolean {
  const op = p[pi] as number;
  if (op >= 0) return op === c;
  if (op === ANY) return true;
  const negated = p[pi + 1] === 1;
  const end = tokenEnd(p, pi);
  let inside = false;
  for (let r = pi + 3; r < end && !inside; r += 2) {
    inside = c >= (p[r] as number) && c <= (p[r + 1] as number);
  }
  return inside !== negated;
}
