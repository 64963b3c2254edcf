import assert from "node:assert/strict";
import { readRawHeader } from "../../src/message/_raw_header.ts";

Deno.test("readRawHeader() marks a field eightBit exactly when a byte of its lines is 0x80 or above", () => {
  const cases: [number[], boolean][] = [
    [[0x61], false],
    [[0x7f, 0x61], false],
    [[0x80], true], // invalid UTF-8 alone
    [[0xc3, 0xa9], true], // valid UTF-8
    [[0xef, 0xbb, 0xbf], true], // a BOM is kept
    [[0xff, 0x61], true],
  ];
  for (const [value, eightBit] of cases) {
    const bytes = new Uint8Array([
      ...new TextEncoder().encode("Subject: "),
      ...value,
      ...new TextEncoder().encode("\nX: a\n folded"),
      ...(eightBit ? [] : [0x09]),
      ...new TextEncoder().encode("\n\nbody\n"),
    ]);
    const raw = readRawHeader(bytes, 1000);
    assert.equal(raw.fields[0]?.eightBit, eightBit, JSON.stringify(value));
    assert.equal(raw.fields[1]?.eightBit, false);
  }
  const folded = new Uint8Array([...new TextEncoder().encode("X: a\n "), 0xe9, 0x0a, 0x0a]);
  assert.equal(readRawHeader(folded, 1000).fields[0]?.eightBit, true, "on a continuation line");
});
