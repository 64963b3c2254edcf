import {
  type IncidentRecord,
  LOG_VERDICTS,
  type LoggedScan,
  type LogRecord,
  splitVirusNames,
} from "../log/mod.ts";
import type { Anonymizer } from "./anonymizer.ts";
import { barList, stackedBarChart } from "./charts.ts";
import { html, type SafeHtml } from "./html.ts";
import { page, stat } from "./page.ts";
import { dayOf, type IncidentSummary, type Summary, top } from "./summary.ts";

/** Every verdict a log line can carry, in the order pages show them. */
export const VERDICTS = LOG_VERDICTS;
const CLASS_SAFE = /^[a-z]+$/;

function summaryTiles(s: Summary): SafeHtml {
  return html`<div class="stats">${stat("messages", s.total)}${
    VERDICTS.map((v) => stat(v, s.byVerdict.get(v) ?? 0))
  }${stat("MB", (s.bytes / 1024 / 1024).toFixed(1))}</div>`;
}

function dayBars(s: Summary, href?: (day: string) => string) {
  return [...s.byDay.keys()].sort().map((day) => ({
    label: day,
    values: s.byDay.get(day)!,
    ...(href ? { href: href(day) } : {}),
  }));
}

function scannerTable(s: Summary): SafeHtml {
  if (s.byScanner.size === 0) return html`<p class="none">No scanner ran.</p>`;
  const outcomes = ["clean", "infected", "encrypted", "unchecked", "failed", "skipped"];
  return html`
    <table class="scanners">
      <thead>
        <tr><th>scanner</th>${outcomes.map((o) => html`<th>${o}</th>`)}</tr>
      </thead>
      <tbody>${[...s.byScanner.entries()].sort().map(([name, counts]) =>
        html`<tr><td>${name}</td>${
          outcomes.map((o) => html`<td class="n">${counts.get(o) ?? 0}</td>`)
        }</tr>`
      )}</tbody>
    </table>
  `;
}

function recordRow(r: LogRecord, anon: Anonymizer, link?: string): SafeHtml {
  const classes = [
    `v-${r.verdict}`,
    ...r.conditions.filter((c) => CLASS_SAFE.test(c)).map((c) => `c-${c}`),
  ].join(" ");
  const verdict = link ? html`<a href="${link}">${r.verdict}</a>` : r.verdict;
  return html`
    <tr class="${classes}">
      <td>${r.time.toISOString().replace("T", " ").slice(0, 19)}</td>
      <td>${verdict}</td>
      <td>${r.conditions.join(", ") || "-"}</td>
      <td>${anon.mask(r.sender) || "<>"}</td>
      <td>${anon.mask(r.recipient)}</td>
      <td>${r.messageId}</td>
      <td class="n">${r.size}</td>
      <td class="n">${r.parts}</td>
      <td>${r.scans.map(describeScan).join(", ") || "-"}</td>
      <td class="n">${r.milliseconds}</td>
    </tr>
  `;
}

function recordTable(rows: readonly SafeHtml[]): SafeHtml {
  return html`
    <table class="log">
      <thead>
        <tr>
          <th>time (UTC)</th>
          <th>verdict</th>
          <th>conditions</th>
          <th>sender</th>
          <th>recipient</th>
          <th>message-id</th>
          <th>size</th>
          <th>parts</th>
          <th>scanners</th>
          <th>ms</th>
        </tr>
      </thead>
      <tbody>${rows}</tbody>
    </table>
  `;
}

/** CSS-only filters (radio buttons and :checked), so the page needs no script. */
function filters(
  verdicts: readonly string[],
  conditions: readonly string[],
): { markup: SafeHtml; style: string } {
  const safeConditions = conditions.filter((c) => CLASS_SAFE.test(c));
  const style = [
    ...verdicts.map((v) => `#f-v-${v}:checked~table.log tbody tr:not(.v-${v}){display:none}`),
    ...safeConditions.map((c) => `#f-c-${c}:checked~table.log tbody tr:not(.c-${c}){display:none}`),
    ".filters input{margin-left:.6em}",
  ].join("\n");
  const markup =
    html`<input type="radio" name="f" id="f-all" checked><label for="f-all">all</label>${
      verdicts.map((v) =>
        html`<input type="radio" name="f" id="f-v-${v}"><label for="f-v-${v}">${v}</label>`
      )
    }${
      safeConditions.map((c) =>
        html`<input type="radio" name="f" id="f-c-${c}"><label for="f-c-${c}">${c}</label>`
      )
    }`;
  return { markup, style };
}

/** log2html: the log as a table, filterable by verdict and condition. */
export function log2htmlPage(
  summary: Summary,
  recent: readonly LogRecord[],
  options: { anon: Anonymizer; now: Date; limit: number },
): string {
  const verdicts = VERDICTS.filter((v) => summary.byVerdict.has(v));
  const f = filters(verdicts, [...summary.byCondition.keys()].sort());
  const shown = recent.length < summary.total
    ? html`<p>The newest ${recent.length} of ${summary.total} deliveries.</p>`
    : "";
  const body = html`${summaryTiles(summary)}${
    stackedBarChart("Messages per day by verdict", dayBars(summary), VERDICTS)
  }
<h2>Deliveries</h2>${shown}<div class="filters">${f.markup}
${recordTable([...recent].reverse().map((r) => recordRow(r, options.anon)))}</div>`;
  return page({ title: "qmvc log", body, extraStyle: f.style, generated: options.now });
}

/** virulator: incidents by virus, sender and recipient; hit lists per scanner. */
export function virulatorPage(
  summary: Summary,
  incidents: IncidentSummary,
  latest: readonly IncidentRecord[],
  options: { anon: Anonymizer; now: Date },
): string {
  const mask = (list: [string, number][]) =>
    list.map(([a, n]) => [options.anon.mask(a), n] as const);
  const perScanner = [...summary.virusesByScanner.entries()].sort().map(([scanner, viruses]) =>
    barList(`Hits of ${scanner}`, top(viruses, 20), "#e91e63")
  );
  const hits = [...summary.virusesByScanner.values()].reduce(
    (n, m) => n + [...m.values()].reduce((a, b) => a + b, 0),
    0,
  );
  const body = html`<div class="stats">${stat("incidents", incidents.total)}${
    stat("infected messages", summary.infectedMessages)
  }${stat("virus names", summary.viruses.size)}${stat("scanner hits", hits)}${
    stat(
      "messages scanned",
      [...summary.byScanner.values()].reduce(
        (n, m) => Math.max(n, [...m.values()].reduce((a, b) => a + b, 0)),
        0,
      ),
    )
  }</div>
${barList("Top viruses", top(summary.viruses, 20), "#e91e63")}
<h2>Per scanner</h2>${
    perScanner.length ? perScanner : html`<p class="none">No scanner found a virus.</p>`
  }${scannerTable(summary)}
<h2>Incidents</h2>
${barList("Conditions", top(incidents.byCondition, 12), "#ff9800")}
${barList("Loader types of bad parts", top(incidents.byLoaderType, 12), "#9c27b0")}
${barList("Top senders", mask(top(incidents.bySender, 20)))}
${barList("Top recipients", mask(top(incidents.byRecipient, 20)))}
<h2>Latest incidents</h2>${incidentTable(latest, options.anon)}`;
  return page({ title: "qmvc virulator", body, generated: options.now });
}

export function incidentTable(
  list: readonly IncidentRecord[],
  anon: Anonymizer,
  idBase = "",
): SafeHtml {
  if (list.length === 0) return html`<p class="none">none</p>`;
  return html`
    <table class="incidents">
      <thead>
        <tr>
          <th>time (UTC)</th>
          <th>action</th>
          <th>conditions</th>
          <th>sender</th>
          <th>recipient</th>
          <th>subject</th>
          <th>evidence</th>
        </tr>
      </thead>
      <tbody>${list.map((i, n) =>
        html`
          <tr id="${idBase ? `${idBase}${n + 1}` : ""}">
            <td>${i.time.replace("T", " ").slice(0, 19)}</td>
            <td>${i.action}</td>
            <td>${i.conditions.join(", ")}</td>
            <td>${anon.mask(i.sender) || "<>"}</td>
            <td>${anon.mask(i.recipient)}</td>
            <td>${i.subject}</td>
            <td>${i.matches.slice(0, 5).map((m) => html`${m.condition}: ${m.evidence}<br>`)}</td>
          </tr>
        `
      )}</tbody>
    </table>
  `;
}

/** The month overview: counts per day and verdict, per scanner, conditions, viruses. */
export function monthPage(
  month: string,
  summary: Summary,
  options: { now: Date; anon: Anonymizer },
): string {
  const days = [...summary.byDay.keys()].sort();
  const nav = html`<a href="../${month.slice(0, 4)}.html">calendar ${month.slice(0, 4)}</a>`;
  const body = html`
    ${summaryTiles(summary)}${stackedBarChart(
      `Messages per day, ${month}`,
      dayBars(summary, (d) => `${d}.html`),
      VERDICTS,
    )}
    <h2>Days</h2><table class="days">
      <thead>
        <tr><th>day</th>${VERDICTS.map((v) => html`<th>${v}</th>`)}<th>total</th></tr>
      </thead>
      <tbody>${days.map((d) => {
        const counts = summary.byDay.get(d)!;
        return html`<tr><td><a href="${d}.html">${d}</a></td>${
          VERDICTS.map((v) => html`<td class="n">${counts.get(v) ?? 0}</td>`)
        }<td class="n">${[...counts.values()].reduce((a, b) => a + b, 0)}</td></tr>`;
      })}</tbody>
    </table>
    <h2>Scanners</h2>${scannerTable(summary)}
    ${barList("Conditions", top(summary.byCondition, 12), "#ff9800")}
    ${barList("Top viruses", top(summary.viruses, 12), "#e91e63")}
    ${barList(
      "Top senders",
      top(summary.senders, 12).map(([a, n]) => [options.anon.mask(a), n] as const),
    )}
    ${barList(
      "Top recipients",
      top(summary.recipients, 12).map(([a, n]) => [options.anon.mask(a), n] as const),
    )}
  `;
  return page({ title: `qmvc ${month}`, nav, body, generated: options.now });
}

/** One day: every delivery, and the incidents with anchors the rows link to. */
export function dayPage(
  day: string,
  records: readonly LogRecord[],
  incidents: readonly IncidentRecord[],
  options: {
    now: Date;
    anon: Anonymizer;
  },
): string {
  const key = (time: string, messageId: string, recipient: string): string =>
    `${time.slice(0, 19)}|${messageId}|${recipient}`;
  const anchors = new Map<string, number>();
  incidents.forEach((i, n) => anchors.set(key(i.time, i.messageId, i.recipient), n + 1));
  const rows = records.map((r) => {
    const n = anchors.get(key(r.time.toISOString(), r.messageId, r.recipient));
    return recordRow(r, options.anon, n ? `#incident-${n}` : undefined);
  });
  const month = day.slice(0, 7);
  const nav = html`<a href="../${day.slice(0, 4)}.html">calendar ${
    day.slice(0, 4)
  }</a><a href="index.html">${month}</a>`;
  const body = html`<h2>Deliveries</h2>${recordTable(rows)}<h2>Incidents</h2>${
    incidentTable(incidents, options.anon, "incident-")
  }`;
  return page({ title: `qmvc ${day}`, nav, body, generated: options.now });
}

/** The year as a calendar; every day with mail links to its page. */
export function calendarPage(
  year: string,
  counts: ReadonlyMap<string, number>,
  options: { now: Date },
): string {
  const months = Array.from({ length: 12 }, (_, m) => {
    const first = new Date(Date.UTC(Number(year), m, 1));
    const length = new Date(Date.UTC(Number(year), m + 1, 0)).getUTCDate();
    const offset = (first.getUTCDay() + 6) % 7;
    const cells: SafeHtml[] = [];
    for (let i = 0; i < offset; i++) cells.push(html`<td></td>`);
    for (let d = 1; d <= length; d++) {
      const day = `${year}-${String(m + 1).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
      const n = counts.get(day);
      cells.push(
        n
          ? html`
            <td
              class="has"><a href="${day.slice(
                0,
                7,
              )}/${day}.html" title="${n} messages">${d}</a></td>
          `
          : html`<td>${d}</td>`,
      );
    }
    const weeks: SafeHtml[] = [];
    for (let i = 0; i < cells.length; i += 7) weeks.push(html`<tr>${cells.slice(i, i + 7)}</tr>`);
    const monthKey = `${year}-${String(m + 1).padStart(2, "0")}`;
    const total = [...counts.entries()].filter(([d]) => d.startsWith(monthKey)).reduce(
      (a, [, n]) => a + n,
      0,
    );
    const title = total
      ? html`<a href="${monthKey}/index.html">${monthKey}</a> (${total})`
      : html`${monthKey}`;
    return html`
      <table>
        <caption>${title}</caption>
        <thead>
          <tr>
            <th>Mo</th>
            <th>Tu</th>
            <th>We</th>
            <th>Th</th>
            <th>Fr</th>
            <th>Sa</th>
            <th>Su</th>
          </tr>
        </thead>
        <tbody>${weeks}</tbody>
      </table>
    `;
  });
  return page({
    title: `qmvc ${year}`,
    body: html`<div class="cal">${months}</div>`,
    generated: options.now,
  });
}

/** The portal: one line per profile (virtual domain), linking to its reports. */
export function portalPage(
  profiles: readonly { name: string; href: string; summary: Summary }[],
  options: { now: Date },
): string {
  const body = html`
    <table class="portal">
      <thead>
        <tr><th>profile</th><th>messages</th>${VERDICTS.map((v) =>
          html`<th>${v}</th>`
        )}<th>infected messages</th><th>last delivery</th></tr>
      </thead>
      <tbody>${profiles.map((p) =>
        html`<tr><td><a href="${p.href}">${p.name}</a></td><td class="n">${p.summary.total}</td>${
          VERDICTS.map((v) => html`<td class="n">${p.summary.byVerdict.get(v) ?? 0}</td>`)
        }<td class="n">${p.summary.infectedMessages}</td><td>${
          p.summary.last?.toISOString().replace("T", " ").slice(0, 19) ?? "-"
        }</td></tr>`
      )}</tbody>
    </table>
  `;
  return page({ title: "qmvc portal", body, generated: options.now });
}

export { dayOf };

/** "clamd:infected=A; B": an infected result's names as the log rule splits them. */
function describeScan(s: LoggedScan): string {
  const detail = s.outcome === "infected" ? splitVirusNames(s.detail).join("; ") : s.detail;
  return `${s.scanner}:${s.outcome}${detail ? `=${detail}` : ""}`;
}
