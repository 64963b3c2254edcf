import { html, type SafeHtml } from "./html.ts";

/** Colours per verdict, shared by every chart and legend. */
export const VERDICT_COLOURS: Readonly<Record<string, string>> = {
  pass: "#4caf50",
  tag: "#8bc34a",
  trash: "#9e9e9e",
  quarantine: "#ff9800",
  forward: "#2196f3",
  bounce: "#e91e63",
  defer: "#795548",
};

/** The widest a chart is drawn; the CSS shrinks it to fit a narrower window. */
const CHART_WIDTH = 1000;

/**
 * Stacked bars, one per label (a day), one segment per series (a verdict). Inline SVG
 * with a viewBox, so it scales and needs no script; every bar has a <title> tooltip.
 * The caller passes every day of the period, empty ones too, so an outage shows as a
 * gap; the chart always fits its width, so the newest day is never off-screen.
 */
export function stackedBarChart(
  title: string,
  bars: readonly {
    readonly label: string;
    readonly href?: string;
    readonly values: ReadonlyMap<string, number>;
  }[],
  series: readonly string[],
): SafeHtml {
  const width = CHART_WIDTH;
  const height = 220;
  const plot = height - 50;
  const left = 50;
  const max = Math.max(1, ...bars.map((b) => [...b.values.values()].reduce((a, v) => a + v, 0)));
  // Wide enough to read, never wider than 40 units: a week is not seven slabs.
  const step = Math.min(40, (width - left - 10) / Math.max(1, bars.length));
  const gap = step > 8 ? 2 : 0;
  const barWidth = Math.max(0.5, step - gap);
  // At most about 45 labels, so they never overlap, the last day always among them.
  const every = Math.max(1, Math.ceil(bars.length / 45));
  const columns = bars.map((bar, i) => {
    const x = left + i * step;
    let y = plot + 10;
    const segments = series.map((s) => {
      const v = bar.values.get(s) ?? 0;
      if (v === 0) return html``;
      const h = (v / max) * plot;
      y -= h;
      return html`
        <rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${barWidth.toFixed(1)}" height="${h
          .toFixed(1)}" fill="${VERDICT_COLOURS[s] ?? "#607d8b"}">
          <title>${bar.label} ${s}: ${v}</title>
        </rect>
      `;
    });
    const total = [...bar.values.values()].reduce((a, v) => a + v, 0);
    // An empty day still gets a hover target: its absence is the information.
    const empty = total === 0
      ? html`
        <rect x="${x.toFixed(1)}" y="10" width="${barWidth.toFixed(
          1,
        )}" height="${plot}" fill="transparent">
          <title>${bar.label}: 0</title>
        </rect>
      `
      : html``;
    const labelled = (bars.length - 1 - i) % every === 0;
    const label = labelled
      ? html`
        <text x="${(x + barWidth / 2).toFixed(1)}" y="${height -
          24}" font-size="9" text-anchor="end"
          transform="rotate(-60 ${(x + barWidth / 2).toFixed(1)} ${height - 24})">${bar.label.slice(
            5,
          )}</text>
      `
      : html``;
    return bar.href && total > 0
      ? html`<a href="${bar.href}">${segments}${label}</a>`
      : html`${empty}${segments}${label}`;
  });
  return html`
    <figure
      class="chart"><figcaption>${title}</figcaption><svg role="img" aria-label="${title}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">
    <line x1="48" y1="${plot + 10}" x2="${width - 5}" y2="${plot + 10}" stroke="#333"/>
    <text x="44" y="16" font-size="10" text-anchor="end">${max}</text><text x="44" y="${plot +
      10}" font-size="10" text-anchor="end">0</text>
    ${columns}</svg>${legend(series)}</figure>
  `;
}

/** A share as pages print it: "12.5 %", "< 0.1 %" for a small one that is not zero. */
export function percentText(n: number, total: number): string {
  if (!total || n === 0) return "0 %";
  const share = (n / total) * 100;
  return share < 0.1 ? "< 0.1 %" : `${share.toFixed(1)} %`;
}

/** Room right of the longest bar for its number: digits of about 7 px at font size 11. */
function numberRoom(max: number): number {
  return 12 + String(max).length * 7;
}

/**
 * Horizontal bars for a ranked list (top senders, viruses), each with its count and,
 * given a total, its share of it.
 */
export function barList(
  title: string,
  items: readonly (readonly [string, number])[],
  colour = "#3f51b5",
  total?: number,
): SafeHtml {
  if (items.length === 0) {
    return html`
      <figure class="chart">
        <figcaption>${title}</figcaption>
        <p class="none">none</p>
      </figure>
    `;
  }
  const row = 18;
  const height = items.length * row + 10;
  const max = Math.max(1, ...items.map(([, n]) => n));
  const shown = (n: number) => total ? `${n} (${percentText(n, total)})` : String(n);
  const width = 250 + 300 + numberRoom(0) + Math.max(...items.map(([, n]) => shown(n).length)) * 7;
  const rows = items.map(([label, n], i) => {
    const w = (n / max) * 300;
    const y = 5 + i * row;
    const short = label.length > 40 ? `${label.slice(0, 39)}...` : label;
    return html`
      <text x="245" y="${y + 12}" font-size="11" text-anchor="end">${short}</text>
      <rect x="250" y="${y + 2}" width="${w.toFixed(1)}" height="${row - 5}" fill="${colour}">
        <title>${label}: ${shown(n)}</title>
      </rect>
      <text x="${(255 + w).toFixed(1)}" y="${y + 12}" font-size="11">${shown(n)}</text>
    `;
  });
  return html`
    <figure class="chart">
      <figcaption>${title}</figcaption>
      <svg role="img" aria-label="${title}" viewBox="0 0 ${width} ${height}" width="${width}"
        height="${height}" xmlns="http://www.w3.org/2000/svg">${rows}</svg>
    </figure>
  `;
}

/**
 * Messages per hour as a grid of shaded cells: one row per label (a weekday, or a day of
 * the month), 24 columns, each cell with its count as a tooltip.
 */
export function heatMap(
  title: string,
  rows: readonly { readonly label: string; readonly counts: readonly number[] }[],
): SafeHtml {
  const cell = rows.length > 10 ? 16 : 24;
  const left = 44;
  const top = 16;
  const width = left + 24 * cell + 5;
  const height = top + rows.length * cell + 5;
  const max = Math.max(1, ...rows.flatMap((r) => r.counts));
  const hours = Array.from(
    { length: 24 },
    (_, h) =>
      html`<text x="${
        left + h * cell + cell / 2
      }" y="11" font-size="9" text-anchor="middle">${h}</text>`,
  );
  const cells = rows.map((row, d) =>
    html`<text x="${left - 4}" y="${
      top + d * cell + cell * 0.7
    }" font-size="10" text-anchor="end">${row.label}</text>${
      Array.from({ length: 24 }, (_, h) => {
        const n = row.counts[h] ?? 0;
        const shade = n === 0 ? "#f2f2f2" : `rgba(63,81,181,${(0.15 + 0.85 * n / max).toFixed(2)})`;
        return html`
          <rect x="${left + h * cell}" y="${top + d * cell}" width="${cell - 2}" height="${cell -
            2}" fill="${shade}">
            <title>${row.label} ${h}:00-${h}:59: ${n}</title>
          </rect>
        `;
      })
    }`
  );
  return html`
    <figure class="chart">
      <figcaption>${title}</figcaption>
      <svg role="img" aria-label="${title}" viewBox="0 0 ${width} ${height}" width="${width}"
        height="${height}" xmlns="http://www.w3.org/2000/svg">${hours}${cells}</svg>
    </figure>
  `;
}

function legend(series: readonly string[]): SafeHtml {
  return html`<p class="legend">${
    series.map((s) =>
      html`<span><i style="background:${VERDICT_COLOURS[s] ?? "#607d8b"}"></i>${s}</span>`
    )
  }</p>`;
}
