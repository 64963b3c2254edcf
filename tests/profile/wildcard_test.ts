import assert from "node:assert/strict";
import fc from "fast-check";
import { compileWildcard, matchFoldedPieces, matchWildcard } from "../../src/profile/mod.ts";
import { matchForm } from "../../src/message/mod.ts";

function matches(pattern: string, text: string, contains = false): boolean {
  const w = compileWildcard(pattern, { contains });
  if (typeof w === "string") throw new Error(w);
  return matchWildcard(w, text);
}

Deno.test("matchWildcard() matches *.exe against whole names, case-insensitively", () => {
  assert.equal(matches("*.exe", "Invoice.PDF.EXE"), true);
  assert.equal(matches("*.exe", "invoice.exe.pdf"), false);
});

Deno.test("matchWildcard() supports ?, classes, negated classes and escapes", () => {
  assert.equal(matches("file?.[ch]", "file1.c"), true);
  assert.equal(matches("file?.[!ch]", "file1.c"), false);
  assert.equal(matches("[a-c]*", "Beta"), true);
  assert.equal(matches("\\*.txt", "*.txt"), true);
  assert.equal(matches("\\*.txt", "a.txt"), false);
});

Deno.test("matchWildcard() in contains mode finds the pattern anywhere", () => {
  assert.equal(matches("ILOVEYOU", "Re: iloveyou - read me", true), true);
  assert.equal(matches("I*YOU", "fw: I really love YOU!", true), true);
  assert.equal(matches("ILOVEYOU", "I LOVE YOU", true), false);
});

Deno.test("matchWildcard() stays fast on a hostile pattern and text", () => {
  const text = "a".repeat(5000);
  assert.equal(matches("*a*a*a*a*a*a*a*a*b", text), false);
});

Deno.test("compileWildcard() reports an unclosed class", () => {
  assert.equal(
    compileWildcard("[abc"),
    'A "[" has no closing "]": write \\[ for a literal bracket',
  );
});

Deno.test("matchFoldedPieces() matches text in pieces as the pieces joined, surrogate pairs cut too", () => {
  const letters = fc.constantFrom("a", "b", "w", " ", "\u{1f600}", "\u00e9");
  const patterns = fc.constantFrom(
    "*a*b*",
    "*w?a*",
    "*\u{1f600}b*",
    "*[ab][!a]*",
    "*\u00e9 *",
    "a*",
  );
  fc.assert(
    fc.property(
      patterns,
      fc.array(letters, { maxLength: 30 }),
      fc.array(fc.nat(), { maxLength: 6 }),
      fc.boolean(),
      (pattern, chars, cuts, contains) => {
        const wildcard = compileWildcard(pattern, { contains, fold: true });
        if (typeof wildcard === "string") throw new Error(wildcard);
        const text = chars.join("");
        const at = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        const pieces = [0, ...at].map((from, i) => text.slice(from, [...at, text.length][i]));
        assert.equal(
          matchFoldedPieces(wildcard, pieces),
          matchWildcard(wildcard, text, { folded: true }),
          JSON.stringify({ pattern, pieces }),
        );
      },
    ),
    { numRuns: 3000 },
  );
});

Deno.test("the needle search agrees with the plain walk where pattern and text fold (case, NFKC, invisibles)", () => {
  // Folding happens before the needle is cut and before it is searched for: letters that
  // fold to more or other letters (\u00df, the Kelvin sign, a ligature, fullwidth forms,
  // a dotted capital I, a final sigma), invisible characters, blank runs and surrogate
  // halves must not make the search refuse a text the walk matches. matchFoldedPieces with
  // two pieces walks without the search.
  const piece = fc.constantFrom(
    "a",
    "K",
    "\u212a",
    "\u00df",
    "ss",
    "\ufb01",
    "fi",
    "\uff21",
    "\u0130",
    "i",
    "\u03a3",
    "\u03c2",
    "\u00ad",
    "\u200b",
    " ",
    "  ",
    "e\u0301",
    "\u00e9",
    "\ud83d",
    "\ude00",
    "\u{1F600}",
    "x",
  );
  const patternPiece = fc.oneof(
    piece,
    fc.constantFrom("*", "?", "[a-z]", "[ab]", "[!a]", "\\*", "\\\u00df"),
  );
  let matched = 0;
  fc.assert(
    fc.property(
      fc.array(patternPiece, { maxLength: 5 }),
      fc.array(piece, { maxLength: 6 }),
      fc.boolean(),
      fc.boolean(),
      (pattern, text, contains, fold) => {
        const wildcard = compileWildcard(pattern.join(""), { contains, fold });
        if (typeof wildcard === "string") return;
        const t = text.join("");
        const folded = fold ? matchForm(t) : t.toLowerCase();
        const expected = matchFoldedPieces(wildcard, ["", folded]);
        if (expected) matched++;
        if (fold) assert.equal(matchWildcard(wildcard, folded, { folded: true }), expected);
        else assert.equal(matchWildcard(wildcard, t), expected);
      },
    ),
    { numRuns: 30_000, seed: 20261126 },
  );
  assert.ok(matched > 1000, `only ${matched} generated pairs match: the test would prove little`);
});
