import assert from "node:assert/strict";
import {
  daysBetween,
  daysOfMonth,
  nextMonthOf,
  previousMonthOf,
} from "../../src/report/local_time.ts";

Deno.test("daysBetween() lists every day, none skipped or doubled across a DST change", () => {
  const days = daysBetween("2026-10-24", "2026-10-27");
  assert.deepEqual(days, ["2026-10-24", "2026-10-25", "2026-10-26", "2026-10-27"]);
});

Deno.test("daysOfMonth() knows February of a leap year", () => {
  assert.equal(daysOfMonth("2028-02").length, 29);
  assert.equal(daysOfMonth("2026-02").at(-1), "2026-02-28");
});

Deno.test("previousMonthOf() and nextMonthOf() cross the year", () => {
  assert.equal(previousMonthOf("2027-01"), "2026-12");
  assert.equal(nextMonthOf("2026-12"), "2027-01");
});
