import assert from "node:assert/strict";
import fc from "fast-check";
import { isEightBit, readRawHeader } from "../../src/message/_raw_header.ts";

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

Deno.test("isEightBit() says whether the UTF-8 reading holds a code unit from U+0080 up", () => {
  const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });
  const byte = fc.constantFrom(
    0x00,
    0x41,
    0x7f,
    0x80,
    0xbf,
    0xc3,
    0xa9,
    0xe2,
    0x82,
    0xac,
    0xef,
    0xbb,
    0xbd,
    0xf0,
    0x9f,
    0x98,
    0xff,
  );
  fc.assert(
    fc.property(fc.array(byte, { maxLength: 10 }), (values) => {
      const raw = new Uint8Array(values);
      const text = utf8.decode(raw);
      assert.equal(isEightBit(raw, text), /[\u0080-\uffff]/.test(text), JSON.stringify(values));
    }),
    { numRuns: 20_000 },
  );
});

Deno.test("readRawHeader() joins a field's lines with each bare CR as a space, and leaves others as they are", () => {
  const text = "Subject: a\rb\r\rc\n d\nX-Plain: one  two\n\nbody\n";
  const raw = readRawHeader(new TextEncoder().encode(text), 1000);
  assert.deepEqual(raw.fields.map((f) => f.value), ["a b c d", "one  two"]);
});
