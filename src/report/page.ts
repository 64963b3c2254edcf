import { html, raw, type SafeHtml } from "./html.ts";

const STYLE = `
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:1.5em auto;max-width:1100px;padding:0 1em;color:#222;background:#fafafa}
h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #ddd}
nav{font-size:.9em;margin-bottom:1em}nav a{margin-right:1em}
table{border-collapse:collapse;width:100%;font-size:.85em;background:#fff}
.wide{max-width:100%;overflow-x:auto}
th,td{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top;overflow-wrap:anywhere}
td.n small,.stat small{display:block;color:#666;font-size:.8em}
svg{max-width:100%;height:auto}
.period{color:#444}.trend{color:#444}tr.nomatch{display:none}
code.qid{font-size:.9em;user-select:all}
th{background:#eee}td.n{text-align:right;font-variant-numeric:tabular-nums}
tr:nth-child(even) td{background:#f7f7f7}
.stats{display:flex;flex-wrap:wrap;gap:1em;margin:1em 0}
.stat{background:#fff;border:1px solid #ddd;border-radius:6px;padding:.6em 1em;min-width:8em}
.stat b{display:block;font-size:1.6em}
figure.chart{margin:1em 0;background:#fff;border:1px solid #ddd;border-radius:6px;padding:.5em;overflow-x:auto}
figcaption{font-weight:600;margin-bottom:.3em}
.legend span{margin-right:1em;font-size:.85em}.legend i{display:inline-block;width:.8em;height:.8em;margin-right:.3em;vertical-align:middle}
.v-quarantine td:first-child{border-left:4px solid #ff9800}.v-bounce td:first-child{border-left:4px solid #e91e63}
.v-defer td:first-child{border-left:4px solid #795548}.v-trash td:first-child{border-left:4px solid #9e9e9e}
.filters{margin:.5em 0}.filters label{margin-right:.8em;cursor:pointer}
.cal{display:grid;grid-template-columns:repeat(auto-fill,minmax(250px,1fr));gap:1em}
.cal table{width:auto}.cal td{width:2em;text-align:right}.cal td.has a{font-weight:700}
.none{color:#888}footer{margin-top:2em;font-size:.8em;color:#888}
@media (max-width:600px){body{margin:.5em auto;padding:0 .4em;font-size:13px}.stat{min-width:5.5em;padding:.4em .6em}.stat b{font-size:1.2em}.stats{gap:.4em}th,td{padding:2px 3px}}
`;

/**
 * A complete, self-contained page: inline CSS, no outside resources; a script, if any,
 * is our own constant text and the page is whole without it.
 */
export function page(
  options: {
    title: string;
    nav?: SafeHtml;
    body: SafeHtml;
    extraStyle?: string;
    /** A small script the page works without (it only adds, e.g. a search box). */
    script?: string;
    generated: Date;
  },
): string {
  return html`
    <!DOCTYPE html>
    <html lang="en">
      <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>${options.title}</title>
        <style>${raw(STYLE + (options.extraStyle ?? ""))}</style>
      </head>
      <body><nav>${options.nav ?? ""}</nav><h1>${options.title}</h1>
    ${options.body}
    <footer>qmvc report, generated ${options.generated.toISOString()}</footer>${options.script
      ? html`<script>${raw(options.script)}</script>`
      : ""}</body>
    </html>
  `.value;
}

/** A small number tile. */
export function stat(label: string, value: number | string, note?: SafeHtml): SafeHtml {
  return html`<div class="stat"><b>${value}</b><span>${label}</span>${note ?? ""}</div>`;
}
