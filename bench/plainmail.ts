import { closeSync, mkdtempSync, openSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * plainmail on one big HTML body (a newsletter's nested layout table, repeated), 5 MB and
 * 50 MB: wall time and peak RSS of the whole process (parse included), with the bound the
 * HTML conversion must keep (2 x size + 80 MiB) printed beside it.
 */
export async function benchPlainmail(binary: string): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), "qmvc-bench-plainmail-"));
  const out = ["plainmail on one HTML body (nested layout tables), whole process"];
  for (const megabytes of [5, 50]) {
    const file = join(dir, `html_${megabytes}mb.eml`);
    writeHtmlMessage(file, megabytes * 1_000_000);
    const started = performance.now();
    const run = await new Deno.Command("/usr/bin/time", {
      args: ["-f", "%M", binary, "plainmail", file],
      stdout: "null",
      stderr: "piped",
    }).output();
    const seconds = (performance.now() - started) / 1000;
    const rss = Number(new TextDecoder().decode(run.stderr).trim().split("\n").at(-1)) / 1024;
    out.push(
      `${String(megabytes).padStart(3)} MB  ${seconds.toFixed(2)} s  peak RSS ${
        rss.toFixed(0)
      } MiB  (2 x size + 80 MiB = ${
        (2 * megabytes * 1e6 / 1048576 + 80).toFixed(0)
      } MiB; exit ${run.code})`,
    );
  }
  return out;
}

function writeHtmlMessage(file: string, size: number): void {
  const fd = openSync(file, "w");
  writeSync(
    fd,
    "From: news@example.com\nSubject: big\nMIME-Version: 1.0\n" +
      "Content-Type: text/html; charset=utf-8\n\n<html><body><table>\n",
  );
  let written = 0;
  for (let i = 0; written < size; i++) {
    const row = `<tr><td><table><tr><td><b>Item ${i}</b> caf&eacute; &amp; <a href=` +
      `"https://shop.example/${i}">link</a></td><td>${
        i * 3
      }&nbsp;EUR</td></tr></table></td></tr>\n`;
    writeSync(fd, row);
    written += row.length;
  }
  writeSync(fd, "</table></body></html>\n");
  closeSync(fd);
}
