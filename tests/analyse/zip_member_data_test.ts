import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { deflateRawSync } from "node:zlib";
import type { Entry } from "@zip.js/zip.js";
import { readMemberDirect } from "../../src/analyse/_zip_member_data.ts";
import { loadZipJs, zipEntries } from "../../src/analyse/_zip_walk.ts";
import { BIN_FIXTURES } from "../_helpers/eml_builder.ts";
import { nestedOverlappingZip, overlappingZip } from "../_helpers/zip_shapes.ts";

const SNIFF = 64 * 1024;

/** The first `max` bytes of a member as zip.js streams them, or undefined when it cannot. */
async function throughZipJs(entry: Entry, max: number): Promise<Uint8Array | undefined> {
  await loadZipJs();
  if (entry.directory) return undefined;
  const chunks: Uint8Array[] = [];
  let taken = 0;
  try {
    await entry.getData(
      new WritableStream<Uint8Array>({
        write(chunk) {
          chunks.push(chunk.subarray(0, max - taken));
          taken += Math.min(chunk.length, max - taken);
          if (taken >= max) throw new Error("enough");
        },
      }),
    );
  } catch {
    if (taken === 0) return undefined;
  }
  const out = new Uint8Array(taken);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

function randomBytes(length: number, seed: number): Uint8Array {
  return new Uint8Array(length).map(() => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24);
}

/** A zip of one member whose headers both declare `size` uncompressed bytes. */
function declaring(size: number, data: Uint8Array, deflate = true): Uint8Array {
  const name = "d.bin";
  const zip = overlappingZip(name, data, 1, { deflate });
  const view = new DataView(zip.buffer);
  view.setUint32(22, size, true);
  view.setUint32(zip.length - 22 - 46 - name.length + 24, size, true);
  return zip;
}

/** A zip's entries; none for a fixture zip.js cannot open (an empty file): no case here. */
async function entriesOf(zip: Uint8Array): Promise<Entry[]> {
  const entries: Entry[] = [];
  try {
    for await (const entry of zipEntries(zip)) entries.push(entry);
  } catch { /* not a zip zip.js reads */ }
  return entries;
}

const ZIPS: [string, Uint8Array][] = [
  ...readdirSync(BIN_FIXTURES)
    .filter((name) => /\.(zip|jar|docx)$/.test(name))
    .map((name) => [name, readFileSync(join(BIN_FIXTURES, name))] as [string, Uint8Array]),
  ["stored", overlappingZip("a.bin", randomBytes(70_000, 1), 2, { deflate: false })],
  [
    "deflated",
    overlappingZip("a.txt", new TextEncoder().encode("x".repeat(50_000)), 2, {
      deflate: true,
    }),
  ],
  [
    "deflated past the sniff",
    overlappingZip("b.bin", new Uint8Array(200_000), 1, { deflate: true }),
  ],
  ["nested", nestedOverlappingZip(3, 5)],
  ["declared larger than it inflates", declaring(300_000, new Uint8Array(200_000))],
  ["stored, declared smaller than stored", declaring(10, randomBytes(5000, 3), false)],
];

Deno.test("readMemberDirect: every member it reads holds the bytes zip.js streams; of one it calls broken zip.js gives nothing", async () => {
  let direct = 0;
  for (const [label, zip] of ZIPS) {
    for (const max of [1, 100, SNIFF, 64 * 1024 * 1024]) {
      direct += await assertReadAsZipJsReads(zip, max, `${label}, ${max}`);
    }
  }
  assert.ok(direct >= 20, `only ${direct} members were read directly`);
});

/**
 * For every member the direct read takes on (up to `max` bytes): the bytes zip.js streams,
 * or, where it says "broken", nothing from zip.js either. Returns how many it took on.
 */
async function assertReadAsZipJsReads(zip: Uint8Array, max: number, what: string): Promise<number> {
  let taken = 0;
  for (const entry of await entriesOf(zip)) {
    if (entry.directory) continue;
    const fast = await readMemberDirect(zip, entry, max);
    if (fast === undefined) continue;
    taken++;
    assert.deepEqual(
      fast === "broken" ? undefined : fast,
      await throughZipJs(entry, max),
      `${what}: ${entry.filename}`,
    );
  }
  return taken;
}

/** The one entry of a zip. */
async function onlyEntry(zip: Uint8Array): Promise<Entry> {
  for await (const entry of zipEntries(zip)) return entry;
  throw new Error("no entry");
}

Deno.test("readMemberDirect: a member whose local header names another method is left to zip.js", async () => {
  const zip = overlappingZip("a.txt", new TextEncoder().encode("hello"), 1, { deflate: true });
  zip[8] = 0; // the local header says "stored", the directory "deflated"
  assert.equal(await readMemberDirect(zip, await onlyEntry(zip), SNIFF), undefined);
});

Deno.test("readMemberDirect: a member whose local header gives other sizes is left to zip.js", async () => {
  const zip = overlappingZip("a.txt", new TextEncoder().encode("hello"), 1, { deflate: false });
  zip[22] = 4; // local uncompressed size 4, the directory's 5
  assert.equal(await readMemberDirect(zip, await onlyEntry(zip), SNIFF), undefined);
});

Deno.test("readMemberDirect: deflated data that inflates past its declared size is broken", async () => {
  const zip = declaring(10, new Uint8Array(200_000));
  const entry = await onlyEntry(zip);
  assert.equal(entry.uncompressedSize, 10);
  assert.equal(await readMemberDirect(zip, entry, SNIFF), "broken");
});

Deno.test("readMemberDirect: deflated data that is cut short is broken", async () => {
  const text = new TextEncoder().encode("a line of text, again and again\n".repeat(500));
  const zip = overlappingZip("c.txt", text, 1, { deflate: true });
  // Both headers say the data is half as long as it is: the deflate stream ends early.
  const view = new DataView(zip.buffer);
  const half = deflateRawSync(text).length >> 1;
  view.setUint32(18, half, true);
  view.setUint32(zip.length - 22 - 46 - "c.txt".length + 20, half, true);
  const entry = await onlyEntry(zip);
  assert.equal(entry.compressedSize, half);
  assert.equal(await readMemberDirect(zip, entry, SNIFF), "broken");
});

for (
  const [label, content] of [
    ["inflated at once", "text ".repeat(3000)],
    ["inflated as a stream", "more text, ".repeat(20_000)],
  ] as const
) {
  Deno.test(`readMemberDirect: zips with a byte of their headers changed read as zip.js reads them, or are left to it (${label})`, async () => {
    const name = "m.txt";
    const base = overlappingZip(name, new TextEncoder().encode(content), 1, { deflate: true });
    const central = base.length - 22 - 46 - name.length;
    // Every byte of the local header and of the central entry's fixed part, set to a few values.
    const places = [...Array(30).keys(), ...Array.from({ length: 46 }, (_, i) => central + i)];
    let compared = 0;
    for (const at of places) {
      for (const value of [0, 1, 8, 0xff]) {
        const zip = base.slice();
        zip[at] = value;
        compared += await assertReadAsZipJsReads(zip, SNIFF, `byte ${at} set to ${value}`);
      }
    }
    assert.ok(compared > 100, `only ${compared} variants were read directly`);
  });
}
