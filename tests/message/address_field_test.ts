/**
 * The address fields' simple forms are read without postal-mime (address_field.ts):
 * for every value they take, the mailboxes must be postal-mime's addressParser's.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { addressParser } from "postal-mime";
import { simpleMailboxes } from "../../src/message/address_field.ts";
import { readRawHeader } from "../../src/message/_raw_header.ts";
import { ADDRESS_FIELDS, DEFAULT_LIMITS } from "../../src/message/mod.ts";
import { everyMessageFile } from "../_helpers/message_files.ts";

function assertPostalReading(value: string): boolean {
  const simple = simpleMailboxes(value);
  if (!simple) return false;
  const postal = addressParser(value, { flatten: true }).map((m) => ({ address: m.address }));
  assert.deepEqual(simple, postal, value);
  return true;
}

Deno.test("simpleMailboxes() reads every address field of every fixture and corpus message as postal-mime does", () => {
  let taken = 0;
  let values = 0;
  for (
    const path of everyMessageFile()
  ) {
    const raw = readRawHeader(new Uint8Array(readFileSync(path)), DEFAULT_LIMITS.maxHeaderBytes);
    for (const field of raw.fields) {
      if (!ADDRESS_FIELDS.includes(field.name.toLowerCase())) continue;
      values++;
      if (assertPostalReading(field.value.trim())) taken++;
    }
  }
  assert.ok(taken >= 50, `the simple forms took ${taken} of ${values} values`);
});

Deno.test("simpleMailboxes() reads generated simple lists as postal-mime does, and leaves the rest", () => {
  const locals = ["a", "bob", "j.doe", "x_y", "p+tag", "100%", "o'n", "-x", "a.", ".a", "a..b"];
  const domains = ["example.org", "x", "a-b.c", "1.2.3.4", "e.", "-e", "x..y"];
  const names = ["Bob", "Bob Example", "O'Neil", "Jean-Luc Picard", "R2 D2", "-", "'", "a  b"];
  let seed = 7;
  const pick = <T>(list: readonly T[]): T => {
    seed = (seed + 0x6d2b79f5) | 0; // mulberry32
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t ^= t + Math.imul(t ^ (t >>> 7), 61 | t);
    return list[((t ^ (t >>> 14)) >>> 0) % list.length]!;
  };
  let taken = 0;
  for (let i = 0; i < 5_000; i++) {
    const mailboxes: string[] = [];
    for (let n = pick([1, 1, 2, 3]); n > 0; n--) {
      const address = `${pick(locals)}@${pick(domains)}`;
      mailboxes.push(pick([true, false]) ? address : `${pick(names)} <${address}>`);
    }
    if (assertPostalReading(mailboxes.join(pick([",", ", ", " ,", ",  "])))) taken++;
  }
  assert.ok(taken > 1_000, `${taken}`);
  // Quoted, commented, grouped, encoded or unusual values are postal-mime's to read.
  for (
    const value of [
      '"Doe, John" <j@x>',
      "j@x (John)",
      "undisclosed-recipients:;",
      "=?utf-8?q?J=C3=B6rg?= <j@x>",
      "<j@x>",
      "John <j@x",
      "John.Doe <j@x>",
      "j@x,",
      ",j@x",
      "j@x, , k@y",
      "J\u00f6rg <j@x>",
      "a".repeat(999) + "@x",
    ]
  ) {
    assert.equal(simpleMailboxes(value), undefined, value);
  }
});
