import { basename } from "node:path";
import {
  type IncidentRecord,
  LOG_VERDICTS,
  type LoggedScan,
  type LogRecord,
  splitVirusNames,
} from "../log/mod.ts";
import type { Anonymizer } from "./anonymizer.ts";
import { barList, heatMap, percentText, stackedBarChart } from "./charts.ts";
import { html, type SafeHtml } from "./html.ts";
import { daysBetween, daysOfMonth, localStamp, timeZoneName } from "./local_time.ts";
import { page, stat } from "./page.ts";
import {
  dayOf,
  type IncidentSummary,
  percentile,
  type Ranking,
  type Summary,
  top,
} from "./summary.ts";

/** Every verdict a log line can carry, in the order pages show them. */
export const VERDICTS = LOG_VERDICTS;
const CLASS_SAFE = /^[a-z]+$/;

/** What every page says about itself: whose, which period, from which files. */
export interface PageContext {
  readonly anon: Anonymizer;
  readonly now: Date;
  /** The profile (domain) the page is about. */
  readonly profile: string;
  /** The archives read besides the live log. */
  readonly archives?: readonly string[];
}

const percent = percentText;

/** "117.8 MB", "36 KB": a size an admin reads at a glance, never "0.0 MB" for some mail. */
export function sizeText(bytes: number): string {
  if (bytes >= 1024 * 1024 * 1024) return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${Math.ceil(bytes / 1024)} KB`;
}

/** "Period: 2026-10-01 to 2026-10-31 (Europe/Berlin)" and where the numbers come from. */
function periodLine(ctx: PageContext, period: string): SafeHtml {
  const archives = ctx.archives ?? [];
  const from = archives.length
    ? html`
      Read from ${archives.length} month archive(s) (${archives.map((a) => basename(a)).join(
        ", ",
      )}) and the live log.
    `
    : html`
      Read from the live log.
    `;
  return html`
    <p
      class="period">Profile: <b>${ctx
        .profile}</b>. Period: <b>${period}</b> (time zone ${timeZoneName()}).${from}</p>
  `;
}

/** A period as its first and last day, or "no deliveries". */
export function periodOf(s: Summary): string {
  if (!s.first || !s.last) return "no deliveries";
  return `${dayOf(s.first)} to ${dayOf(s.last)}`;
}

/** Messages in the last 7 days of the period against the 7 days before. */
function weekTrend(s: Summary): SafeHtml {
  if (!s.last || !s.first) return html``;
  const days = daysBetween(dayOf(s.first), dayOf(s.last));
  if (days.length < 14) return html``;
  const count = (list: string[]) =>
    list.reduce((n, d) => n + [...(s.byDay.get(d)?.values() ?? [])].reduce((a, b) => a + b, 0), 0);
  const last = count(days.slice(-7));
  const before = count(days.slice(-14, -7));
  return html`
    <p
      class="trend">Last 7 days: ${last} messages, ${trendText(
        last,
        before,
      )} against the 7 days before (${before}).</p>
  `;
}

function trendText(now: number, before: number): string {
  if (now === before) return "no change";
  if (before === 0) return "new traffic";
  const change = ((now - before) / before) * 100;
  return `${change >= 0 ? "up" : "down"} ${Math.abs(change).toFixed(1)} %`;
}

function summaryTiles(s: Summary, previous?: { label: string; summary: Summary }): SafeHtml {
  const trend = (n: number, before: number | undefined) =>
    previous && before !== undefined
      ? html`<small class="trend">${trendText(n, before)} vs ${previous.label} (${before})</small>`
      : html``;
  return html`<div class="stats">${
    stat("messages", s.total, trend(s.total, previous?.summary.total))
  }${
    VERDICTS.map((v) => {
      const n = s.byVerdict.get(v) ?? 0;
      return stat(
        v,
        n,
        html`<small>${percent(n, s.total)}</small>${
          trend(n, previous ? previous.summary.byVerdict.get(v) ?? 0 : undefined)
        }`,
      );
    })
  }${stat("size", sizeText(s.bytes))}</div>`;
}

function dayBars(s: Summary, days: readonly string[], href?: (day: string) => string) {
  return days.map((day) => ({
    label: day,
    values: s.byDay.get(day) ?? new Map<string, number>(),
    ...(href ? { href: href(day) } : {}),
  }));
}

/** Every day from the first delivery to the last, none skipped. */
function allDays(s: Summary): string[] {
  return s.first && s.last ? daysBetween(dayOf(s.first), dayOf(s.last)) : [];
}

function scannerTable(s: Summary): SafeHtml {
  if (s.byScanner.size === 0) return html`<p class="none">No scanner ran.</p>`;
  const outcomes = ["clean", "infected", "encrypted", "unchecked", "failed", "skipped"];
  return html`
    <div class="wide">
      <table class="scanners">
        <thead>
          <tr><th>scanner</th>${outcomes.map((o) => html`<th>${o}</th>`)}<th>hit rate</th>${[
            "p50",
            "p90",
            "p99",
          ].map((p) =>
            html`<th title="delivery time of the messages it scanned">${p} ms</th>`
          )}</tr>
        </thead>
        <tbody>${[...s.byScanner.entries()].sort().map(([name, counts]) => {
          const scanned = [...counts.values()].reduce((a, b) => a + b, 0);
          const times = s.scanTimes.get(name) ?? [];
          return html`<tr><td>${name}</td>${
            outcomes.map((o) => html`<td class="n">${counts.get(o) ?? 0}</td>`)
          }<td class="n">${percent(counts.get("infected") ?? 0, scanned)}</td>${
            [50, 90, 99].map((p) => html`<td class="n">${percentile(times, p)}</td>`)
          }</tr>`;
        })}</tbody>
      </table>
    </div>
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
      <td>${localStamp(r.time)}</td>
      <td>${verdict}</td>
      <td>${r.conditions.join(", ") || "-"}</td>
      <td>${anon.mask(r.sender) || "<>"}</td>
      <td>${anon.mask(r.recipient)}</td>
      <td>${anon.messageId(r.messageId)}</td>
      <td class="n">${r.size}</td>
      <td class="n">${r.parts}</td>
      <td>${r.scans.map(describeScan).join(", ") || "-"}</td>
      <td class="n">${r.milliseconds}</td>
    </tr>
  `;
}

function recordTable(rows: readonly SafeHtml[]): SafeHtml {
  return html`
    <div class="wide">
      <table class="log">
        <thead>
          <tr>
            <th>time</th>
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
    </div>
  `;
}

/** CSS-only filters (radio buttons and :checked), so the page needs no script. */
function filters(
  verdicts: readonly string[],
  conditions: readonly string[],
): { markup: SafeHtml; style: string } {
  const safeConditions = conditions.filter((c) => CLASS_SAFE.test(c));
  const style = [
    ...verdicts.map((v) => `#f-v-${v}:checked~.wide table.log tbody tr:not(.v-${v}){display:none}`),
    ...safeConditions.map((c) =>
      `#f-c-${c}:checked~.wide table.log tbody tr:not(.c-${c}){display:none}`
    ),
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

/**
 * A search box over the table rows (sender, recipient, message-id...). It needs the small
 * script below; without scripts the box stays hidden and the CSS filters still work.
 */
const SEARCH_SCRIPT =
  `(function(){var q=document.getElementById("search");if(!q)return;q.hidden=false;
q.addEventListener("input",function(){var t=q.value.toLowerCase();
document.querySelectorAll("table.log tbody tr,table.incidents tbody tr").forEach(function(r){
r.classList.toggle("nomatch",t!==""&&r.textContent.toLowerCase().indexOf(t)<0)})})})();`;

function searchBox(): SafeHtml {
  return html`
    <p
      class="search"><input type="search" id="search" hidden placeholder="search sender, recipient, message-id, subject" aria-label="search the table"></p>
  `;
}

/** A ranking's title, saying so when its bounded memory made the counts approximate. */
function ranked(title: string, ranking: Ranking): string {
  return ranking.dropped
    ? `${title} (approximate: keys seen at most ${ranking.dropped} times were dropped to bound memory)`
    : title;
}

function domainLists(s: Summary): SafeHtml {
  return html`${
    barList(
      ranked("Top sender domains", s.senderDomains),
      top(s.senderDomains, 12),
      "#009688",
      s.total,
    )
  }${
    barList(
      ranked("Top recipient domains", s.recipientDomains),
      top(s.recipientDomains, 12),
      "#009688",
      s.total,
    )
  }`;
}

function deferList(s: Summary): SafeHtml {
  const deferred = s.byVerdict.get("defer") ?? 0;
  if (deferred === 0) return html``;
  return barList("Why deliveries were deferred", top(s.deferReasons, 10), "#795548", deferred);
}

const WEEKDAYS = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"];

function weekdayRows(s: Summary) {
  return WEEKDAYS.map((label, d) => ({
    label,
    counts: s.byWeekdayHour.slice(d * 24, d * 24 + 24),
  }));
}

/** One row per day of the month, empty days too, so a quiet night or an outage shows. */
function dayHourMap(s: Summary, days: readonly string[]): SafeHtml {
  return heatMap(
    `Messages per day and hour (${timeZoneName()})`,
    days.map((day) => ({ label: day.slice(5), counts: s.byDayHour.get(day) ?? [] })),
  );
}

function trafficCharts(s: Summary, days: readonly string[], href?: (d: string) => string) {
  return html`${stackedBarChart("Messages per day by verdict", dayBars(s, days, href), VERDICTS)}${
    heatMap(`Messages per weekday and hour (${timeZoneName()})`, weekdayRows(s))
  }`;
}

/** log2html: the log as a table, filterable by verdict and condition. */
export function log2htmlPage(
  summary: Summary,
  recent: readonly LogRecord[],
  ctx: PageContext & { limit: number },
): string {
  const verdicts = VERDICTS.filter((v) => summary.byVerdict.has(v));
  const f = filters(verdicts, [...summary.byCondition.keys()].sort());
  const shown = recent.length < summary.total
    ? html`<p>The newest ${recent.length} of ${summary.total} deliveries.</p>`
    : "";
  const body = html`${periodLine(ctx, periodOf(summary))}${summaryTiles(summary)}${
    weekTrend(summary)
  }${trafficCharts(summary, allDays(summary))}${domainLists(summary)}${deferList(summary)}
<h2>Scanners</h2>${scannerTable(summary)}
<h2>Deliveries</h2>${shown}${searchBox()}<div class="filters">${f.markup}
${recordTable(recent.map((r) => recordRow(r, ctx.anon)))}</div>`;
  return page({
    title: `qmvc log: ${ctx.profile}`,
    body,
    extraStyle: f.style,
    script: SEARCH_SCRIPT,
    generated: ctx.now,
  });
}

/** virulator: incidents by virus, sender and recipient; hit lists per scanner. */
export function virulatorPage(
  summary: Summary,
  incidents: IncidentSummary,
  latest: readonly IncidentRecord[],
  ctx: PageContext,
): string {
  const mask = (list: [string, number][]) => list.map(([a, n]) => [ctx.anon.mask(a), n] as const);
  const perScanner = [...summary.virusesByScanner.entries()].sort().map(([scanner, viruses]) =>
    barList(`Hits of ${scanner}`, top(viruses, 20), "#e91e63")
  );
  const hits = [...summary.virusesByScanner.values()].reduce(
    (n, m) => n + [...m.values()].reduce((a, b) => a + b, 0),
    0,
  );
  const body = html`${periodLine(ctx, periodOf(summary))}<div class="stats">${
    stat("incidents", incidents.total)
  }${stat("infected messages", summary.infectedMessages)}${
    stat("virus names", summary.viruses.size)
  }${stat("scanner hits", hits)}${
    stat(
      "messages scanned",
      [...summary.byScanner.values()].reduce(
        (n, m) => Math.max(n, [...m.values()].reduce((a, b) => a + b, 0)),
        0,
      ),
    )
  }</div>
${barList("Top viruses (messages)", top(summary.viruses, 20), "#e91e63", summary.infectedMessages)}
<h2>Per scanner</h2>${
    perScanner.length ? perScanner : html`<p class="none">No scanner found a virus.</p>`
  }${scannerTable(summary)}
<h2>Incidents</h2>
${barList("Conditions", top(incidents.byCondition, 12), "#ff9800", incidents.total)}
${barList("Loader types of bad parts", top(incidents.byLoaderType, 12), "#9c27b0")}
${
    barList(
      ranked("Top senders", incidents.bySender),
      mask(top(incidents.bySender, 20)),
      "#3f51b5",
      incidents.total,
    )
  }
${
    barList(
      ranked("Top recipients", incidents.byRecipient),
      mask(top(incidents.byRecipient, 20)),
      "#3f51b5",
      incidents.total,
    )
  }
<h2>Latest incidents</h2>${searchBox()}${incidentTable(latest, ctx.anon)}`;
  return page({
    title: `qmvc virulator: ${ctx.profile}`,
    body,
    script: SEARCH_SCRIPT,
    generated: ctx.now,
  });
}

/** The Maildir file name of a quarantined copy: the ID `qmvc quarantine show` takes. */
export function quarantineId(incident: IncidentRecord): string | undefined {
  return incident.quarantined ? basename(incident.quarantined) : undefined;
}

export function incidentTable(
  list: readonly IncidentRecord[],
  anon: Anonymizer,
  idBase = "",
): SafeHtml {
  if (list.length === 0) return html`<p class="none">none</p>`;
  return html`
    <div class="wide">
      <table class="incidents">
        <thead>
          <tr>
            <th>time</th>
            <th>action</th>
            <th>conditions</th>
            <th>sender</th>
            <th>recipient</th>
            <th>subject</th>
            <th>evidence</th>
            <th title="qmvc quarantine show ID">quarantine ID</th>
          </tr>
        </thead>
        <tbody>${list.map((i, n) => {
          const id = quarantineId(i);
          return html`
            <tr id="${idBase ? `${idBase}${n + 1}` : ""}">
              <td>${localStamp(new Date(i.time))}</td>
              <td>${i.action}</td>
              <td>${i.conditions.join(", ")}</td>
              <td>${anon.mask(i.sender) || "<>"}</td>
              <td>${anon.mask(i.recipient)}</td>
              <td>${anon.subject(i.subject)}</td>
              <td>${i.matches.slice(0, 5).map((m) =>
                html`${m.condition}: ${anon.text(m.evidence)}<br>`
              )}</td>
              <td>${id
                ? html`<code class="qid" title="qmvc quarantine show ${id}">${id}</code>`
                : "-"}</td>
            </tr>
          `;
        })}</tbody>
      </table>
    </div>
  `;
}

/** The month overview: counts per day and verdict, per scanner, conditions, viruses. */
export function monthPage(
  month: string,
  summary: Summary,
  ctx: PageContext & { previous: { label: string; summary: Summary } | undefined },
): string {
  const days = daysOfMonth(month);
  const nav = html`<a href="../${month.slice(0, 4)}.html">calendar ${month.slice(0, 4)}</a>`;
  const body = html`
    ${periodLine(ctx, `${days[0]} to ${days.at(-1)}`)}${summaryTiles(
      summary,
      ctx.previous,
    )}${trafficCharts(summary, days, (d) => `${d}.html`)}${dayHourMap(summary, days)}
    <h2>Days</h2><div class="wide">
      <table class="days">
        <thead>
          <tr><th>day</th>${VERDICTS.map((v) => html`<th>${v}</th>`)}<th>total</th></tr>
        </thead>
        <tbody>${days.filter((d) => summary.byDay.has(d)).map((d) => {
          const counts = summary.byDay.get(d)!;
          return html`<tr><td><a href="${d}.html">${d}</a></td>${
            VERDICTS.map((v) => html`<td class="n">${counts.get(v) ?? 0}</td>`)
          }<td class="n">${[...counts.values()].reduce((a, b) => a + b, 0)}</td></tr>`;
        })}</tbody>
      </table>
    </div>
    <h2>Scanners</h2>${scannerTable(summary)}
    ${barList("Conditions", top(summary.byCondition, 12), "#ff9800", summary.total)}
    ${barList("Top viruses (messages)", top(summary.viruses, 12), "#e91e63")}
    ${domainLists(summary)}${deferList(summary)}
    ${barList(
      ranked("Top senders", summary.senders),
      top(summary.senders, 12).map(([a, n]) => [ctx.anon.mask(a), n] as const),
      "#3f51b5",
      summary.total,
    )}
    ${barList(
      ranked("Top recipients", summary.recipients),
      top(summary.recipients, 12).map(([a, n]) => [ctx.anon.mask(a), n] as const),
      "#3f51b5",
      summary.total,
    )}
  `;
  return page({ title: `qmvc ${month}: ${ctx.profile}`, nav, body, generated: ctx.now });
}

/** One day: every delivery, and the incidents with anchors the rows link to. */
export function dayPage(
  day: string,
  records: readonly LogRecord[],
  incidents: readonly IncidentRecord[],
  ctx: PageContext,
): string {
  const key = (time: string, messageId: string, recipient: string): string =>
    `${time.slice(0, 19)}|${messageId}|${recipient}`;
  const anchors = new Map<string, number>();
  incidents.forEach((i, n) =>
    anchors.set(key(new Date(i.time).toISOString(), i.messageId, i.recipient), n + 1)
  );
  const rows = records.map((r) => {
    const n = anchors.get(key(r.time.toISOString(), r.messageId, r.recipient));
    return recordRow(r, ctx.anon, n ? `#incident-${n}` : undefined);
  });
  const month = day.slice(0, 7);
  const nav = html`<a href="../${day.slice(0, 4)}.html">calendar ${
    day.slice(0, 4)
  }</a><a href="index.html">${month}</a>`;
  const body = html`${periodLine(ctx, day)}<h2>Deliveries</h2>${searchBox()}${
    recordTable(rows)
  }<h2>Incidents</h2>${incidentTable(incidents, ctx.anon, "incident-")}`;
  return page({
    title: `qmvc ${day}: ${ctx.profile}`,
    nav,
    body,
    script: SEARCH_SCRIPT,
    generated: ctx.now,
  });
}

/** The year as a calendar; every day with mail links to its page. */
export function calendarPage(
  year: string,
  counts: ReadonlyMap<string, number>,
  ctx: PageContext,
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
    title: `qmvc ${year}: ${ctx.profile}`,
    body: html`${
      periodLine(ctx, `${year}-01-01 to ${year}-12-31`)
    }<div class="cal">${months}</div>`,
    generated: ctx.now,
  });
}

/** One profile's row on the portal: its counts and the reports that exist for it. */
export interface PortalProfile {
  readonly name: string;
  readonly summary: Summary;
  readonly links: readonly { readonly label: string; readonly href: string }[];
}

/** The portal: one line per profile (virtual domain), linking to its reports, and totals. */
export function portalPage(
  profiles: readonly PortalProfile[],
  ctx: { now: Date; total: Summary },
): string {
  const row = (s: Summary, links: SafeHtml | string) =>
    html`
      <td class="n">${s.total}</td>${VERDICTS.map((v) =>
        html`<td class="n">${s.byVerdict.get(v) ?? 0}<small> ${
          percent(s.byVerdict.get(v) ?? 0, s.total)
        }</small></td>`
      )}<td
        class="n">${s.infectedMessages}</td><td>${s.last
          ? localStamp(s.last)
          : "-"}</td><td>${links}</td>
    `;
  const body = html`
    <p
      class="period">Period: <b>${periodOf(
        ctx.total,
      )}</b> (every kept log and month archive of each profile; time zone ${timeZoneName()}).</p>
    <div class="wide">
      <table class="portal">
        <thead>
          <tr><th>profile</th><th>messages</th>${VERDICTS.map((v) =>
            html`<th>${v}</th>`
          )}<th>infected messages</th><th>last delivery</th><th>reports</th></tr>
        </thead>
        <tbody>${profiles.map((p) =>
          html`<tr><td>${
            p.links[0] ? html`<a href="${p.links[0].href}">${p.name}</a>` : p.name
          }</td>${
            row(
              p.summary,
              p.links.length
                ? html`${
                  p.links.map((l) =>
                    html`
                      <a href="${l.href}">${l.label}</a>
                    `
                  )
                }`
                : "none yet",
            )
          }</tr>`
        )}</tbody>
        <tfoot>
          <tr><th>total</th>${row(ctx.total, "")}</tr>
        </tfoot>
      </table>
    </div>
    ${barList(
      "Messages per profile",
      profiles.map((p) => [p.name, p.summary.total] as const),
      "#3f51b5",
      ctx.total.total,
    )}
  `;
  return page({ title: "qmvc portal", body, generated: ctx.now });
}

export { dayOf };

/** "clamd:infected=A; B": an infected result's names as the log rule splits them. */
function describeScan(s: LoggedScan): string {
  const detail = s.outcome === "infected" ? splitVirusNames(s.detail).join("; ") : s.detail;
  return `${s.scanner}:${s.outcome}${detail ? `=${detail}` : ""}`;
}
