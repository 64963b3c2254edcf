import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { binaryString } from "../../src/message/binary_string.ts";

Deno.test("binaryString() gives node:buffer's latin1 for every byte value, below, at and above 8 KiB", () => {
  for (const size of [0, 1, 255, 256, 8191, 8192, 8193, 20_000, 70_000]) {
    const bytes = new Uint8Array(size).map((_, i) => (i * 131 + 7) % 256);
    // A view into a larger buffer converts only its own bytes.
    const view = new Uint8Array([1, 2, ...bytes, 3]).subarray(2, 2 + size);
    const expected = Buffer.from(bytes).toString("latin1");
    assert.equal(binaryString(bytes), expected, `${size}`);
    assert.equal(binaryString(view), expected, `view ${size}`);
  }
});
