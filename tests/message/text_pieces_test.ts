/**
 * A text part read in pieces (`textPieces`) is the text read whole (`text`): on every
 * fixture and corpus message, under every charset label, and where a piece boundary cuts a
 * character in two.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { parseMessage } from "../../src/message/mod.ts";
import { everyMessageFile } from "../_helpers/message_files.ts";

function joined(pieces: Iterable<string>): string {
  return [...pieces].join("");
}

async function onlyPart(header: string, body: Uint8Array) {
  const head = new TextEncoder().encode(`From: a@example.org\nMIME-Version: 1.0\n${header}\n\n`);
  const bytes = new Uint8Array(head.length + body.length);
  bytes.set(head);
  bytes.set(body, head.length);
  const message = await parseMessage(bytes);
  assert.equal(message.parts.length, 1);
  return message.parts[0]!;
}

Deno.test("textPieces() joins to the text, and hasText tells it is there, for every fixture and corpus part", async () => {
  let texts = 0;
  for (const path of everyMessageFile()) {
    const message = await parseMessage(readFileSync(path));
    for (const part of message.parts) {
      assert.equal(part.hasText, part.text !== undefined, `${path} part ${part.path}`);
      const pieces = joined(part.textPieces());
      assert.equal(pieces, part.text ?? "", `${path} part ${part.path}`);
      if (part.text) texts++;
    }
  }
  assert.ok(texts >= 100, `only ${texts} text parts read`);
});

/** Labels as mail writes them: WHATWG names and aliases, odd spellings, unknown ones. */
const LABELS = [
  "",
  "utf-8",
  "UTF8",
  " utf-8 ",
  "us-ascii",
  "iso-8859-1",
  "latin1",
  "iso-8859-2",
  "iso-8859-8-i",
  "iso-8859-15",
  "windows-1252",
  "cp1252",
  "win-1251",
  "koi8-r",
  "x-mac-cyrillic",
  "shift_jis",
  "x-sjis",
  "cp932",
  "euc-jp",
  "iso-2022-jp",
  "iso-2022-jp-2",
  "gb2312",
  "gbk",
  "gb18030",
  "big5",
  "euc-kr",
  "ks_c_5601-1987",
  "utf-16le",
  "utf-16",
  "unknown-8bit",
  "x-unknown",
  "binary",
];

Deno.test("textPieces() decodes every charset label as the whole-part decoding does", async () => {
  const body = new Uint8Array(600);
  for (let i = 0; i < body.length; i++) body[i] = (i * 37 + 11) % 256;
  for (const label of LABELS) {
    for (const type of ["text/plain", "text/html"]) {
      const part = await onlyPart(`Content-Type: ${type}; charset="${label}"`, body);
      assert.equal(joined(part.textPieces()), part.text, `${type} charset "${label}"`);
    }
  }
});

Deno.test("textPieces() keeps a character a piece boundary cuts in two", async () => {
  const cases: [string, Uint8Array][] = [
    ["utf-8", new TextEncoder().encode("\u20ac")],
    ["shift_jis", new Uint8Array([0x82, 0xa0])],
    ["iso-2022-jp", new Uint8Array([0x1b, 0x24, 0x42, 0x24, 0x22, 0x1b, 0x28, 0x42])],
  ];
  for (const [label, character] of cases) {
    const body = new Uint8Array(1024 * 1024 + 16).fill(0x61);
    body.set(character, 1024 * 1024 - 1);
    const part = await onlyPart(`Content-Type: text/plain; charset=${label}`, body);
    const pieces = [...part.textPieces()];
    assert.ok(pieces.length >= 2, `${label}: read in one piece`);
    assert.ok(pieces.join("") === part.text, `${label}: pieces differ from the text`);
    assert.ok(!pieces.join("").includes("\ufffd"), label);
  }
});

Deno.test("textPieces() of a format=flowed part unfolds it as the text does", async () => {
  const part = await onlyPart(
    "Content-Type: text/plain; charset=utf-8; format=flowed",
    new TextEncoder().encode("one \ntwo\n"),
  );
  assert.equal(part.text, "one two\n");
  assert.equal(joined(part.textPieces()), "one two\n");
});
