import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { isTnef, readTnef } from "../../src/message/tnef.ts";

const TNEF = new Uint8Array(readFileSync("tests/fixtures/bin/tnef.dat"));

Deno.test("readTnef() names an attachment by its MAPI long filename, not its 8.3 title", () => {
  const { attachments, error } = readTnef(TNEF);
  assert.equal(error, undefined);
  assert.deepEqual(attachments.map((a) => [a.name, a.content.length]), [["invoice.pdf.exe", 2048], [
    "notes.txt",
    13,
  ]]);
});

Deno.test("readTnef() stops at a truncated stream and says where", () => {
  const { attachments, error } = readTnef(TNEF.subarray(0, 200));
  assert.match(error ?? "", /runs past the end|truncated attribute header/);
  assert.equal(attachments.length, 1);
});

Deno.test("isTnef() wants the signature", () => {
  assert.equal(isTnef(TNEF), true);
  assert.equal(isTnef(new TextEncoder().encode("not tnef")), false);
});
