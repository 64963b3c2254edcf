import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ms, stats, timeProcess } from "./_measure.ts";

/** Start-up cost of dist/qmvc: --version, and a whole delivery of a small clean message. */
export async function benchStartup(binary: string, message: string, runs = 50): Promise<string[]> {
  const home = mkdtempSync(join(tmpdir(), "qmvc-bench-"));
  mkdirSync(join(home, "system"));
  const env = {
    PATH: "/usr/bin:/bin",
    HOME: home,
    QMVC_HOME: join(home, "system"),
    SENDER: "alice@example.net",
    RECIPIENT: "bob@example.org",
    USER: "bob",
    LOCAL: "bob",
    HOST: "example.org",
  };
  const version: number[] = [];
  const delivery: number[] = [];
  const shell: number[] = [];
  for (let i = 0; i < runs; i++) {
    shell.push((await timeProcess("/bin/true", [])).ms);
    version.push((await timeProcess(binary, ["--version"])).ms);
    const run = await timeProcess(binary, ["-n"], { stdinFile: message, env, cwd: home });
    if (run.code !== 0) throw new Error(`delivery exited ${run.code}`);
    delivery.push(run.ms);
  }
  const row = (name: string, s: ReturnType<typeof stats>): string =>
    `${name.padEnd(34)} median ${ms(s.median).padStart(10)}  p95 ${ms(s.p95).padStart(10)}  min ${
      ms(s.min).padStart(10)
    }  (${s.runs} runs)`;
  return [
    "start-up (cold process each run)",
    row("/bin/true (process floor)", stats(shell)),
    row("qmvc --version", stats(version)),
    row("qmvc -n < small clean message", stats(delivery)),
  ];
}
