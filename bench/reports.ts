import { closeSync, cpSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatIncidentRecord, formatLogRecord } from "../src/log/mod.ts";

/** The bound issue 14 sets for every report at two million lines. */
const RSS_BOUND_MIB = 256;

/** A year of a busy host: `lines` deliveries, one in 97 a quarantined virus with its incident. */
export function writeYear(dir: string, lines: number): void {
  mkdirSync(join(dir, "log"), { recursive: true });
  const log = openSync(join(dir, "log/qmvc.log"), "w");
  const rep = openSync(join(dir, "log/qmvc.rep"), "w");
  const start = Date.parse("2025-01-01T00:00:00Z");
  const step = (365 * 86_400_000) / lines;
  for (let i = 0; i < lines; i += 20_000) {
    let chunk = "";
    let incidents = "";
    for (let j = i; j < Math.min(lines, i + 20_000); j++) {
      const virus = j % 97 === 0;
      const time = new Date(start + Math.floor(j * step));
      // Many distinct senders, as a year of spam brings: the rankings must stay bounded.
      const sender = `sender${j % 400_000}@example${j % 5000}.net`;
      const recipient = `user${j % 800}@example.org`;
      const messageId = `<${j}.bench@example.net>`;
      chunk += formatLogRecord({
        time,
        pid: 1000 + (j % 30000),
        verdict: virus ? "quarantine" : j % 301 === 0 ? "defer" : "pass",
        conditions: virus ? ["virus"] : [],
        sender,
        recipient,
        messageId,
        size: 2000 + (j % 50000),
        parts: 1 + (j % 4),
        scans: [{
          scanner: "clamd",
          outcome: virus ? "infected" : j % 301 === 0 ? "failed" : "clean",
          detail: virus ? "Eicar-Test" : j % 301 === 0 ? "timeout" : "",
        }],
        milliseconds: 5 + (j % 200),
      });
      if (virus) {
        incidents += formatIncidentRecord({
          time: time.toISOString(),
          pid: 1000,
          action: "quarantine",
          conditions: ["virus"],
          sender,
          recipient,
          messageId,
          subject: `Invoice ${j} for ${recipient}`,
          size: 2000,
          matches: [{ condition: "virus", part: "2", evidence: "clamd: Eicar-Test" }],
          parts: [],
          viruses: ["Eicar-Test"],
          scanners: [{ scanner: "clamd", result: "infected", detail: "Eicar-Test" }],
          header: `From: ${sender}`,
          reactions: [],
          quarantined: join(dir, "quarantine/new", `${1_735_000_000 + j}.M1P1.bench`),
        });
      }
    }
    writeSync(log, chunk);
    writeSync(rep, incidents);
  }
  closeSync(log);
  closeSync(rep);
}

/** Wall time and peak RSS of one command, from GNU time's -v report. */
async function measure(
  binary: string,
  args: readonly string[],
  env: Record<string, string>,
): Promise<{ seconds: number; rssMiB: number; code: number }> {
  const run = await new Deno.Command("/usr/bin/time", {
    args: ["-v", binary, ...args],
    env,
    stdout: "null",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(run.stderr);
  const rss = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(text)?.[1] ?? NaN);
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(
    text,
  );
  const seconds = wall ? Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]) : NaN;
  const status = /Exit status: (\d+)/.exec(text)?.[1];
  return { seconds, rssMiB: rss / 1024, code: Number(status ?? run.code) };
}

/**
 * Every report over two million lines: time and peak RSS of the whole process, measured
 * by /usr/bin/time -v. `month` archives a month at the end (it changes the log), so it
 * runs on a copy.
 */
export async function benchReports(binary: string, lines = 2_000_000): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), "qmvc-bench-reports-"));
  const profile = join(dir, "example.org");
  writeYear(profile, lines);
  const env = { QMVC_HOME: profile, TZ: "UTC" };
  const out = [
    `reports over ${
      lines.toLocaleString("en")
    } log lines (a year of a busy host), bound ${RSS_BOUND_MIB} MiB`,
  ];
  const runs: [string, string[]][] = [
    ["log2html", ["log2html", "--out", join(dir, "log.html")]],
    ["log2html --anonymize", ["log2html", "--anonymize", "--out", join(dir, "log-anon.html")]],
    ["virulator", ["virulator", "--out", join(dir, "virulator.html")]],
    ["calendar 2025", ["calendar", "2025"]],
    ["month --no-archive", ["month", "2025-06", "--no-archive"]],
    ["portal", ["portal", "--out", join(dir, "portal.html"), profile]],
  ];
  for (const [label, args] of runs) {
    const m = await measure(binary, args, env);
    out.push(
      `${label.padEnd(22)} ${m.seconds.toFixed(1).padStart(5)} s, ${
        (lines / m.seconds / 1000).toFixed(0).padStart(4)
      }k lines/s, peak RSS ${m.rssMiB.toFixed(0).padStart(4)} MiB${
        m.code ? ` (exit ${m.code})` : ""
      }${m.rssMiB > RSS_BOUND_MIB ? "  OVER THE BOUND" : ""}`,
    );
  }
  const copy = join(dir, "copy");
  cpSync(profile, copy, { recursive: true });
  const archive = await measure(binary, ["month", "2025-06"], { QMVC_HOME: copy, TZ: "UTC" });
  out.push(
    `${"month (archiving)".padEnd(22)} ${archive.seconds.toFixed(1).padStart(5)} s, ${
      "".padStart(11)
    } peak RSS ${archive.rssMiB.toFixed(0).padStart(4)} MiB${
      archive.code ? ` (exit ${archive.code})` : ""
    }`,
  );
  rmSync(dir, { recursive: true, force: true });
  return out;
}
