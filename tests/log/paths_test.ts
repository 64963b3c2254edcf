import assert from "node:assert/strict";
import { posix } from "node:path";
import { baseName, joinPath, parentDir } from "../../src/log/mod.ts";

/** Path pieces that exercise every rule of normalisation: roots, dots, runs of slashes. */
const PIECES = ["", "/", "//", ".", "..", "a", "bc", "a/", "/a", "./", "../", "a//b", "..a", ".b."];

/** A deterministic stream of pseudo-random numbers (a fixed seed keeps failures reproducible). */
function* numbers(seed: number): Generator<number> {
  let state = seed;
  for (;;) {
    state = (state * 1103515245 + 12345) % 2147483648;
    yield state;
  }
}

function randomPaths(count: number): string[][] {
  const random = numbers(20261125);
  const next = (n: number): number => random.next().value! % n;
  const lists: string[][] = [];
  for (let i = 0; i < count; i++) {
    const parts: string[] = [];
    for (let p = next(4); p >= 0; p--) {
      let part = "";
      for (let s = next(4); s >= 0; s--) part += PIECES[next(PIECES.length)]!;
      parts.push(part);
    }
    lists.push(parts);
  }
  return lists;
}

Deno.test("joinPath() answers as node:path's posix.join on 20,000 generated part lists", () => {
  for (const parts of randomPaths(20_000)) {
    assert.equal(joinPath(...parts), posix.join(...parts), JSON.stringify(parts));
  }
});

Deno.test("joinPath() with no parts or only empty ones is the current directory", () => {
  assert.equal(joinPath(), ".");
  assert.equal(joinPath("", ""), ".");
});

Deno.test("parentDir() and baseName() answer as node:path's posix dirname and basename", () => {
  for (const parts of randomPaths(20_000)) {
    const path = parts.join("");
    assert.equal(parentDir(path), posix.dirname(path), JSON.stringify(path));
    assert.equal(baseName(path), posix.basename(path), JSON.stringify(path));
  }
});

Deno.test("the profile paths qmvc builds are the ones node:path builds", () => {
  assert.equal(joinPath("/var/qmvc", "control", "filters"), "/var/qmvc/control/filters");
  assert.equal(joinPath("/home/bob/", "./.qmvc/", "cache"), "/home/bob/.qmvc/cache");
  assert.equal(parentDir("/var/qmvc/log/qmvc.log"), "/var/qmvc/log");
  assert.equal(baseName("/usr/local/bin/plainmail"), "plainmail");
});
