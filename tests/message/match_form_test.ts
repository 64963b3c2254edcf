import assert from "node:assert/strict";
import { matchForm, removeInvisible } from "../../src/message/mod.ts";

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
