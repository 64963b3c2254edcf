import assert from "node:assert/strict";
import { compileWildcard, matchWildcard } from "../../src/profile/mod.ts";

function matches(pattern: string, text: string, contains = false): boolean {
  const w = compileWildcard(pattern, { contains });
  if (typeof w === "string") throw new Error(w);
  return matchWildcard(w, text);
}

Deno.test("matchWildcard() matches *.exe against whole names, case-insensitively", () => {
  assert.equal(matches("*.exe", "Invoice.PDF.EXE"), true);
  assert.equal(matches("*.exe", "invoice.exe.pdf"), false);
});

Deno.test("matchWildcard() supports ?, classes, negated classes and escapes", () => {
  assert.equal(matches("file?.[ch]", "file1.c"), true);
  assert.equal(matches("file?.[!ch]", "file1.c"), false);
  assert.equal(matches("[a-c]*", "Beta"), true);
  assert.equal(matches("\\*.txt", "*.txt"), true);
  assert.equal(matches("\\*.txt", "a.txt"), false);
});

Deno.test("matchWildcard() in contains mode finds the pattern anywhere", () => {
  assert.equal(matches("ILOVEYOU", "Re: iloveyou - read me", true), true);
  assert.equal(matches("I*YOU", "fw: I really love YOU!", true), true);
  assert.equal(matches("ILOVEYOU", "I LOVE YOU", true), false);
});

Deno.test("matchWildcard() stays fast on a hostile pattern and text", () => {
  const text = "a".repeat(5000);
  assert.equal(matches("*a*a*a*a*a*a*a*a*b", text), false);
});

Deno.test("compileWildcard() reports an unclosed class", () => {
  assert.equal(
    compileWildcard("[abc"),
    'A "[" has no closing "]": write \\[ for a literal bracket',
  );
});
