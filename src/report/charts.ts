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

/**
 * Stacked bars, one per label (a day), one segment per series (a verdict). Inline SVG
 * with a viewBox, so it scales and needs no script; every bar has a <title> tooltip.
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
  const width = Math.max(320, bars.length * 24 + 60);
  const height = 220;
  const plot = height - 50;
  const max = Math.max(1, ...bars.map((b) => [...b.values.values()].reduce((a, v) => a + v, 0)));
  const barWidth = Math.max(6, (width - 60) / Math.max(1, bars.length) - 4);
  const columns = bars.map((bar, i) => {
    const x = 50 + i * (barWidth + 4);
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
    const label = html`
      <text x="${(x + barWidth / 2).toFixed(1)}" y="${height - 24}" font-size="9" text-anchor="end"
        transform="rotate(-60 ${(x + barWidth / 2).toFixed(1)} ${height - 24})">${bar.label.slice(
          5,
        )}</text>
    `;
    return bar.href
      ? html`<a href="${bar.href}">${segments}${label}</a>`
      : html`${segments}${label}`;
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

/** Horizontal bars for a ranked list (top senders, viruses). */
export function barList(
  title: string,
  items: readonly (readonly [string, number])[],
  colour = "#3f51b5",
): SafeHtml {
  if (items.length === 0) {
    return html`
      <figure class="chart">
        <figcaption>${title}</figcaption>
        <p class="none">none</p>
      </figure>
    `;
  }
  const width = 560;
  const row = 18;
  const height = items.length * row + 10;
  const max = Math.max(1, ...items.map(([, n]) => n));
  const rows = items.map(([label, n], i) => {
    const w = (n / max) * 300;
    const y = 5 + i * row;
    const shown = label.length > 40 ? `${label.slice(0, 39)}...` : label;
    return html`
      <text x="245" y="${y + 12}" font-size="11" text-anchor="end">${shown}</text>
      <rect x="250" y="${y + 2}" width="${w.toFixed(1)}" height="${row - 5}" fill="${colour}">
        <title>${label}: ${n}</title>
      </rect>
      <text x="${(255 + w).toFixed(1)}" y="${y + 12}" font-size="11">${n}</text>
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

function legend(series: readonly string[]): SafeHtml {
  return html`<p class="legend">${
    series.map((s) =>
      html`<span><i style="background:${VERDICT_COLOURS[s] ?? "#607d8b"}"></i>${s}</span>`
    )
  }</p>`;
}
