/**
 * What a text rule and plainmail read of a big part does not depend on where the part is
 * cut into pieces: a part is decoded a megabyte at a time (Part.textPieces), HTML is read
 * a piece at a time and its text folded in pieces (MatchFormBuilder), so a mail that puts
 * the rule's words right at a boundary must still be caught. These messages are built at
 * the real sizes, the boundary where the parser makes it.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { matchForm, parseMessage } from "../../src/message/mod.ts";
import { htmlTextConverter, matchTexts, plainText } from "../../src/plainmail/mod.ts";
import { compileWildcard, matchFoldedPieces } from "../../src/profile/mod.ts";
import { base64Lines } from "../_helpers/eml_builder.ts";
import { deliverToSite, makeSite, writeControl } from "../_helpers/qmail_local.ts";
import { tempDir } from "../_helpers/temp_dirs.ts";

/** The bytes a text part is decoded at a time (parse.ts PIECE_BYTES). */
const PIECE = 1024 * 1024;

/** A one-part message whose body is `text`, base64-encoded (as big HTML mail comes). */
function message(type: string, text: string): string {
  return [
    "From: a@example.org",
    "To: u@example.org",
    "Subject: invoice",
    "Message-ID: <piece@example.org>",
    "MIME-Version: 1.0",
    `Content-Type: ${type}; charset=utf-8`,
    "Content-Transfer-Encoding: base64",
    "",
    base64Lines(new TextEncoder().encode(text)),
  ].join("\n");
}

/** `body` padded in front with `fill` so that `at` (a part of body) ends at byte `end`. */
function placed(fill: string, body: string, at: string, end: number): string {
  const before = Buffer.byteLength(body.slice(0, body.indexOf(at) + at.length));
  const room = end - before;
  return fill.repeat(Math.floor(room / fill.length)) + "x".repeat(room % fill.length) + body;
}

function rule(pattern: string) {
  const wildcard = compileWildcard(pattern, { contains: true, fold: true });
  if (typeof wildcard === "string") throw new Error(wildcard);
  return wildcard;
}

async function rulesMatch(eml: string, pattern: string): Promise<boolean> {
  const texts = await matchTexts(await parseMessage(new TextEncoder().encode(eml)));
  return [...texts.values()].some((pieces) => matchFoldedPieces(rule(pattern), pieces));
}

/** "&#" and 100 zeros before 119 is "w": a browser reads every digit. */
const LONG_REFERENCE = `&#${"0".repeat(100)}119;`;

/** HTML whose first megabyte ends inside the zeros of LONG_REFERENCE. */
const REFERENCE_AT_BOUNDARY = message(
  "text/html",
  placed(
    "Dear customer, ",
    `<p>${LONG_REFERENCE}ire money today</p>`,
    `&#${"0".repeat(50)}`,
    PIECE,
  ),
);

Deno.test("a numeric reference of any length cut by a megabyte boundary reads as its character", async () => {
  const text = await plainText(await parseMessage(new TextEncoder().encode(REFERENCE_AT_BOUNDARY)));
  assert.ok(text.endsWith("wire money today\n"), text.slice(-120));
  assert.ok(await rulesMatch(REFERENCE_AT_BOUNDARY, "*wire*money*"));
});

Deno.test("a numeric reference cut anywhere in pieces reads as the whole markup does", () => {
  for (
    const markup of [
      `<p>${LONG_REFERENCE}ire</p>`,
      `<p>&#x${"0".repeat(100)}77;ire</p>`,
      `<p>&#${"9".repeat(100)};x</p>`,
      `<p>&#${"0".repeat(100)};x</p>`,
      `<p>&#${"0".repeat(100)}12ab</p>`,
      `<textarea>${LONG_REFERENCE}ire</textarea>`,
    ]
  ) {
    const whole = convert(markup, []);
    for (let cut = 1; cut < markup.length; cut++) {
      assert.equal(convert(markup, [cut]), whole, `${markup.slice(0, 24)}... cut at ${cut}`);
    }
  }
  assert.equal(convert(`<p>${LONG_REFERENCE}ire</p>`, []), "wire\n");
});

/** The text of `markup` handed to the converter cut at `cuts`. */
function convert(markup: string, cuts: readonly number[]): string {
  const out: string[] = [];
  const converter = htmlTextConverter((text) => out.push(text));
  let from = 0;
  for (const cut of cuts) {
    converter.write(markup.slice(from, cut));
    from = cut;
  }
  converter.write(markup.slice(from));
  converter.end();
  return out.join("");
}

Deno.test("|qmvc -n: a text rule catches words whose first letter is a long reference at the boundary", async () => {
  const site = makeSite();
  writeControl(site.system, "filters", "body=y\nnotify-recipient=n\n");
  writeControl(site.system, "badbodytexts", "*wire*money*\n");
  const path = join(tempDir("piece-boundary-"), "reference.eml");
  writeFileSync(path, REFERENCE_AT_BOUNDARY);
  const result = await deliverToSite(site, path);
  assert.equal(result.code, 99, result.stderr);
});

Deno.test("a letter and its combining mark cut apart by the pieces still meet a rule's precomposed letter", async () => {
  // Two megabytes without a space, digit or punctuation before the word: the text is
  // folded in pieces cut somewhere, never between "u" and its U+0308 (a reader sees u-umlaut).
  const word = "u\u0308berweisung heute";
  // Filled with letters, or with letters that each carry a mark (no two letters meet).
  for (const fill of ["x", "u\u0308"]) {
    for (const end of [PIECE, 2 * PIECE]) {
      const eml = message("text/plain", placed(fill, word, "u\u0308", end));
      assert.ok(await rulesMatch(eml, "*\u00fcberweisung*"), `${fill}, boundary at ${end}`);
    }
  }
});

Deno.test("matchForm() of a long run of combining marks takes linear time", () => {
  // Sorting alternating marks (classes 230 and 220) into order was quadratic: 37 s here.
  const zalgo = `a${"\u0301\u0316".repeat(64_000)} wire money`;
  const started = performance.now();
  const form = matchForm(zalgo);
  const took = performance.now() - started;
  assert.ok(took < 2000, `${took.toFixed(0)} ms`);
  assert.ok(form.endsWith(" wire money"));
  // Up to 30 marks in a row are kept and composed as before.
  assert.equal(matchForm("Cafe\u0301"), "caf\u00e9");
  assert.equal(
    matchForm(`a${"\u0316\u0301".repeat(15)}`),
    `a${"\u0316".repeat(15)}${"\u0301".repeat(15)}`.normalize("NFKC"),
  );
});

Deno.test("HTML text is handed on as it is made, also when no tag breaks it up", () => {
  const sizes: number[] = [];
  let beforeEnd = 0;
  const converter = htmlTextConverter((text) => sizes.push(text.length));
  const piece = "wire money ".repeat(PIECE / 11);
  converter.write("<p>");
  for (let i = 0; i < 8; i++) converter.write(piece);
  beforeEnd = sizes.reduce((a, b) => a + b, 0);
  converter.end();
  assert.ok(beforeEnd >= 7 * piece.length, `only ${beforeEnd} characters before the end`);
  assert.ok(Math.max(...sizes) <= 2 * PIECE, `a piece of ${Math.max(...sizes)} characters`);
});
