import assert from "node:assert/strict";
import fc from "fast-check";
import { readFileSync } from "node:fs";
import {
  matchForm,
  MatchFormBuilder,
  parseMessage,
  removeInvisible,
} from "../../src/message/mod.ts";
import { everyMessageFile } from "../_helpers/message_files.ts";

/** matchForm() built by a MatchFormBuilder from `text` cut every `size` characters. */
function builtInPieces(text: string, size: number, foldAt: number): string {
  const builder = new MatchFormBuilder({ foldAt });
  for (let i = 0; i < text.length; i += size) builder.write(text.slice(i, i + size));
  return builder.end().join("");
}

Deno.test("matchForm() drops soft hyphens, zero-width characters and bidi controls", () => {
  assert.equal(
    matchForm("wi\u00adre mo\u200bney, wire\u200d \u2066money\u2069 \u202ewire\u202c"),
    "wire money, wire money wire",
  );
});

Deno.test("matchForm() maps compatibility forms with NFKC: fullwidth digits, ligatures", () => {
  assert.equal(matchForm("\uff11\uff12\uff13 \ufb01le \u2460"), "123 file 1");
});

Deno.test("matchForm() collapses whitespace runs, line breaks and no-break spaces to one space", () => {
  assert.equal(matchForm("wire\n\t  the\u00a0\u00a0money"), "wire the money");
});

Deno.test("matchForm() folds case, also where lower-casing alone does not meet", () => {
  assert.equal(matchForm("STRASSE"), matchForm("Stra\u00dfe"));
  assert.equal(matchForm("WIRE Money"), "wire money");
});

Deno.test("removeInvisible() removes only what a reader does not see", () => {
  assert.equal(removeInvisible("in\u202evoice\u200b.pdf \ufeffA\u034fB"), "invoice.pdf AB");
});

/** Characters folding treats specially: spaces, invisible ones, marks, jamo, sigma, pairs. */
const FOLDABLE = fc.constantFrom(
  " ",
  "  ",
  "\n",
  "\u00a0",
  "\u3000",
  "\u00ad",
  "\u200b",
  "\u2066",
  "e\u0301",
  "\u0301",
  "\u1100\u1161",
  "\u1161",
  "\u03a3",
  "\u03a3 ",
  "STRASSE",
  "Stra\u00dfe",
  "\uff11",
  "\ufb01",
  "\u{1d5d4}",
  "\u{1f600}",
  "\u0130",
  "wire",
  "money",
  "7",
  ".",
  "'",
  "-",
  "\u00aa",
  "\u3042",
  "\u4e00",
  "\u0661",
  "\u03c2",
  "\u{1d6ba}",
);

Deno.test("MatchFormBuilder gives matchForm() of the whole text however it is cut", () => {
  fc.assert(
    fc.property(
      fc.array(FOLDABLE, { maxLength: 80 }),
      fc.integer({ min: 1, max: 9 }),
      fc.integer({ min: 1, max: 40 }),
      (pieces, size, foldAt) => {
        const text = pieces.join("");
        assert.equal(builtInPieces(text, size, foldAt), matchForm(text), JSON.stringify(text));
      },
    ),
    { numRuns: 2000 },
  );
});

Deno.test("MatchFormBuilder gives matchForm() of every fixture's and corpus message's texts", async () => {
  let texts = 0;
  for (const path of everyMessageFile()) {
    for (const part of (await parseMessage(readFileSync(path))).parts) {
      if (!part.text) continue;
      const whole = matchForm(part.text);
      assert.ok(builtInPieces(part.text, 97, 500) === whole, `${path} part ${part.path}`);
      texts++;
    }
  }
  assert.ok(texts >= 100, `only ${texts} texts read`);
});

Deno.test("matchForm() is the full folding of any text, short or long, ASCII or not", () => {
  // Every step written out with the expressions, for every text: what matchForm() must give
  // (its ASCII way skips only steps that change no ASCII).
  const folded = (text: string): string =>
    removeInvisible(text).replace(/([\p{M}\uff9e\uff9f]{30})[\p{M}\uff9e\uff9f]+/gu, "$1")
      .normalize("NFKC").replace(/\s+/g, " ").toUpperCase().toLowerCase();
  const char = fc.constantFrom(
    "a",
    "Z",
    " ",
    "  ",
    "\t",
    "\n",
    "\v",
    "\f",
    "\r",
    "\x00",
    "\x7f",
    "\u00a0",
    "\u0130",
    "\u{1f600}",
  );
  const text = fc.oneof(
    fc.array(char, { maxLength: 20 }).map((cs) => cs.join("")),
    // Past the length native methods look at.
    fc.array(char, { maxLength: 6 }).map((cs) => "x ".repeat(520) + cs.join("")),
  );
  fc.assert(
    fc.property(text, (t) => assert.equal(matchForm(t), folded(t), JSON.stringify(t))),
    { numRuns: 20_000 },
  );
});
