import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { sha256Hex } from "../../src/analyse/_sha256.ts";

Deno.test("sha256Hex: equal to node:crypto at every padding boundary and beyond", () => {
  const sizes = [0, 1, 3, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 1000, 16383, 16384];
  for (const size of sizes) {
    const bytes = new Uint8Array(size);
    for (let i = 0; i < size; i++) bytes[i] = (i * 131 + 17) & 0xff;
    assert.equal(sha256Hex(bytes), createHash("sha256").update(bytes).digest("hex"), `${size}`);
  }
});

Deno.test("sha256Hex: the FIPS 180-4 test vectors", () => {
  const text = (s: string) => sha256Hex(new TextEncoder().encode(s));
  assert.equal(text(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  assert.equal(text("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  assert.equal(
    text("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
  );
});

Deno.test("sha256Hex: a view into a larger buffer hashes only its own bytes", () => {
  const buffer = new Uint8Array(300).fill(7);
  const view = buffer.subarray(10, 210);
  assert.equal(sha256Hex(view), createHash("sha256").update(view).digest("hex"));
});
