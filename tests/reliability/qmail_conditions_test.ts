/**
 * Reliability under qmail's real conditions, through the binary, with the figures
 * printed: several users in one profile under umask 077, the delivery deadline over a
 * program that never answers, SIGTERM in the middle of a delivery, stdin that is closed
 * or empty, and a memory cap (cgroup) that a big delivery would pass. The e2e suite specifies each behaviour; this is the record.
 */
import assert from "node:assert/strict";
import { chmodSync, chownSync, mkdirSync, rmdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseLogRecord } from "../../src/log/mod.ts";
import {
  BINARY,
  deliver,
  fixture,
  isRunning,
  makeSite,
  qmailEnv,
  readLogLines,
  type Site,
  writeControl,
} from "../_helpers/qmail_local.ts";
import { MEMORY_SHAPES } from "../_helpers/memory_shapes.ts";

const held: string[] = [];

Deno.test("users: five Unix users of one group deliver into one system profile under umask 077", async () => {
  const site = makeSite();
  const GROUP = 4243;
  for (const dir of [site.root, site.home]) chmodSync(dir, 0o755);
  chownSync(site.system, 0, GROUP);
  chmodSync(site.system, 0o2770);
  const codes: number[] = [];
  for (const user of [65530, 65531, 65532, 65533, 65534]) {
    const result = await deliver({
      line: "qmvc -n",
      message: fixture(user % 2 ? "subject_iloveyou.eml" : "clean_plain.eml"),
      home: site.home,
      env: { QMVC_HOME: site.system },
      asUser: user,
      asGroup: GROUP,
      prelude: "umask 077",
    });
    codes.push(result.code);
  }
  assert.ok(codes.every((c) => c === 0 || c === 99), codes.join(" "));
  assert.equal(readLogLines(site.system).length, 5);
  held.push(
    `users: 5 users, one profile, umask 077: exits ${codes.join(" ")}, 5 log lines, 0 deferred`,
  );
});

Deno.test("deadline: a body program that never answers (and whose child holds the pipes) ends in 111 within delivery-time", async () => {
  const site = makeSite();
  const script = join(site.root, "never.sh");
  writeFileSync(script, "#!/bin/sh\nsleep 600 &\nsleep 600\n", { mode: 0o755 });
  writeControl(site.system, "filters", "body=y\n");
  writeControl(site.system, "badbodytexts", `|${script}\n`);
  writeControl(site.system, "limits", "delivery-time=3\n");
  const started = performance.now();
  const result = await deliver({
    line: "qmvc -n",
    message: fixture("clean_plain.eml"),
    home: site.home,
    env: { QMVC_HOME: site.system },
  });
  const seconds = (performance.now() - started) / 1000;
  assert.equal(result.code, 111);
  assert.equal(parseLogRecord(readLogLines(site.system)[0]!).verdict, "defer");
  held.push(
    `deadline: delivery-time=3 over a program that never answers: 111 after ${
      seconds.toFixed(1)
    } s`,
  );
});

/** `qmvc -n` started as qmail-local would, `message` written to its standard input. */
async function startFilter(site: Site, message: Uint8Array): Promise<Deno.ChildProcess> {
  const child = new Deno.Command(BINARY, {
    args: ["-n"],
    env: { ...qmailEnv(site.home, "a@example.net", "b@example.org"), QMVC_HOME: site.system },
    clearEnv: true,
    stdin: "piped",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(message);
  await writer.close();
  return child;
}

/** SIGTERM to the filter: how it ended, and how long after the signal. */
async function terminate(
  child: Deno.ChildProcess,
): Promise<{ status: Deno.CommandStatus; ms: number }> {
  const sent = performance.now();
  child.kill("SIGTERM");
  const status = await child.status;
  return { status, ms: performance.now() - sent };
}

Deno.test("SIGTERM in the middle of a delivery: 111, and the program qmvc was waiting for is gone", async () => {
  const site = makeSite();
  const pidFile = join(site.root, "pid");
  const script = join(site.root, "slow.sh");
  writeFileSync(script, `#!/bin/sh\necho $$ > ${pidFile}\nsleep 600\n`, { mode: 0o755 });
  writeControl(site.system, "filters", "body=y\n");
  writeControl(site.system, "badbodytexts", `|${script}\n`);
  const child = await startFilter(site, Deno.readFileSync(fixture("clean_plain.eml")));
  let program = "";
  for (let i = 0; i < 100 && program === ""; i++) {
    await new Promise((r) => setTimeout(r, 50));
    try {
      program = Deno.readTextFileSync(pidFile).trim();
    } catch { /* not started yet */ }
  }
  const { status, ms } = await terminate(child);
  assert.equal(status.code, 111);
  assert.ok(ms < 1000, `${ms.toFixed(0)} ms`);
  await new Promise((r) => setTimeout(r, 100));
  assert.ok(!isRunning(program), "the body program still runs");
  held.push(`SIGTERM: 111 in ${ms.toFixed(0)} ms, the program qmvc waited for killed with it`);
});

Deno.test("SIGTERM while a big HTML body is read for a text rule: 111 within a second", async () => {
  const site = makeSite();
  writeControl(site.system, "filters", "body=y\n");
  writeControl(site.system, "badbodytexts", "*wire*money*now*\n");
  const html = MEMORY_SHAPES.find((s) => s.label === "an HTML body")!;
  // Reading 40 MiB of HTML for the rule takes seconds; the signal comes during it.
  const child = await startFilter(site, html.build(40 * 1024 * 1024));
  await new Promise((r) => setTimeout(r, 600));
  const { status, ms } = await terminate(child);
  assert.equal(status.code, 111);
  assert.ok(ms < 1000, `${ms.toFixed(0)} ms`);
  held.push(`SIGTERM while reading 40 MiB of HTML: 111 in ${ms.toFixed(0)} ms`);
});

Deno.test("stdin: closed or empty is 111, never 0", async () => {
  const site = makeSite();
  const empty = join(site.root, "empty");
  writeFileSync(empty, "");
  const closed = await deliver({
    line: "qmvc -n",
    message: fixture("clean_plain.eml"),
    home: site.home,
    env: { QMVC_HOME: site.system },
    prelude: "exec 0<&-",
  });
  const nothing = await deliver({
    line: "qmvc -n",
    message: empty,
    home: site.home,
    env: { QMVC_HOME: site.system },
  });
  assert.deepEqual([closed.code, nothing.code], [111, 111]);
  held.push("stdin: closed 111, empty 111");
});

Deno.test("qmail conditions: what held", () => {
  // deno-lint-ignore no-console
  console.log(held.map((line) => `qmail conditions ${line}`).join("\n"));
  assert.equal(held.length, 5);
});

/** A cgroup v1 memory controller this test may make groups in (root, as on the CI machine). */
const MEMORY_CGROUPS = "/sys/fs/cgroup/memory";

function canMakeMemoryCgroup(): boolean {
  const probe = join(MEMORY_CGROUPS, `qmvc-probe-${Deno.pid}`);
  try {
    mkdirSync(probe);
    rmdirSync(probe);
    return true;
  } catch {
    return false;
  }
}

Deno.test({
  name:
    "a delivery in a cgroup capped at 60 MiB defers with a log line where the kernel would kill it",
  ignore: !canMakeMemoryCgroup(), // needs a writable cgroup v1 memory controller (root)
  async fn() {
    const group = join(MEMORY_CGROUPS, `qmvc-test-${Deno.pid}`);
    mkdirSync(group);
    try {
      // Without the guard this delivery is killed by the kernel (137) and logs nothing.
      writeFileSync(join(group, "memory.limit_in_bytes"), String(60 * 1024 * 1024));
      const site = makeSite();
      writeControl(site.system, "filters", "body=y\n");
      writeControl(site.system, "badbodytexts", "*wire*money*now*\n");
      const html = MEMORY_SHAPES.find((s) => s.label === "an HTML body")!;
      const message = join(site.root, "big_html.eml");
      writeFileSync(message, html.build(24 * 1024 * 1024));
      const result = await deliver({
        line: "qmvc -n",
        message,
        home: site.home,
        env: { QMVC_HOME: site.system },
        prelude: `echo $$ > ${group}/cgroup.procs`,
      });
      assert.equal(result.code, 111, result.stderr);
      assert.match(
        result.stderr,
        /Memory limit reached: \d+ MiB resident, over 57 MiB \(95 % of \S+memory\.limit_in_bytes 60 MiB\)/,
      );
      assert.equal(parseLogRecord(readLogLines(site.system)[0]!).verdict, "defer");
    } finally {
      rmdirSync(group);
    }
  },
});
