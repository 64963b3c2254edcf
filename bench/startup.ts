import { copyFileSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ms, parallelDeliveries, stats, timeProcess } from "./_measure.ts";
import { BUN_BUILD_FLAGS } from "../scripts/build.ts";

const ROOT = resolve(new URL(".", import.meta.url).pathname, "..");

/** The runtime's own floor, built with dist/qmvc's bun build flags: reads fd 0, writes a line. */
const EMPTY_PROGRAM = `import { readSync, writeSync } from "node:fs";
const buffer = new Uint8Array(65536);
readSync(0, buffer, 0, buffer.length, null);
writeSync(1, "x\\n");
`;

const PROCMAILRC =
  "SHELL=/bin/sh\nDEFAULT=/dev/null\nLOGFILE=/dev/null\n:0\n* ^Subject:.*ILOVEYOU\n/dev/null\n";
const MAILFILTER = "if (/^Subject:.*ILOVEYOU/)\n  exit\nexit\n";

/**
 * Start-up, all from one run and interleaved so that a busy machine slows every row
 * alike: the empty compiled Bun program, qmvc --version, a small clean delivery (no
 * scanner), procmail and maildrop on the same message; the ratio of the delivery to the
 * empty program; CPU per delivery (user + system, /usr/bin/time over a batch); and
 * deliveries per second at 10 in parallel (qmail's default concurrencylocal).
 */
export async function benchStartup(
  installed: string,
  message: string,
  runs = 50,
): Promise<string[]> {
  const home = mkdtempSync(join(tmpdir(), "qmvc-bench-"));
  mkdirSync(join(home, "system"));
  // Both programs are freshly written files. On this VM a binary whose page-cache pages are
  // an hour old starts about 30 % slower than a copy of the same bytes written a minute ago
  // (bench/RESULTS.md, start-up, fifth pass): measured side by side, they start alike.
  const binary = join(home, "qmvc");
  copyFileSync(installed, binary);
  const copied = Date.now();
  writeFileSync(join(home, "procmailrc"), PROCMAILRC, { mode: 0o600 });
  writeFileSync(join(home, "mailfilter"), MAILFILTER, { mode: 0o600 });
  const empty = await buildEmptyProgram(home);
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
  // --version answers only outside a delivery: under qmail's variables it defers (111).
  const shell = { PATH: env.PATH, HOME: home };
  const rows: { name: string; argv: string[]; samples: number[]; env?: Record<string, string> }[] =
    [
      { name: "/bin/true (process floor)", argv: ["/bin/true"], samples: [] },
      { name: "empty compiled Bun program", argv: [empty], samples: [] },
      { name: "qmvc --version", argv: [binary, "--version"], samples: [], env: shell },
      { name: "qmvc -n < small clean message", argv: [binary, "-n"], samples: [] },
    ];
  if (existsSync("/usr/bin/procmail")) {
    rows.push({
      name: "procmail (same message)",
      argv: ["/usr/bin/procmail", "-m", join(home, "procmailrc")],
      samples: [],
    });
  }
  if (existsSync("/usr/bin/maildrop")) {
    rows.push({
      name: "maildrop (same message)",
      argv: ["/usr/bin/maildrop", join(home, "mailfilter")],
      samples: [],
    });
  }
  // The control cache is written only once the copy's change time is 2 s old (its racy
  // window); one round untimed, whose delivery writes it.
  await new Promise((done) => setTimeout(done, Math.max(0, copied + 2_500 - Date.now())));
  for (let i = -1; i < runs; i++) {
    for (const row of rows) {
      const [command, ...args] = row.argv;
      const run = await timeProcess(command!, args, {
        stdinFile: message,
        env: row.env ?? env,
        cwd: home,
      });
      if (row.argv[0] === binary && run.code !== 0) {
        throw new Error(`${row.name} exited ${run.code}`);
      }
      if (i >= 0) row.samples.push(run.ms);
    }
  }
  const median = (name: string): number => stats(rows.find((r) => r.name === name)!.samples).median;
  const line = (name: string, s: ReturnType<typeof stats>): string =>
    `${name.padEnd(34)} median ${ms(s.median).padStart(10)}  p95 ${ms(s.p95).padStart(10)}  min ${
      ms(s.min).padStart(10)
    }  (${s.runs} runs)`;
  const delivery = median("qmvc -n < small clean message");
  const floor = median("empty compiled Bun program");
  // The machine's speed drifts over a run (a shared host): each round's delivery is set
  // against the empty program of the same round, a few milliseconds apart.
  const samplesOf = (name: string): number[] => rows.find((r) => r.name === name)!.samples;
  const emptyRuns = samplesOf("empty compiled Bun program");
  const roundRatios = samplesOf("qmvc -n < small clean message").map((ms, i) => ms / emptyRuns[i]!);
  const cpu = await cpuPerRun(binary, message, env, home);
  const cpuEmpty = await cpuPerRun(empty, message, env, home);
  const perSecond = 200 / await parallelDeliveries(binary, message, 200, { env, cwd: home });
  return [
    "start-up (cold process each run, interleaved)",
    ...rows.map((r) => line(r.name, stats(r.samples))),
    `ratio small delivery / empty Bun program: ${
      stats(roundRatios).median.toFixed(2)
    }x (median of the ${runs} rounds' ratios; ratio of the medians ${
      (delivery / floor).toFixed(2)
    }x)`,
    `CPU (user + system) per small delivery: ${cpu.toFixed(1)} ms (empty Bun program ${
      cpuEmpty.toFixed(1)
    } ms)`,
    `small deliveries per second at concurrency 10: ${perSecond.toFixed(0)}`,
  ];
}

async function buildEmptyProgram(dir: string): Promise<string> {
  const source = join(dir, "empty.ts");
  const output = join(dir, "empty");
  writeFileSync(source, EMPTY_PROGRAM);
  const built = await new Deno.Command(join(ROOT, "node_modules/.bin/bun"), {
    args: ["build", ...BUN_BUILD_FLAGS, "--outfile", output, source],
    stdout: "null",
    stderr: "piped",
  }).output();
  if (built.code !== 0) throw new Error(new TextDecoder().decode(built.stderr));
  return output;
}

/** User + system CPU per run of `command` over a batch of 40, measured by /usr/bin/time. */
async function cpuPerRun(
  command: string,
  message: string,
  env: Record<string, string>,
  cwd: string,
): Promise<number> {
  const batch = 40;
  const out = await new Deno.Command("/usr/bin/time", {
    args: [
      "-f",
      "%U %S",
      "/bin/sh",
      "-c",
      `i=0; while [ $i -lt ${batch} ]; do "$0" ${
        command.endsWith("/empty") ? "" : "-n"
      } < "$1" > /dev/null 2>&1; i=$((i+1)); done`,
      command,
      message,
    ],
    env,
    clearEnv: true,
    cwd,
    stdout: "null",
    stderr: "piped",
  }).output();
  const [user, system] = new TextDecoder().decode(out.stderr).trim().split("\n").at(-1)!
    .split(" ").map(Number);
  return ((user ?? NaN) + (system ?? NaN)) * 1000 / batch;
}
