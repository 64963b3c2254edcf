import assert from "node:assert/strict";
import { barList, heatMap, percentText } from "../../src/report/charts.ts";
import { dom } from "../_helpers/reports.ts";

Deno.test("barList() leaves room for the number on the longest bar (105 is not cut to 1)", () => {
  for (const n of [75, 105, 123_456]) {
    const svg = dom(barList("Top", [["a", n], ["b", 5]]).value).querySelector("svg");
    const width = Number(svg.getAttribute("viewBox").split(" ")[2]);
    const number = [...svg.querySelectorAll("text")].find((t) => t.textContent === String(n));
    assert.ok(number, `${n} is written`);
    const end = Number(number.getAttribute("x")) + String(n).length * 7;
    assert.ok(end <= width, `${n} ends at ${end}, the chart is ${width} wide`);
  }
});

Deno.test("barList() with a total shows each count's share beside it", () => {
  const doc = dom(barList("Conditions", [["virus", 25]], "#f00", 200).value);
  assert.ok([...doc.querySelectorAll("text")].some((t) => t.textContent === "25 (12.5 %)"));
});

Deno.test("heatMap() draws one cell per row and hour, each with its count", () => {
  const rows = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"].map((label) => ({
    label,
    counts: new Array<number>(24).fill(0),
  }));
  rows[2]!.counts[9] = 7;
  const doc = dom(heatMap("Per hour", rows).value);
  assert.equal(doc.querySelectorAll("rect").length, 168);
  assert.ok([...doc.querySelectorAll("title")].some((t) => t.textContent === "We 9:00-9:59: 7"));
});

Deno.test("percentText() never prints a share that is not zero as 0.0 %", () => {
  assert.equal(percentText(400, 2_000_000), "< 0.1 %");
  assert.equal(percentText(0, 10), "0 %");
  assert.equal(percentText(1, 8), "12.5 %");
});
