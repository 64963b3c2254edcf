/**
 * Shell wildcards (`*`, `?`, `[abc]`, `[a-z]`, `[!x]`, `\` escapes), matched
 * case-insensitively without regular expressions: the classic two-pointer walk with one
 * back-track point runs in O(pattern x text) whatever the input, so a hostile subject
 * or file name cannot make a rule slow.
 */
import { matchForm } from "../../message/mod.ts";

export type WildcardToken =
  | { readonly kind: "char"; readonly char: string }
  | { readonly kind: "any" }
  | { readonly kind: "star" }
  | {
    readonly kind: "class";
    readonly negated: boolean;
    readonly ranges: readonly (readonly [string, string])[];
  };

/** A compiled wildcard; `contains` patterns match anywhere in the text. */
export interface Wildcard {
  readonly source: string;
  readonly tokens: readonly WildcardToken[];
}

/**
 * Compile a pattern; returns an error sentence instead when it is malformed. With `fold`,
 * the pattern is taken in `matchForm` (the text it meets must be too: `matchFolded`).
 */
export function compileWildcard(
  pattern: string,
  options: { contains?: boolean; fold?: boolean } = {},
): Wildcard | string {
  const chars = [...(options.fold ? matchForm(pattern) : pattern.toLowerCase())];
  const tokens: WildcardToken[] = [];
  if (options.contains) tokens.push({ kind: "star" });
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] as string;
    if (c === "*") {
      if (tokens.at(-1)?.kind !== "star") tokens.push({ kind: "star" });
    } else if (c === "?") {
      tokens.push({ kind: "any" });
    } else if (c === "\\") {
      const next = chars[++i];
      if (next === undefined) {
        return "The pattern ends in a lone backslash: write \\\\ for a backslash";
      }
      tokens.push({ kind: "char", char: next });
    } else if (c === "[") {
      const end = chars.indexOf("]", i + 2);
      if (end < 0) return 'A "[" has no closing "]": write \\[ for a literal bracket';
      let body = chars.slice(i + 1, end);
      const negated = body[0] === "!" || body[0] === "^";
      if (negated) body = body.slice(1);
      const ranges: [string, string][] = [];
      for (let j = 0; j < body.length; j++) {
        const from = body[j] as string;
        if (body[j + 1] === "-" && body[j + 2] !== undefined) {
          ranges.push([from, body[j + 2] as string]);
          j += 2;
        } else {
          ranges.push([from, from]);
        }
      }
      tokens.push({ kind: "class", negated, ranges });
      i = end;
    } else {
      tokens.push({ kind: "char", char: c });
    }
  }
  if (options.contains && tokens.at(-1)?.kind !== "star") tokens.push({ kind: "star" });
  return { source: pattern, tokens };
}

/**
 * A wildcard compiled with `fold` against a text in `matchForm`: invisible characters,
 * compatibility forms, whitespace runs and case do not hide a match.
 */
export function matchFolded(wildcard: Wildcard, text: string): boolean {
  return matchTokens(wildcard.tokens, matchForm(text));
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
  return matchTokens(wildcard.tokens, options.folded ? text : text.toLowerCase());
}

/**
 * True when text already in `matchForm`, given in pieces (a big body folded a piece at a
 * time), matches the wildcard as the pieces joined would: the pieces are walked in place,
 * never joined into a second copy.
 */
export function matchFoldedPieces(wildcard: Wildcard, pieces: readonly string[]): boolean {
  if (pieces.length <= 1) return matchTokens(wildcard.tokens, pieces[0] ?? "");
  const text = new PiecedText(pieces);
  return walk(wildcard.tokens, text.length, (i) => text.unitAt(i));
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
function matchTokens(p: readonly WildcardToken[], t: string): boolean {
  return walk(p, t.length, (i) => t.charCodeAt(i));
}

/**
 * The classic two-pointer walk with one back-track point over a text of `length` code
 * units read through `unitAt`: O(pattern x text) whatever the input. Characters are
 * compared as numbers (`unitKey`), never made into strings: a string per character of a
 * 20 MB CJK body was 300 MB of garbage before the collector ran.
 */
function walk(p: readonly WildcardToken[], length: number, unitAt: (i: number) => number): boolean {
  const keys = p.map(tokenKeys);
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
    const token = keys[pi];
    const c = at(ti);
    if (token !== undefined && token.kind !== "star" && matchOne(token, c)) {
      ti += width;
      pi++;
    } else if (token?.kind === "star") {
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
  while (keys[pi]?.kind === "star") pi++;
  return pi === keys.length;
}

/**
 * A character (one code point, a surrogate pair or a lone unit) as a number that orders
 * and compares as the string itself does: first code unit, then the second (none first).
 */
function unitKey(c: string): number {
  return c.charCodeAt(0) * 65537 + (c.length > 1 ? c.charCodeAt(1) + 1 : 0);
}

/** A token with its characters as `unitKey` numbers. */
type KeyToken =
  | { readonly kind: "char"; readonly key: number }
  | { readonly kind: "any" }
  | { readonly kind: "star" }
  | { readonly kind: "class"; readonly negated: boolean; readonly ranges: readonly number[] };

function tokenKeys(token: WildcardToken): KeyToken {
  switch (token.kind) {
    case "char":
      return { kind: "char", key: unitKey(token.char) };
    case "class":
      return {
        kind: "class",
        negated: token.negated,
        ranges: token.ranges.flatMap(([from, to]) => [unitKey(from), unitKey(to)]),
      };
    default:
      return token;
  }
}

function matchOne(token: Exclude<KeyToken, { kind: "star" }>, c: number): boolean {
  switch (token.kind) {
    case "char":
      return token.key === c;
    case "any":
      return true;
    case "class": {
      let inside = false;
      for (let r = 0; r < token.ranges.length && !inside; r += 2) {
        inside = c >= (token.ranges[r] as number) && c <= (token.ranges[r + 1] as number);
      }
      return inside !== token.negated;
    }
    default: {
      const never: never = token;
      return never;
    }
  }
}
