/**
 * The report tools through the binary, on logs with known counts. The HTML is read back
 * with a real DOM (linkedom), never grepped.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseHTML } from "linkedom";
import { BINARY, makeSite } from "../_helpers/qmail_local.ts";
import { generateLog } from "../_helpers/logs.ts";
import { readArchive } from "../../src/report/mod.ts";

// deno-lint-ignore no-explicit-any
type Doc = any;

async function qmvc(env: Record<string, string>, ...args: string[]) {
  const out = await new Deno.Command(BINARY, { args, env, clearEnv: true, stdin: "null" }).output();
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
}

function dom(text: string): Doc {
  return (parseHTML(text) as unknown as { document: Doc }).document;
}

function tile(doc: Doc, label: string): number {
  const stat = [...doc.querySelectorAll(".stat")].find((s: Doc) =>
    s.querySelector("span")?.textContent === label
  );
  return Number(stat?.querySelector("b")?.textContent);
}

Deno.test("qmvc log2html: totals, verdict counts, the chart and one row per delivery", async () => {
  const site = makeSite();
  const { records } = generateLog(site.system, { start: "2026-10-01", days: 10, perDay: 7 });
  const result = await qmvc({ QMVC_HOME: site.system }, "log2html");
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stderr, "", "no progress line when stderr is not a terminal");
  const doc = dom(result.stdout);
  assert.equal(tile(doc, "messages"), 70);
  assert.equal(tile(doc, "quarantine"), records.filter((r) => r.verdict === "quarantine").length);
  assert.equal(tile(doc, "bounce"), records.filter((r) => r.verdict === "bounce").length);
  assert.equal(doc.querySelectorAll("table.log tbody tr").length, 70);
  assert.ok(doc.querySelector('svg[aria-label="Messages per day by verdict"]'));
  assert.equal(doc.querySelectorAll("figure.chart svg a, figure.chart svg text").length > 10, true);
  assert.ok(doc.querySelector("#f-v-quarantine"), "a filter for each verdict present");
  assert.ok(doc.querySelector("#f-c-virus"), "a filter for each condition present");
});

Deno.test("qmvc log2html --limit 20: the newest 20 rows, totals over all", async () => {
  const site = makeSite();
  generateLog(site.system, { start: "2026-10-01", days: 10, perDay: 7 });
  const doc = dom((await qmvc({ QMVC_HOME: site.system }, "log2html", "--limit", "20")).stdout);
  assert.equal(doc.querySelectorAll("table.log tbody tr").length, 20);
  assert.equal(tile(doc, "messages"), 70);
  assert.match(doc.querySelector("table.log tbody tr td").textContent, /^2026-10-10 /);
});

Deno.test("qmvc log2html and virulator: hostile senders and subjects are shown as text, never markup", async () => {
  const site = makeSite();
  generateLog(site.system, { start: "2026-10-01", days: 2, perDay: 5, hostile: true });
  for (const report of ["log2html", "virulator"]) {
    const result = await qmvc({ QMVC_HOME: site.system }, report);
    const doc = dom(result.stdout);
    const scripts = [...doc.querySelectorAll("script")].map((e: Doc) => e.textContent).join("");
    assert.ok(!scripts.includes("alert"), `${report}: only qmvc's own search script`);
    assert.equal(doc.querySelectorAll("img").length, 0, report);
    assert.ok(doc.body.textContent.includes('<script>alert(0)</script>"@evil.example'), report);
  }
});

Deno.test("qmvc virulator: viruses per scanner, incidents by sender and recipient", async () => {
  const site = makeSite();
  const { incidents } = generateLog(site.system, { start: "2026-10-01", days: 3, perDay: 10 });
  const doc = dom((await qmvc({ QMVC_HOME: site.system }, "virulator")).stdout);
  assert.equal(tile(doc, "incidents"), incidents.length);
  const caption = [...doc.querySelectorAll("figcaption")].map((c: Doc) => c.textContent);
  assert.ok(caption.includes("Hits of clamd"));
  const virusBar = doc.querySelector('svg[aria-label="Top viruses (messages)"] title').textContent;
  assert.equal(
    virusBar,
    `Eicar-Test: ${incidents.filter((i) => i.viruses.length).length} (100.0 %)`,
  );
});

Deno.test("qmvc log2html --anonymize: the same address gets the same mask, domains stay", async () => {
  const site = makeSite();
  generateLog(site.system, { start: "2026-10-01", days: 1, perDay: 8 });
  const doc = dom((await qmvc({ QMVC_HOME: site.system }, "log2html", "--anonymize")).stdout);
  const senders = [...doc.querySelectorAll("table.log tbody tr")].map((r: Doc) =>
    r.querySelectorAll("td")[3].textContent
  );
  assert.ok(
    senders.every((s: string) => /^u-[0-9a-f]{10}@example\.net$/.test(s)),
    senders.join(" "),
  );
  assert.equal(new Set(senders).size, 3, "three distinct senders, three masks");
  assert.ok(!doc.body.textContent.includes("sender0@"));
});

Deno.test("qmvc month 2026-10: overview, day pages linked to incidents, and the month archived into a zip", async () => {
  const site = makeSite();
  const { records } = generateLog(site.system, { start: "2026-10-30", days: 3, perDay: 5 });
  const result = await qmvc({ QMVC_HOME: site.system }, "month", "2026-10");
  assert.equal(result.code, 0, result.stderr);
  const reports = join(site.system, "reports/2026-10");
  const index = dom(readFileSync(join(reports, "index.html"), "utf8"));
  assert.equal(tile(index, "messages"), 10);
  assert.deepEqual(
    [...index.querySelectorAll("table.days tbody a")].map((a: Doc) => a.getAttribute("href")),
    [
      "2026-10-30.html",
      "2026-10-31.html",
    ],
  );
  const day = dom(readFileSync(join(reports, "2026-10-30.html"), "utf8"));
  const links = [...day.querySelectorAll("table.log a")].map((a: Doc) => a.getAttribute("href"));
  assert.ok(links.length > 0);
  for (const href of links) assert.ok(day.querySelector(href), `${href} exists on the day page`);

  const zip = join(site.system, "log/archive/qmvc-2026-10.zip");
  const archived = await readArchive(zip);
  assert.equal(archived.records.length, 10);
  const left = readFileSync(join(site.system, "log/qmvc.log"), "utf8").trim().split("\n");
  assert.equal(left.length, records.length - 10);
  assert.ok(left.every((l) => l.startsWith("2026-11-")));
  assert.deepEqual(readdirSync(join(site.system, "log")).sort(), [
    "archive",
    "qmvc.log",
    "qmvc.rep",
  ]);

  const again = await qmvc({ QMVC_HOME: site.system }, "month", "2026-10", "--no-archive");
  assert.equal(again.code, 0);
  assert.equal(
    tile(dom(readFileSync(join(reports, "index.html"), "utf8")), "messages"),
    10,
    "the archive is read back",
  );
});

Deno.test("qmvc month: a crash mid-rotation leaves nothing lost; the next run finishes the job", async () => {
  const site = makeSite();
  generateLog(site.system, { start: "2026-10-31", days: 2, perDay: 4 });
  const log = join(site.system, "log/qmvc.log");
  // The state a crash after step 1 leaves: the log set aside, a new live log started.
  Deno.renameSync(log, `${log}.rotating`);
  writeFileSync(log, readFileSync(`${log}.rotating`, "utf8").split("\n").slice(4).join("\n"));
  const before = readFileSync(`${log}.rotating`, "utf8").trim().split("\n").length;
  const result = await qmvc({ QMVC_HOME: site.system }, "month", "2026-10");
  assert.equal(result.code, 0, result.stderr);
  assert.ok(!existsSync(`${log}.rotating`));
  const archived = await readArchive(join(site.system, "log/archive/qmvc-2026-10.zip"));
  assert.equal(archived.records.length, 4);
  assert.equal(before, 8);
});

Deno.test("qmvc calendar 2026: every day with mail links to a day page that exists", async () => {
  const site = makeSite();
  generateLog(site.system, { start: "2026-03-30", days: 4, perDay: 2 });
  const result = await qmvc({ QMVC_HOME: site.system }, "calendar", "2026");
  assert.equal(result.code, 0, result.stderr);
  const dir = join(site.system, "reports");
  const doc = dom(readFileSync(join(dir, "2026.html"), "utf8"));
  const hrefs = [...doc.querySelectorAll("td.has a")].map((a: Doc) => a.getAttribute("href"));
  assert.deepEqual(hrefs, [
    "2026-03/2026-03-30.html",
    "2026-03/2026-03-31.html",
    "2026-04/2026-04-01.html",
    "2026-04/2026-04-02.html",
  ]);
  for (const href of hrefs) assert.ok(existsSync(join(dir, href)), href);
  assert.equal(doc.querySelectorAll(".cal table").length, 12);
});

Deno.test("qmvc portal: one row per profile, linked to its calendar when it has one", async () => {
  const site = makeSite();
  const a = join(site.root, "example.org");
  const b = join(site.root, "example.net");
  generateLog(a, { start: "2026-11-01", days: 1, perDay: 3 });
  generateLog(b, { start: "2026-11-01", days: 1, perDay: 6 });
  await qmvc({ QMVC_HOME: site.system }, "calendar", "-c", a);
  const out = join(site.root, "portal/index.html");
  const result = await qmvc({ QMVC_HOME: site.system }, "portal", "--out", out, a, b);
  assert.equal(result.code, 0, result.stderr);
  const rows = [...dom(readFileSync(out, "utf8")).querySelectorAll("table.portal tbody tr")].map(
    (r: Doc) => {
      const cells = r.querySelectorAll("td");
      return [
        cells[0].textContent,
        cells[0].querySelector("a")?.getAttribute("href"),
        Number(cells[1].textContent),
      ];
    },
  );
  const year = new Date().getFullYear();
  assert.deepEqual(rows, [["example.org", `../example.org/reports/${year}.html`, 3], [
    "example.net",
    undefined,
    6,
  ]]);
});

Deno.test("qmvc month 2026-13: a wrong month is a usage error (2)", async () => {
  const result = await qmvc({ QMVC_HOME: "/nonexistent" }, "month", "2026-13");
  assert.equal(result.code, 2);
  assert.match(result.stderr, /"2026-13" is not a month; write it as YYYY-MM/);
});
