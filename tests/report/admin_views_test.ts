/** What admins of MailWatch, Rspamd's web UI and pflogsumm expect to see (issue 14). */
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeSite } from "../_helpers/qmail_local.ts";
import { generateLog } from "../_helpers/logs.ts";
import { type Doc, dom, qmvc } from "../_helpers/reports.ts";

function captions(doc: Doc): string[] {
  return [...doc.querySelectorAll("figcaption")].map((c: Doc) => c.textContent);
}

Deno.test("qmvc log2html: a weekday x hour heat map of the traffic", async () => {
  const site = makeSite();
  generateLog(site.system, { start: "2026-10-05", days: 1, perDay: 3 });
  const doc = dom((await qmvc({ QMVC_HOME: site.system, TZ: "UTC" }, "log2html")).stdout);
  const map = doc.querySelector('svg[aria-label^="Messages per weekday and hour"]');
  assert.equal(map.querySelectorAll("rect").length, 168);
  const titles = [...map.querySelectorAll("title")].map((t: Doc) => t.textContent);
  assert.ok(titles.includes("Mo 0:00-0:59: 3"), "5 October 2026 is a Monday");
});

Deno.test("qmvc log2html: each verdict's count with its percentage", async () => {
  const site = makeSite();
  generateLog(site.system, { start: "2026-10-01", days: 2, perDay: 10 });
  const doc = dom((await qmvc({ QMVC_HOME: site.system }, "log2html")).stdout);
  const quarantine = [...doc.querySelectorAll(".stat")].find((s: Doc) =>
    s.querySelector("span").textContent === "quarantine"
  );
  assert.equal(quarantine.querySelector("b").textContent, "4");
  assert.equal(quarantine.querySelector("small").textContent, "20.0 %");
});

Deno.test("qmvc log2html: the last 7 days against the 7 before", async () => {
  const site = makeSite();
  generateLog(site.system, { start: "2026-10-01", days: 14, perDay: 2 });
  const doc = dom((await qmvc({ QMVC_HOME: site.system }, "log2html")).stdout);
  assert.equal(
    doc.querySelector("p.trend").textContent,
    "Last 7 days: 14 messages, no change against the 7 days before (14).",
  );
});

Deno.test("qmvc month: a day x hour heat map with every day of the month", async () => {
  const site = makeSite();
  generateLog(site.system, { start: "2026-10-05", days: 1, perDay: 3 });
  await qmvc({ QMVC_HOME: site.system, TZ: "UTC" }, "month", "2026-10", "--no-archive");
  const doc = dom(readFileSync(join(site.system, "reports/2026-10/index.html"), "utf8"));
  const map = doc.querySelector('svg[aria-label^="Messages per day and hour"]');
  assert.equal(map.querySelectorAll("rect").length, 31 * 24);
  const titles = [...map.querySelectorAll("title")].map((t: Doc) => t.textContent);
  assert.ok(titles.includes("10-05 0:00-0:59: 3"));
  assert.ok(titles.includes("10-06 0:00-0:59: 0"));
});

Deno.test("qmvc month: each count against the previous month", async () => {
  const site = makeSite();
  generateLog(site.system, { start: "2026-09-30", days: 2, perDay: 4 });
  await qmvc({ QMVC_HOME: site.system }, "month", "2026-10", "--no-archive");
  const doc = dom(readFileSync(join(site.system, "reports/2026-10/index.html"), "utf8"));
  const messages = [...doc.querySelectorAll(".stat")].find((s: Doc) =>
    s.querySelector("span").textContent === "messages"
  );
  assert.equal(messages.querySelector("small.trend").textContent, "no change vs 2026-09 (4)");
});

Deno.test("qmvc log2html: top sender and recipient domains", async () => {
  const site = makeSite();
  generateLog(site.system, { start: "2026-10-01", days: 1, perDay: 6 });
  const doc = dom((await qmvc({ QMVC_HOME: site.system }, "log2html")).stdout);
  assert.ok(captions(doc).includes("Top sender domains"));
  const title = doc.querySelector('svg[aria-label="Top recipient domains"] title').textContent;
  assert.equal(title, "example.org: 6 (100.0 %)");
});

Deno.test("qmvc log2html: deferred deliveries summarised by reason", async () => {
  const site = makeSite();
  mkdirSync(join(site.system, "log"));
  const line = (detail: string) =>
    `2026-10-01T10:00:00.000Z\t1\tdefer\t-\ta@example.net\tb@example.org\t<m@x>\t10\t1\tclamd:failed=${detail}\t30000\n`;
  writeFileSync(join(site.system, "log/qmvc.log"), line("timeout") + line("timeout"));
  const doc = dom((await qmvc({ QMVC_HOME: site.system }, "log2html")).stdout);
  const title = doc.querySelector('svg[aria-label="Why deliveries were deferred"] title');
  assert.equal(title.textContent, "clamd failed: timeout: 2 (100.0 %)");
});

Deno.test("qmvc log2html: each scanner's hit rate and scan-time percentiles", async () => {
  const site = makeSite();
  generateLog(site.system, { start: "2026-10-01", days: 1, perDay: 10 });
  const doc = dom((await qmvc({ QMVC_HOME: site.system }, "log2html")).stdout);
  const heads = [...doc.querySelectorAll("table.scanners th")].map((t: Doc) => t.textContent);
  assert.deepEqual(heads.slice(-4), ["hit rate", "p50 ms", "p90 ms", "p99 ms"]);
  const cells = [...doc.querySelectorAll("table.scanners tbody td")].map((t: Doc) => t.textContent);
  assert.deepEqual(cells.slice(-4), ["20.0 %", "10", "10", "10"]);
});

Deno.test("qmvc log2html: a search box over the rows, hidden until the page's script shows it", async () => {
  const site = makeSite();
  generateLog(site.system, { start: "2026-10-01", days: 1, perDay: 2 });
  const doc = dom((await qmvc({ QMVC_HOME: site.system }, "log2html")).stdout);
  const box = doc.querySelector("input#search");
  assert.ok(box.hasAttribute("hidden"), "without scripts the page shows no dead control");
  assert.match(doc.querySelector("script").textContent, /getElementById\("search"\)/);
});

Deno.test("qmvc portal: a totals row, and links to each domain's calendar, log and virulator", async () => {
  const site = makeSite();
  const a = join(site.root, "example.org");
  const b = join(site.root, "example.net");
  generateLog(a, { start: "2026-11-01", days: 1, perDay: 3 });
  generateLog(b, { start: "2026-11-01", days: 1, perDay: 6 });
  const env = { QMVC_HOME: site.system };
  await qmvc(env, "calendar", "-c", a);
  await qmvc(env, "log2html", "-c", a, "--out", join(a, "reports/log.html"));
  await qmvc(env, "virulator", "-c", a, "--out", join(a, "reports/virulator.html"));
  const out = join(site.root, "portal/index.html");
  assert.equal((await qmvc(env, "portal", "--out", out, a, b)).code, 0);
  const doc = dom(readFileSync(out, "utf8"));
  assert.equal(doc.querySelector("table.portal tfoot td.n").textContent, "9");
  const links = [...doc.querySelectorAll("table.portal tbody tr:first-child td:last-child a")].map(
    (l: Doc) => [l.textContent, l.getAttribute("href")],
  );
  const year = new Date().getFullYear();
  assert.deepEqual(links, [
    ["calendar", `../example.org/reports/${year}.html`],
    ["log", "../example.org/reports/log.html"],
    ["virulator", "../example.org/reports/virulator.html"],
  ]);
});
