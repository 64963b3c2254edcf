import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { VERSION } from "../../src/delivery/version.ts";

Deno.test("VERSION is the version in package.json", () => {
  assert.equal(VERSION, JSON.parse(readFileSync("package.json", "utf8")).version);
});
