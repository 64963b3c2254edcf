import assert from "node:assert/strict";
import { sizeText } from "../../src/report/pages.ts";

Deno.test("sizeText() shows a month of small mail in KB, not as 0.0 MB", () => {
  assert.equal(sizeText(36_000), "36 KB");
  assert.equal(sizeText(123_456_789), "117.7 MB");
  assert.equal(sizeText(0), "0 KB");
});
