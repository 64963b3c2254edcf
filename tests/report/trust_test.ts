/**
 * Reports an admin can trust (issue 14): masks that hold, periods that are stated and
 * complete, local time, missing inputs said plainly, files the deliveries can still use.
 */
import assert from "node:assert/strict";
import {
  chownSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { formatLogRecord, type LogRecord } from "../../src/log/mod.ts";
import { makeSite } from "../_helpers/qmail_local.ts";
import { generateLog } from "../_helpers/logs.ts";
import { type Doc, dom, qmvc, tile, unmaskedAddresses } from "../_helpers/reports.ts";

function record(time: string, sender = "a@example.net", verdict: LogRecord["verdict"] = "pass") {
  return formatLogRecord({
    time: new Date(time),
    pid: 1,
    verdict,
    conditions: [],
    sender,
    recipient: "b@example.org",
    messageId: `<${time}@example.net>`,
    size: 100,
    parts: 1,
    scans: [],
    milliseconds: 5,
  });
}

function pagesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".html"))
    .map((f) => join(dir, f));
}

Deno.test("qmvc log2html, virulator and month --anonymize: no address survives, not in Subject, Message-ID or evidence", async () => {
  const site = makeSite();
  generateLog(site.system, { start: "2026-10-01", days: 3, perDay: 10, personal: true });
  const env = { QMVC_HOME: site.system };
  for (const report of ["log2html", "virulator"]) {
    const result = await qmvc(env, report, "--anonymize");
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(unmaskedAddresses(result.stdout), [], report);
    assert.ok(!result.stdout.includes("Alice Smith"), `${report}: the name in the Subject is gone`);
  }
  assert.equal((await qmvc(env, "month", "2026-10", "--no-archive", "--anonymize")).code, 0);
  for (const file of pagesUnder(join(site.system, "reports"))) {
    const text = readFileSync(file, "utf8");
    assert.deepEqual(unmaskedAddresses(text), [], file);
    assert.ok(!text.includes("Alice Smith"), file);
  }
});

Deno.test("qmvc calendar --anonymize: one person has one mask in every month and in every run", async () => {
  const site = makeSite();
  mkdirSync(join(site.system, "log"));
  writeFileSync(
    join(site.system, "log/qmvc.log"),
    record("2026-03-10T10:00:00Z", "alice@example.net") +
      record("2026-07-10T10:00:00Z", "alice@example.net"),
  );
  const env = { QMVC_HOME: site.system };
  const senderIn = (file: string) =>
    dom(readFileSync(join(site.system, "reports", file), "utf8"))
      .querySelector("table.log tbody td:nth-child(4)").textContent;
  assert.equal((await qmvc(env, "calendar", "2026", "--anonymize")).code, 0);
  const march = senderIn("2026-03/2026-03-10.html");
  assert.match(march, /^u-[0-9a-f]{10}@example\.net$/);
  assert.equal(senderIn("2026-07/2026-07-10.html"), march);
  assert.equal((await qmvc(env, "calendar", "2026", "--anonymize")).code, 0);
  assert.equal(senderIn("2026-03/2026-03-10.html"), march, "the same mask in the next run");
});

Deno.test("qmvc log2html: days without mail are on the chart, so an outage shows", async () => {
  const site = makeSite();
  mkdirSync(join(site.system, "log"));
  writeFileSync(
    join(site.system, "log/qmvc.log"),
    record("2026-10-01T10:00:00Z") + record("2026-10-02T10:00:00Z") +
      record("2026-10-06T10:00:00Z"),
  );
  const doc = dom((await qmvc({ QMVC_HOME: site.system }, "log2html")).stdout);
  const titles = [...doc.querySelectorAll('svg[aria-label="Messages per day by verdict"] title')]
    .map((t: Doc) => t.textContent);
  assert.ok(titles.includes("2026-10-04: 0"), titles.join(" | "));
  assert.equal(titles.filter((t: string) => t.endsWith(": 0")).length, 3);
});

Deno.test("qmvc log2html over a year: the chart fits its width, the newest day inside it", async () => {
  const site = makeSite();
  generateLog(site.system, { start: "2025-11-01", days: 365, perDay: 1 });
  const doc = dom((await qmvc({ QMVC_HOME: site.system }, "log2html")).stdout);
  const svg = doc.querySelector('svg[aria-label="Messages per day by verdict"]');
  const width = Number(svg.getAttribute("viewBox").split(" ")[2]);
  assert.ok(width <= 1000, `chart ${width} wide`);
  const last = [...svg.querySelectorAll("rect")].at(-1);
  assert.ok(Number(last.getAttribute("x")) + Number(last.getAttribute("width")) <= width);
  assert.match(last.querySelector("title").textContent, /^2026-10-31 /);
});

Deno.test("qmvc month then log2html, virulator and portal: the archived month is still counted, and each page states its period", async () => {
  const site = makeSite();
  const { records, incidents } = generateLog(site.system, {
    start: "2026-10-30",
    days: 3,
    perDay: 5,
  });
  const env = { QMVC_HOME: site.system };
  assert.equal((await qmvc(env, "month", "2026-10")).code, 0);
  const log = dom((await qmvc(env, "log2html")).stdout);
  assert.equal(tile(log, "messages"), records.length);
  const period = log.querySelector(".period").textContent;
  assert.match(period, /Period: 2026-10-30 to 2026-11-01/);
  assert.match(period, /qmvc-2026-10\.zip/);
  const viruses = dom((await qmvc(env, "virulator")).stdout);
  assert.equal(tile(viruses, "incidents"), incidents.length);
  const out = join(site.root, "portal.html");
  assert.equal((await qmvc(env, "portal", "--out", out, site.system)).code, 0);
  const portal = dom(readFileSync(out, "utf8"));
  assert.equal(Number(portal.querySelector("table.portal tbody td.n").textContent), 15);
  assert.match(portal.querySelector(".period").textContent, /2026-10-30 to 2026-11-01/);
  const month = dom(readFileSync(join(site.system, "reports/2026-10/index.html"), "utf8"));
  assert.match(month.querySelector(".period").textContent, /Period: 2026-10-01 to 2026-10-31/);
});

Deno.test("qmvc month never writes through a symlink a group member planted at one of its temporary names", async () => {
  const site = makeSite();
  generateLog(site.system, { start: "2026-10-30", days: 3, perDay: 5 });
  const victim = join(site.root, "dot-qmail-default");
  writeFileSync(victim, "./Maildir/\n");
  for (const name of ["qmvc.log.month.tmp", "qmvc.log.keep.tmp", "qmvc.rep.month.tmp"]) {
    symlinkSync(victim, join(site.system, "log", name));
  }
  const run = await qmvc({ QMVC_HOME: site.system }, "month", "2026-10");
  assert.equal(run.code, 0, run.stderr);
  assert.equal(readFileSync(victim, "utf8"), "./Maildir/\n");
  assert.ok(existsSync(join(site.system, "log/archive/qmvc-2026-10.zip")));
});

Deno.test("qmvc month archives the month even when a marker it did not write says it is done", async () => {
  const site = makeSite();
  const { records } = generateLog(site.system, { start: "2026-10-30", days: 3, perDay: 5 });
  writeFileSync(join(site.system, "log/qmvc.rotating.archived-2026-10"), "/tmp/nothing.zip\n");
  assert.equal((await qmvc({ QMVC_HOME: site.system }, "month", "2026-10")).code, 0);
  assert.ok(existsSync(join(site.system, "log/archive/qmvc-2026-10.zip")));
  const log = dom((await qmvc({ QMVC_HOME: site.system }, "log2html")).stdout);
  assert.equal(tile(log, "messages"), records.length);
});

Deno.test("qmvc month for the current month: refused (exit 1) unless --force", async () => {
  const site = makeSite();
  const now = new Date();
  const current = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}`;
  mkdirSync(join(site.system, "log"));
  writeFileSync(join(site.system, "log/qmvc.log"), record(now.toISOString()));
  const env = { QMVC_HOME: site.system, TZ: "UTC" };
  const refused = await qmvc(env, "month", current);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /is not over yet/);
  assert.equal(readFileSync(join(site.system, "log/qmvc.log"), "utf8").split("\n").length, 2);
  const forced = await qmvc(env, "month", current, "--force");
  assert.equal(forced.code, 0, forced.stderr);
  assert.ok(!existsSync(join(site.system, "log/qmvc.log")), "its one line archived");
});

Deno.test("qmvc month 2026-10 with TZ=Europe/Berlin: 31 October 23:30 UTC is 1 November, and is left for November", async () => {
  const site = makeSite();
  mkdirSync(join(site.system, "log"));
  writeFileSync(
    join(site.system, "log/qmvc.log"),
    record("2026-09-30T22:30:00Z") + record("2026-10-15T10:00:00Z") +
      record("2026-10-31T23:30:00Z"),
  );
  const env = { QMVC_HOME: site.system, TZ: "Europe/Berlin" };
  const result = await qmvc(env, "month", "2026-10", "-v");
  assert.equal(result.code, 0, result.stderr);
  const index = dom(readFileSync(join(site.system, "reports/2026-10/index.html"), "utf8"));
  assert.equal(tile(index, "messages"), 2, "30 Sept 22:30 UTC is 1 October in Berlin");
  assert.deepEqual(
    [...index.querySelectorAll("table.days tbody a")].map((a: Doc) => a.textContent),
    ["2026-10-01", "2026-10-15"],
  );
  assert.match(index.querySelector(".period").textContent, /Europe\/Berlin/);
  const left = readFileSync(join(site.system, "log/qmvc.log"), "utf8");
  assert.match(left, /^2026-10-31T23:30:00/);
  assert.equal(left.trim().split("\n").length, 1);
});

Deno.test("qmvc month, calendar and portal: quiet under cron, the summary line only with -v", async () => {
  const site = makeSite();
  generateLog(site.system, { start: "2026-10-30", days: 1, perDay: 2 });
  const env = { QMVC_HOME: site.system };
  const quiet = await qmvc(env, "month", "2026-10", "--no-archive");
  assert.deepEqual([quiet.code, quiet.stdout, quiet.stderr], [0, "", ""]);
  const calendar = await qmvc(env, "calendar", "2026");
  assert.deepEqual([calendar.code, calendar.stdout, calendar.stderr], [0, "", ""]);
  const portal = await qmvc(env, "portal", "--out", join(site.root, "p.html"), site.system);
  assert.deepEqual([portal.code, portal.stdout, portal.stderr], [0, "", ""]);
  const told = await qmvc(env, "month", "2026-10", "-v");
  assert.match(told.stdout, /^qmvc month: 2 deliveries of 2026-10 in .*\nqmvc month: 3 log lines/);
});

Deno.test("qmvc log2html --log /missing: one clear line, exit 1, no page", async () => {
  const result = await qmvc(
    { QMVC_HOME: "/nonexistent" },
    "log2html",
    "--log",
    "/missing/qmvc.log",
  );
  assert.equal(result.code, 1);
  assert.equal(result.stdout, "");
  assert.equal(result.stderr, 'qmvc log2html: Cannot read "/missing/qmvc.log": no such file\n');
});

Deno.test("qmvc month without a log directory: one clear line, exit 1", async () => {
  const site = makeSite();
  const result = await qmvc({ QMVC_HOME: site.system }, "month", "2026-10");
  assert.equal(result.code, 1);
  assert.match(
    result.stderr,
    /^qmvc month: Cannot read the logs: ".*log" does not exist; [^\n]*\n$/,
  );
});

Deno.test("qmvc portal with a missing profile directory: one clear line, exit 1, no portal", async () => {
  const site = makeSite();
  const out = join(site.root, "portal.html");
  const result = await qmvc(
    { QMVC_HOME: site.system },
    "portal",
    "--out",
    out,
    "/missing/example.org",
  );
  assert.equal(result.code, 1);
  assert.equal(
    result.stderr,
    'qmvc portal: Cannot read profile "/missing/example.org": no such directory\n',
  );
});

Deno.test("qmvc log2html on an existing empty log: the zero page, exit 0", async () => {
  const site = makeSite();
  mkdirSync(join(site.system, "log"));
  writeFileSync(join(site.system, "log/qmvc.log"), "");
  const result = await qmvc({ QMVC_HOME: site.system }, "log2html");
  assert.equal(result.code, 0, result.stderr);
  assert.equal(tile(dom(result.stdout), "messages"), 0);
  assert.match(dom(result.stdout).querySelector(".period").textContent, /no deliveries/);
});

Deno.test("qmvc log2html --limit: deliveries made while archiving (above the kept lines) stay among the newest", async () => {
  const site = makeSite();
  mkdirSync(join(site.system, "log"));
  // What archiving leaves: two deliveries that came meanwhile, then the lines put back.
  writeFileSync(
    join(site.system, "log/qmvc.log"),
    record("2026-11-20T10:00:00Z") + record("2026-11-20T10:01:00Z") +
      record("2026-11-01T10:00:00Z") + record("2026-11-02T10:00:00Z"),
  );
  const doc = dom((await qmvc({ QMVC_HOME: site.system }, "log2html", "--limit", "2")).stdout);
  const times = [...doc.querySelectorAll("table.log tbody tr td:first-child")].map((t: Doc) =>
    t.textContent
  );
  assert.deepEqual(times, ["2026-11-20 10:01:00", "2026-11-20 10:00:00"]);
});

Deno.test({
  name:
    "qmvc month as root: the archive, the pages and a restarted live log belong to the log directory's owner",
  ignore: process.getuid?.() !== 0,
  fn: async () => {
    const site = makeSite();
    generateLog(site.system, { start: "2026-10-31", days: 2, perDay: 2 });
    for (const path of [site.root, site.system, join(site.system, "log")]) {
      chownSync(path, 65534, 65534);
    }
    for (const f of ["qmvc.log", "qmvc.rep"]) chownSync(join(site.system, "log", f), 65534, 65534);
    Deno.chmodSync(join(site.system, "log"), 0o750);
    const result = await qmvc({ QMVC_HOME: site.system }, "month", "2026-10");
    assert.equal(result.code, 0, result.stderr);
    const made = [
      join(site.system, "log/qmvc.log"),
      join(site.system, "log/archive"),
      join(site.system, "log/archive/qmvc-2026-10.zip"),
      join(site.system, "reports"),
      join(site.system, "reports/2026-10"),
      join(site.system, "reports/2026-10/index.html"),
    ];
    for (const path of made) {
      const s = statSync(path);
      assert.deepEqual([path, s.uid, s.gid], [path, 65534, 65534]);
    }
    assert.equal(statSync(join(site.system, "log/qmvc.log")).mode & 0o777, 0o640);
  },
});

Deno.test("qmvc log2html -c DIR: the page names its profile (the domain)", async () => {
  const site = makeSite();
  const domain = join(site.root, "example.org");
  generateLog(domain, { start: "2026-10-01", days: 1, perDay: 2 });
  const doc = dom((await qmvc({ QMVC_HOME: site.system }, "log2html", "-c", domain)).stdout);
  assert.equal(doc.querySelector("h1").textContent, "qmvc log: example.org");
  assert.match(doc.querySelector(".period").textContent, /Profile: example\.org\./);
});

Deno.test("qmvc month: each quarantined incident shows its quarantine ID, for qmvc quarantine show", async () => {
  const site = makeSite();
  const { incidents } = generateLog(site.system, { start: "2026-10-30", days: 1, perDay: 5 });
  await qmvc({ QMVC_HOME: site.system }, "month", "2026-10", "--no-archive");
  const day = dom(readFileSync(join(site.system, "reports/2026-10/2026-10-30.html"), "utf8"));
  const ids = [...day.querySelectorAll("table.incidents code.qid")].map((c: Doc) => c.textContent);
  const expected = incidents.filter((i) => i.quarantined).map((i) =>
    i.quarantined!.split("/").at(-1)
  );
  assert.ok(expected.length > 0);
  assert.deepEqual(ids, expected);
});

Deno.test("qmvc virulator: a virus name with spaces stays whole; two scanners on one message count one infected message", async () => {
  const site = makeSite();
  mkdirSync(join(site.system, "log"));
  writeFileSync(
    join(site.system, "log/qmvc.log"),
    formatLogRecord({
      time: new Date("2026-10-01T10:00:00Z"),
      pid: 1,
      verdict: "quarantine",
      conditions: ["virus"],
      sender: "a@example.net",
      recipient: "b@example.org",
      messageId: "<m@example.net>",
      size: 100,
      parts: 2,
      scans: [
        { scanner: "clamd", outcome: "infected", detail: "Heuristics.Encrypted PDF (exit 1)" },
        { scanner: "clamscan", outcome: "infected", detail: "Heuristics.Encrypted PDF (exit 1)" },
      ],
      milliseconds: 5,
    }),
  );
  const doc = dom((await qmvc({ QMVC_HOME: site.system }, "virulator")).stdout);
  assert.equal(tile(doc, "infected messages"), 1);
  assert.equal(tile(doc, "virus names"), 1);
  assert.equal(tile(doc, "scanner hits"), 2);
  assert.equal(
    doc.querySelector('svg[aria-label="Top viruses (messages)"] title').textContent,
    "Heuristics.Encrypted PDF (exit 1): 1 (100.0 %)",
  );
});

Deno.test("qmvc log2html --anonymize with an unreadable secret: one line naming the secret, exit 1, no page", async () => {
  const site = makeSite();
  generateLog(site.system, { start: "2026-10-01", days: 1, perDay: 2 });
  writeFileSync(join(site.system, "secret"), "not hex\n");
  const result = await qmvc({ QMVC_HOME: site.system }, "log2html", "--anonymize");
  assert.equal(result.code, 1);
  assert.equal(result.stdout, "");
  assert.match(
    result.stderr,
    /^qmvc log2html: Cannot read the profile's secret ".*secret", which keys the --anonymize masks: [^\n]*\n$/,
  );
});

Deno.test("qmvc log2html after a month run that crashed once its zip was made: the archived month counted once", async () => {
  const site = makeSite();
  const { records } = generateLog(site.system, { start: "2026-10-30", days: 3, perDay: 5 });
  const log = join(site.system, "log/qmvc.log");
  const whole = readFileSync(log, "utf8");
  assert.equal((await qmvc({ QMVC_HOME: site.system }, "month", "2026-10")).code, 0);
  // The state of a crash after the zip and its marker, before the set-aside log was split up.
  writeFileSync(`${log}.rotating`, whole);
  writeFileSync(log, "");
  writeFileSync(join(site.system, "log/qmvc.rotating.archived-2026-10"), "zip\n");
  const doc = dom((await qmvc({ QMVC_HOME: site.system }, "log2html")).stdout);
  assert.equal(tile(doc, "messages"), records.length);
});
