/**
 * The report stage: HTML from the logs (log2html, virulator, month, calendar, portal),
 * every value escaped through `html`, charts as inline SVG, no scripts.
 *
 * @example
 * ```ts
 * import { html } from "./mod.ts";
 * if (html`<td>${"<script>"}</td>`.value !== "<td>&lt;script&gt;</td>") throw new Error("not escaped");
 * ```
 * @module
 */
export { escapeHtml, html, raw, SafeHtml } from "./html.ts";
export { runReport } from "./report_commands.ts";
export type { ReportIo } from "./report_args.ts";
export { Anonymizer } from "./anonymizer.ts";
export { addRecord, emptySummary, top } from "./summary.ts";
export type { Summary } from "./summary.ts";
export {
  allArchives,
  archiveMonth,
  eachArchiveLine,
  monthArchives,
  readArchive,
} from "./archive.ts";
