import assert from "node:assert/strict";
import fc from "fast-check";
import { DATE, usualDate } from "../../src/rules/_header_syntax.ts";

Deno.test("usualDate() accepts the usual form, with and without a comment", () => {
  for (
    const v of [
      "Tue, 24 Nov 2026 09:12:44 +0100",
      "Sun, 1 Feb 2026 23:59:60 -0000",
      "Mon, 02 Mar 1998 00:00:00 +1400 (CET)",
      "Fri, 31 Dec 1999 12:00:00 +0000 ()",
    ]
  ) {
    assert.ok(usualDate(v), v);
    assert.ok(DATE.test(v), v);
  }
});

Deno.test("usualDate() never accepts what DATE refuses (generated near-dates)", () => {
  const pieces = [
    "Mon",
    "Tue",
    "Sun",
    "mon",
    "Xyz",
    ", ",
    ",",
    " ",
    "  ",
    "\t",
    "\u00a0",
    "1",
    "24",
    "123",
    "Nov",
    "nov",
    "Foo",
    "2026",
    "26",
    "09:12:44",
    "9:12",
    ":",
    "+0100",
    "-0000",
    "+01",
    "GMT",
    " (",
    "(",
    ")",
    "CET",
    "\n",
    "\u2028",
    "\u00e9",
  ];
  const near = fc.array(fc.constantFrom(...pieces), { maxLength: 14 }).map((a) => a.join(""));
  const mutated = fc.tuple(
    fc.constantFrom(
      "Tue, 24 Nov 2026 09:12:44 +0100",
      "Sun, 1 Feb 2026 23:59:60 -0000 (UTC)",
    ),
    fc.nat(40),
    fc.string({ maxLength: 3 }),
    fc.nat(3),
  ).map(([v, at, insert, drop]) => v.slice(0, at) + insert + v.slice(at + drop));
  fc.assert(
    fc.property(fc.oneof(near, mutated), (v) => !usualDate(v) || DATE.test(v)),
    { numRuns: 20_000 },
  );
});
