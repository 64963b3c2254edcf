/**
 * Property: whatever bytes arrive, parsing and analysis return findings. Mutations of
 * real messages (byte flips, cut points, spliced boundary and header lines, repeated
 * segments) and raw random bytes; each message must finish quickly.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { analyseMessage } from "../../src/analyse/mod.ts";
import { concatBytes, parseMessage } from "../../src/message/mod.ts";
import { FIXTURES } from "../_helpers/qmail_local.ts";

const SEEDS = readdirSync(FIXTURES).filter((f) => f.endsWith(".eml") && f !== "attach_zip_bomb.eml")
  .map((f) => new Uint8Array(readFileSync(join(FIXTURES, f))));

const HOSTILE_LINES = [
  "--",
  'Content-Type: multipart/mixed; boundary=""',
  "Content-Type: multipart/mixed; boundary=x\n\n--x\n--x\n--x",
  "Content-Type: message/rfc822\n\nContent-Type: message/rfc822\n\n",
  "Content-Transfer-Encoding: base64\n\n====",
  "Content-Disposition: attachment; filename*0*=utf-8''%FF%FE; filename*1=\u202e",
  "begin 644 x.exe\nM\n",
  "=ybegin name=x\n=",
  "\0\r\r\n\t",
].map((l) => new TextEncoder().encode(l));

const mutation = fc.oneof(
  fc.record({
    kind: fc.constant("flip" as const),
    at: fc.nat(),
    value: fc.integer({ min: 0, max: 255 }),
  }),
  fc.record({ kind: fc.constant("cut" as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant("splice" as const),
    at: fc.nat(),
    line: fc.nat({ max: HOSTILE_LINES.length - 1 }),
  }),
  fc.record({
    kind: fc.constant("repeat" as const),
    at: fc.nat(),
    length: fc.nat({ max: 400 }),
    times: fc.integer({ min: 1, max: 20 }),
  }),
);

type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(seed: Uint8Array, steps: readonly Mutation[]): Uint8Array {
  let bytes = seed;
  for (const step of steps) {
    const at = bytes.length ? step.at % bytes.length : 0;
    if (step.kind === "flip") {
      bytes = bytes.slice();
      if (bytes.length) bytes[at] = step.value;
    } else if (step.kind === "cut") {
      bytes = bytes.subarray(0, at);
    } else if (step.kind === "splice") {
      const line = HOSTILE_LINES[step.line]!;
      bytes = concatBytes([bytes.subarray(0, at), line, bytes.subarray(at)]);
    } else {
      const piece = bytes.subarray(at, at + step.length);
      bytes = concatBytes([
        bytes.subarray(0, at),
        ...Array<Uint8Array>(step.times).fill(piece),
        bytes.subarray(at),
      ]);
    }
  }
  return bytes;
}

/** Per message: parsing and analysis of a mutated small message must stay well below this. */
const MAX_MS = 1000;

async function survive(bytes: Uint8Array): Promise<void> {
  const started = performance.now();
  const analysis = await analyseMessage(await parseMessage(bytes));
  assert.ok(Array.isArray(analysis.findings));
  assert.ok(
    performance.now() - started < MAX_MS,
    `took ${performance.now() - started} ms on ${bytes.length} bytes`,
  );
}

/** Memory the process may gain over the whole fuzz run: a leak or a blow-up shows here. */
const MAX_RSS_GROWTH = 512 * 1024 * 1024;

Deno.test("parseMessage() and analyseMessage() survive 3000 mutations of the fixture messages", async () => {
  const before = Deno.memoryUsage().rss;
  await fc.assert(
    fc.asyncProperty(
      fc.nat({ max: SEEDS.length - 1 }),
      fc.array(mutation, { minLength: 1, maxLength: 8 }),
      async (seed, steps) => {
        await survive(mutate(SEEDS[seed]!, steps));
      },
    ),
    { numRuns: 3000, seed: 20261125 },
  );
  const growth = Deno.memoryUsage().rss - before;
  assert.ok(
    growth < MAX_RSS_GROWTH,
    `the fuzz run grew the process by ${(growth / 1024 / 1024).toFixed(0)} MiB`,
  );
});

Deno.test("parseMessage() and analyseMessage() survive 1000 random byte strings", async () => {
  await fc.assert(
    fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), async (bytes) => {
      await survive(bytes);
    }),
    { numRuns: 1000, seed: 42 },
  );
});
