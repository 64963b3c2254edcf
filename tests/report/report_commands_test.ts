import assert from "node:assert/strict";
import { defaultCalendarYear } from "../../src/report/report_commands.ts";

Deno.test("defaultCalendarYear() on 1 January is the old year, so its December is completed", () => {
  assert.equal(defaultCalendarYear(new Date(2027, 0, 1, 0, 5)), "2026");
});

Deno.test("defaultCalendarYear() from February on is the current year", () => {
  assert.equal(defaultCalendarYear(new Date(2027, 1, 1, 0, 5)), "2027");
});
