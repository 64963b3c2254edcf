import assert from "node:assert/strict";
import {
  formatIncidentRecord,
  formatLogRecord,
  joinVirusNames,
  type LogRecord,
  logSafe,
  logUnsafe,
  parseIncidentRecord,
  parseLogRecord,
  splitVirusNames,
} from "../../src/log/mod.ts";

const RECORD: LogRecord = {
  time: new Date("2026-11-25T10:00:00.123Z"),
  pid: 4242,
  verdict: "quarantine",
  conditions: ["virus", "badfilename"],
  sender: "",
  recipient: "bob@example.org",
  messageId: "<a@b>",
  size: 1234,
  parts: 3,
  scans: [{ scanner: "clamd", outcome: "infected", detail: "Eicar-Test-Signature" }, {
    scanner: "clamscan",
    outcome: "clean",
    detail: "",
  }],
  milliseconds: 12,
};

Deno.test("formatLogRecord() writes one tab-separated line of 11 fields", () => {
  assert.equal(
    formatLogRecord(RECORD),
    "2026-11-25T10:00:00.123Z\t4242\tquarantine\tvirus,badfilename\t-\tbob@example.org\t<a@b>\t1234\t3\t" +
      "clamd:infected=Eicar-Test-Signature,clamscan:clean\t12\n",
  );
});

Deno.test("parseLogRecord() reads back what formatLogRecord() wrote", () => {
  assert.deepEqual(parseLogRecord(formatLogRecord(RECORD)), RECORD);
});

Deno.test("formatLogRecord() escapes tabs, newlines and commas from hostile values", () => {
  const hostile = {
    ...RECORD,
    sender: "evil\t@x\nfake line",
    messageId: "<%41,b>",
    recipient: "-",
  };
  const line = formatLogRecord(hostile);
  assert.equal(line.split("\n").length, 2);
  assert.equal(line.split("\t").length, 11);
  const back = parseLogRecord(line);
  assert.equal(back.sender, "evil\t@x\nfake line");
  assert.equal(back.messageId, "<%41,b>");
  assert.equal(back.recipient, "-");
});

Deno.test("parseLogRecord() refuses a line with the wrong number of fields", () => {
  assert.throws(
    () => parseLogRecord("2026-11-25T10:00:00Z\t1\tpass"),
    /Expected 11 tab-separated fields, found 3/,
  );
});

Deno.test("joinVirusNames(): each name comes back whole through a log line, whatever it holds", () => {
  const names = [
    "Win.Trojan.Agent-1 (exit 1)",
    "a;b,c%3B d",
    "myscan: unnamed (exit 1)",
    "Eicar-Test-Signature",
  ];
  const line = formatLogRecord({
    ...RECORD,
    scans: [{ scanner: "clamd", outcome: "infected", detail: joinVirusNames(names) }],
  });
  const [scan] = parseLogRecord(line).scans;
  assert.deepEqual(splitVirusNames(scan?.detail ?? ""), names);
});

Deno.test("splitVirusNames() of an empty detail is no names", () => {
  assert.deepEqual(splitVirusNames(""), []);
});

Deno.test("logSafe() escapes C1 controls such as U+009B (CSI), reversibly", () => {
  const hostile = "a\u009b2Jb\u0085c";
  assert.equal(logSafe(hostile), "a%9B2Jb%85c");
  assert.equal(logUnsafe(logSafe(hostile)), hostile);
});

Deno.test("formatIncidentRecord() writes C1 controls as \\u escapes, and reads back the same", () => {
  const record = {
    time: "2026-11-25T08:00:00.000Z",
    pid: 1,
    action: "quarantine",
    conditions: ["badsubject"],
    sender: "a@example.org",
    recipient: "b@example.org",
    messageId: "<x@example.org>",
    subject: "ILOVEYOU\u009b2J",
    size: 1,
    matches: [],
    parts: [],
    viruses: [],
    scanners: [],
    header: "",
    reactions: [],
  };
  const line = formatIncidentRecord(record);
  assert.doesNotMatch(line, /[\u0080-\u009f]/);
  assert.match(line, /ILOVEYOU\\u009b2J/);
  assert.equal(parseIncidentRecord(line).subject, record.subject);
});
