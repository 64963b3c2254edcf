import assert from "node:assert/strict";
import { joinVirusNames, type LogRecord } from "../../src/log/mod.ts";
import { addRecord, emptySummary, percentile, Ranking } from "../../src/report/summary.ts";

function record(scans: LogRecord["scans"]): LogRecord {
  return {
    time: new Date("2026-11-25T10:00:00Z"),
    pid: 1,
    verdict: "quarantine",
    conditions: ["virus"],
    sender: "a@example.net",
    recipient: "b@example.org",
    messageId: "<m@example.net>",
    size: 100,
    parts: 3,
    scans,
    milliseconds: 5,
  };
}

Deno.test("addRecord() counts one infected message once, however many scanners found it", () => {
  const summary = emptySummary();
  addRecord(
    summary,
    record([
      { scanner: "clamd", outcome: "infected", detail: joinVirusNames(["Eicar Test (x)"]) },
      { scanner: "myclam", outcome: "infected", detail: joinVirusNames(["Eicar Test (x)"]) },
    ]),
  );
  addRecord(summary, record([{ scanner: "clamd", outcome: "clean", detail: "" }]));
  assert.equal(summary.infectedMessages, 1);
  assert.deepEqual([...summary.viruses], [["Eicar Test (x)", 1]]);
  assert.deepEqual(
    [...summary.virusesByScanner].map(([s, m]) => [s, [...m]]),
    [["clamd", [["Eicar Test (x)", 1]]], ["myclam", [["Eicar Test (x)", 1]]]],
  );
});

Deno.test("addRecord() counts distinct virus names, a name with spaces as one", () => {
  const summary = emptySummary();
  addRecord(
    summary,
    record([{
      scanner: "myscan",
      outcome: "infected",
      detail: joinVirusNames(["myscan: unnamed (exit 1)", "W32/Test.A"]),
    }]),
  );
  assert.deepEqual([...summary.viruses.keys()], ["myscan: unnamed (exit 1)", "W32/Test.A"]);
});

Deno.test("percentile() reads a scan-time histogram to within its 5 % buckets", () => {
  const summary = emptySummary();
  for (let ms = 1; ms <= 1000; ms++) {
    addRecord(summary, {
      ...record([]),
      milliseconds: ms,
      scans: [{ scanner: "clamd", outcome: "clean", detail: "" }],
    });
  }
  const times = summary.scanTimes.get("clamd")!;
  for (const [p, exact] of [[50, 500], [90, 900], [99, 990]] as const) {
    const got = percentile(times, p);
    assert.ok(Math.abs(got - exact) <= exact * 0.06, `p${p} ${got} near ${exact}`);
  }
});

Deno.test("addRecord() summarises why deliveries were deferred", () => {
  const summary = emptySummary();
  addRecord(summary, {
    ...record([]),
    verdict: "defer",
    scans: [{ scanner: "clamd", outcome: "failed", detail: "timeout" }],
  });
  addRecord(summary, { ...record([]), verdict: "defer", parts: 0 });
  assert.deepEqual([...summary.deferReasons.keys()], [
    "clamd failed: timeout",
    "message not read (profile, control file or I/O error)",
  ]);
});

Deno.test("Ranking keeps at most its limit of keys, keeps the frequent ones and says it dropped some", () => {
  const ranking = new Ranking(4);
  for (let i = 0; i < 10; i++) ranking.set("frequent", (ranking.get("frequent") ?? 0) + 1);
  for (let i = 0; i < 100; i++) ranking.set(`rare${i}`, 1);
  assert.ok(ranking.size <= 4, `${ranking.size} keys`);
  assert.equal(ranking.get("frequent"), 10);
  assert.equal(ranking.dropped, 1);
});

Deno.test("Ranking below its limit is exact", () => {
  const ranking = new Ranking(4);
  ranking.set("a", 1).set("b", 2);
  assert.deepEqual([[...ranking], ranking.dropped], [[["a", 1], ["b", 2]], 0]);
});
