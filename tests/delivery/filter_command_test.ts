import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { runFilter } from "../../src/delivery/filter_command.ts";
import type { CommandIo } from "../../src/delivery/io.ts";
import { tempDir } from "../_helpers/temp_dirs.ts";

function io(overrides: Partial<CommandIo> = {}): CommandIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    readStdin: () => readFileSync("tests/fixtures/eml/clean_plain.eml"),
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    env: {
      QMVC_HOME: tempDir("qmvc-unit-"),
      SENDER: "a@example.net",
      RECIPIENT: "b@example.org",
    },
    now: () => new Date("2026-11-25T10:00:00Z"),
    pid: 4242,
    out,
    err,
    ...overrides,
  };
}

Deno.test("runFilter() turns an uncaught exception into exit 111", async () => {
  const target = io({
    now: () => {
      throw new TypeError("clock exploded");
    },
  });
  assert.equal(await runFilter(["-n"], target), 111);
  assert.match(target.err.join(""), /^qmvc: Temporary failure: clock exploded \(#4\.3\.0\)\n$/);
});

Deno.test("runFilter() turns a thrown non-Error value into exit 111", async () => {
  const target = io({
    readStdin: () => {
      // deno-lint-ignore no-throw-literal
      throw "not even an Error";
    },
  });
  assert.equal(await runFilter([], target), 111);
  assert.match(target.err.join(""), /Unable to read message: not even an Error/);
});

Deno.test("runFilter() answers --version from a shell without reading the message", async () => {
  const target = io({
    readStdin: () => {
      throw new Error("must not be read");
    },
    env: { QMVC_HOME: tempDir("qmvc-unit-") },
  });
  assert.equal(await runFilter(["--version"], target), 0);
  assert.match(target.out.join(""), /^qmvc \d+\.\d+\.\d+\n$/);
});

Deno.test("runFilter() defers --version in a dot-qmail line rather than deliver unfiltered", async () => {
  const target = io();
  assert.equal(await runFilter(["--version"], target), 111);
  assert.deepEqual(target.out, []);
});

Deno.test("runFilter() never defers because of message content: 300 mutated messages give 0, 99 or 100", async () => {
  const fc = (await import("fast-check")).default;
  const seed = readFileSync("tests/fixtures/eml/attach_zip_nested_exe.eml");
  const home = tempDir("qmvc-unit-");
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 20 }),
      fc.nat(),
      async (flips, cut) => {
        const bytes = seed.slice(0, seed.length - (cut % 200));
        for (const [at, value] of flips) bytes[at % bytes.length] = value;
        const target = io({
          readStdin: () => bytes,
          env: { QMVC_HOME: home, SENDER: "a@b", RECIPIENT: "c@d" },
        });
        const code = await runFilter(["-n"], target);
        assert.ok([0, 99, 100].includes(code), `exit ${code}: ${target.err.join("")}`);
      },
    ),
    { numRuns: 300, seed: 7 },
  );
});
