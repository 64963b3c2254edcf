import { closeSync, mkdirSync, mkdtempSync, openSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatLogRecord } from "../src/log/mod.ts";

/** A year of a busy host: log2html and virulator over two million lines, time and peak RSS. */
export async function benchReports(binary: string, lines = 2_000_000): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), "qmvc-bench-reports-"));
  mkdirSync(join(dir, "log"));
  const fd = openSync(join(dir, "log/qmvc.log"), "w");
  const start = Date.parse("2025-01-01T00:00:00Z");
  for (let i = 0; i < lines; i += 20_000) {
    let chunk = "";
    for (let j = i; j < Math.min(lines, i + 20_000); j++) {
      const virus = j % 97 === 0;
      chunk += formatLogRecord({
        time: new Date(start + j * 15_000),
        pid: 1000 + (j % 30000),
        verdict: virus ? "quarantine" : "pass",
        conditions: virus ? ["virus"] : [],
        sender: `sender${j % 5000}@example.net`,
        recipient: `user${j % 800}@example.org`,
        messageId: `<${j}.bench@example.net>`,
        size: 2000 + (j % 50000),
        parts: 1 + (j % 4),
        scans: [{
          scanner: "clamd",
          outcome: virus ? "infected" : "clean",
          detail: virus ? "Eicar-Test" : "",
        }],
        milliseconds: 20,
      });
    }
    writeSync(fd, chunk);
  }
  closeSync(fd);
  const out = [`reports over ${lines.toLocaleString("en")} log lines (a year of a busy host)`];
  for (const args of [["log2html", "--limit", "5000"], ["virulator"]]) {
    const started = performance.now();
    const run = await new Deno.Command("/usr/bin/time", {
      args: ["-f", "%M", binary, ...args, "--out", join(dir, `${args[0]!}.html`)],
      env: { QMVC_HOME: dir },
      stdout: "null",
      stderr: "piped",
    }).output();
    const seconds = (performance.now() - started) / 1000;
    const rss = Number(new TextDecoder().decode(run.stderr).trim().split("\n").at(-1)) / 1024;
    out.push(
      `${args[0]!.padEnd(10)} ${seconds.toFixed(1)} s, ${
        (lines / seconds / 1000).toFixed(0)
      }k lines/s, peak RSS ${rss.toFixed(0)} MiB`,
    );
  }
  return out;
}
