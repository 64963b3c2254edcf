/**
 * Reliability: faults, concurrency and hostile input against the real binary, run the
 * way qmail-local runs it. Every case ends in exit 111 or a final verdict, with nothing
 * half-written; the figures are printed at the end.
 */
import assert from "node:assert/strict";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { parseLogRecord } from "../../src/log/mod.ts";
import { EICAR, HAVE_CLAMAV, startClamd } from "../_helpers/clamav.ts";
import { attachFixture, base64Lines, multipartMessage } from "../_helpers/eml_builder.ts";
import {
  deliver,
  deliverToSite,
  fixture,
  listMaildir,
  makeSite,
  readLogLines,
  writeControl,
} from "../_helpers/qmail_local.ts";

const NOBODY = 65534;
const figures = { faults: 0, hostileInputs: 0, deliveries: 0, lost: 0, peakRss: 0 };
const GNU_TIME = "/usr/bin/time";
/** No single hostile message may make a delivery use more memory than this. */
const MAX_RSS_BYTES = 1024 * 1024 * 1024;

/** A site the unprivileged user can use: its own home, a system profile it may write. */
function nobodySite() {
  const site = makeSite();
  for (const dir of [site.root, site.home, site.system, join(site.system, "control")]) {
    chmodSync(dir, 0o755);
  }
  Deno.chownSync(site.home, NOBODY, NOBODY);
  Deno.chownSync(site.system, NOBODY, NOBODY);
  return site;
}

function message(
  site: ReturnType<typeof makeSite>,
  name: string,
  text: string | Uint8Array,
): string {
  const path = join(site.root, name);
  writeFileSync(path, text);
  chmodSync(path, 0o644);
  return path;
}

/** Nothing half-written: no file left in quarantine/new that differs from the message, tmp/ may hold at most leftovers. */
function assertQuarantineWhole(site: ReturnType<typeof makeSite>, original: Uint8Array): void {
  for (const path of listMaildir(join(site.system, "quarantine"))) {
    assert.deepEqual(new Uint8Array(readFileSync(path)), original);
  }
}

Deno.test("fault: a log directory the alias user cannot write defers (111), nothing logged, nothing lost", async () => {
  const site = nobodySite();
  mkdirSync(join(site.system, "log"), { mode: 0o755 });
  Deno.chownSync(join(site.system, "log"), 0, 0);
  const result = await deliver({
    line: "qmvc -n",
    message: fixture("clean_plain.eml"),
    home: site.home,
    asUser: NOBODY,
    env: { QMVC_HOME: site.system },
  });
  assert.equal(result.code, 111, result.stderr);
  assert.match(result.stderr, /Unable to write log .*EACCES/);
  figures.faults++;
});

Deno.test("fault: a quarantine the alias user cannot write defers (111)", async () => {
  const site = nobodySite();
  mkdirSync(join(site.system, "quarantine"), { mode: 0o755 });
  Deno.chownSync(join(site.system, "quarantine"), 0, 0);
  const result = await deliver({
    line: "qmvc -n",
    message: fixture("subject_iloveyou.eml"),
    home: site.home,
    asUser: NOBODY,
    env: { QMVC_HOME: site.system },
  });
  assert.equal(result.code, 111, result.stderr);
  assert.match(result.stderr, /Unable to quarantine into .*EACCES/);
  assert.equal(parseLogRecord(readLogLines(site.system)[0]!).verdict, "defer");
  figures.faults++;
});

Deno.test("fault: a full disk while quarantining (file size limit) defers (111) and leaves no partial copy in new/", async () => {
  const site = makeSite();
  mkdirSync(join(site.system, "log"));
  writeFileSync(join(site.system, "log/qmvc.log"), "");
  const big = readFileSync(fixture("subject_iloveyou.eml"), "utf8") + "x".repeat(4000) + "\n";
  const path = message(site, "big.eml", big);
  // ulimit -f counts 1 KiB blocks here: the quarantine copy cannot be written whole.
  const result = await deliver({
    line: "qmvc -n",
    message: path,
    home: site.home,
    env: { QMVC_HOME: site.system },
    prelude: "trap '' XFSZ; ulimit -f 2",
  });
  assert.equal(result.code, 111, result.stderr);
  assert.match(result.stderr, /Unable to quarantine into .*EFBIG/);
  assert.deepEqual(listMaildir(join(site.system, "quarantine")), []);
  figures.faults++;
});

Deno.test("fault: a control file of binary garbage defers (111) with the file named", async () => {
  const site = makeSite();
  writeControl(site.system, "filters", "\u0000\u00ff\u0001garbage=\u0007\n");
  const result = await deliverToSite(site, fixture("clean_plain.eml"));
  assert.equal(result.code, 111);
  assert.match(result.stderr, /control\/filters:1: Unknown key/);
  figures.faults++;
});

Deno.test({
  name: "fault: clamd killed in the middle of a scan defers (111)",
  ignore: !HAVE_CLAMAV,
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const clamd = await startClamd();
    const site = makeSite();
    writeControl(site.system, "scanners", `clamd endpoint=${clamd.socket} timeout=20\n`);
    const attachment = base64Lines(
      Uint8Array.from({ length: 8 * 1024 * 1024 }, (_, i) => (i * 7919) & 0xff),
    );
    const raw =
      `From: a@example.net\nSubject: big\nMIME-Version: 1.0\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n${attachment}\n`;
    const path = message(site, "big.eml", raw);
    const delivery = deliverToSite(site, path);
    await new Promise((r) => setTimeout(r, 150));
    Deno.kill(clamd.pid, "SIGKILL");
    const result = await delivery;
    await clamd.stop();
    assert.equal(result.code, 111, result.stderr);
    assert.match(result.stderr, /Scanner clamd failed/);
    figures.faults++;
  },
});

Deno.test({
  name: "fault: SIGTERM while waiting for a scanner ends in 111, nothing written to quarantine",
  ignore: !HAVE_CLAMAV,
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const clamd = await startClamd();
    const site = makeSite();
    writeControl(site.system, "scanners", `clamd endpoint=${clamd.socket} timeout=60\n`);
    Deno.kill(clamd.pid, "SIGSTOP");
    const path = message(site, "v.eml", `From: a@example.net\nSubject: v\n\n${EICAR}\n`);
    const child = new Deno.Command("/bin/sh", {
      args: ["-c", `exec 0<"${path}"; exec "$0" -n`, join(Deno.cwd(), "dist/qmvc")],
      env: {
        QMVC_HOME: site.system,
        SENDER: "a@example.net",
        RECIPIENT: "b@example.org",
        HOME: site.home,
      },
      clearEnv: true,
      stderr: "piped",
      stdout: "null",
    }).spawn();
    await new Promise((r) => setTimeout(r, 800));
    child.kill("SIGTERM");
    const status = await child.output();
    Deno.kill(clamd.pid, "SIGCONT");
    await clamd.stop();
    assert.equal(status.code, 111, new TextDecoder().decode(status.stderr));
    assert.match(new TextDecoder().decode(status.stderr), /Terminated before a final verdict/);
    assert.deepEqual(listMaildir(join(site.system, "quarantine")), []);
    figures.faults++;
  },
});

Deno.test("concurrency: 200 deliveries across 10 workers, every log line whole, every quarantined copy whole", async () => {
  const site = makeSite();
  writeControl(site.system, "filters", "notify-recipient=n\n");
  const bad = readFileSync(fixture("subject_iloveyou.eml"));
  const jobs = Array.from({ length: 200 }, (_, i) => i);
  const codes: number[] = [];
  await Promise.all(Array.from({ length: 10 }, async (_, worker) => {
    for (let j = worker; j < jobs.length; j += 10) {
      const result = await deliver({
        line: "qmvc -n",
        message: fixture(j % 2 ? "clean_plain.eml" : "subject_iloveyou.eml"),
        home: site.home,
        sender: `s${j}@example.net`,
        env: { QMVC_HOME: site.system },
      });
      codes.push(result.code);
    }
  }));
  figures.deliveries += 200;
  assert.equal(codes.filter((c) => c === 0).length, 100);
  assert.equal(codes.filter((c) => c === 99).length, 100);
  const senders = readLogLines(site.system).map((l) => parseLogRecord(l).sender);
  assert.equal(senders.length, 200);
  assert.equal(new Set(senders).size, 200);
  const stored = listMaildir(join(site.system, "quarantine"));
  assert.equal(stored.length, 100);
  assertQuarantineWhole(site, new Uint8Array(bad));
  const incidents = readFileSync(join(site.system, "log/qmvc.rep"), "utf8").trim().split("\n");
  assert.equal(incidents.length, 100);
  for (const line of incidents) JSON.parse(line);
});

function mimeBomb(depth: number): string {
  let body = "innermost\n";
  for (let i = 0; i < depth; i++) {
    body = `Content-Type: multipart/mixed; boundary=b${i}\n\n--b${i}\n${body}\n--b${i}--\n`;
  }
  return `From: a@example.net\nSubject: bomb\nMIME-Version: 1.0\n${body}`;
}

function manyParts(count: number): string {
  const parts = Array.from(
    { length: count },
    (_, i) => `--p\nContent-Type: text/plain; name="f${i}.txt"\n\nx\n`,
  ).join("");
  return `From: a@example.net\nSubject: parts\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=p\n\n${parts}--p--\n`;
}

const HOSTILE: readonly (readonly [string, () => string | Uint8Array, RegExp])[] = [
  ["MIME nesting 5000 deep", () => mimeBomb(5000), /unchecked/],
  ["10 000 parts", () => manyParts(10_000), /unchecked/],
  ["a zip bomb", () => readFileSync(fixture("attach_zip_bomb.eml")), /unchecked/],
  [
    "a bzip2 bomb (100 MiB of zeros)",
    () => multipartMessage("bomb", "bz2-bomb", [attachFixture("bz2_bomb.bz2")]),
    /unchecked/,
  ],
  [
    "a 7z bomb (100 MiB of zeros)",
    () => multipartMessage("bomb", "7z-bomb", [attachFixture("7z_bomb.7z")]),
    /unchecked/,
  ],
  [
    "a 100 MB single-line message",
    () => `From: a@example.net\nSubject: line\n\n${"A".repeat(100 * 1024 * 1024)}\n`,
    /unchecked/,
  ],
  [
    "a 1 MB header",
    () => `From: a@example.net\nSubject: ${"x".repeat(1024 * 1024)}\n\nbody\n`,
    /unchecked/,
  ],
];

for (const [label, build, conditions] of HOSTILE) {
  Deno.test(`hostile input: ${label} ends in a verdict within bounds, never a crash`, async () => {
    const site = makeSite();
    writeControl(site.system, "filters", "notify-recipient=n\n");
    const path = message(site, "hostile.eml", build());
    const started = performance.now();
    // GNU time reports the peak resident set size of the delivery in KiB.
    const line = existsSync(GNU_TIME) ? `${GNU_TIME} -f 'qmvc-peak-rss %M' qmvc -n` : "qmvc -n";
    const result = await deliver({
      line,
      message: path,
      home: site.home,
      env: { QMVC_HOME: site.system },
    });
    const seconds = (performance.now() - started) / 1000;
    assert.ok([0, 99].includes(result.code), `exit ${result.code}: ${result.stderr}`);
    assert.ok(seconds < 30, `${label} took ${seconds.toFixed(1)} s`);
    const rss = Number(/qmvc-peak-rss (\d+)/.exec(result.stderr)?.[1] ?? 0) * 1024;
    assert.ok(rss < MAX_RSS_BYTES, `${label} peaked at ${(rss / 1024 / 1024).toFixed(0)} MiB`);
    figures.peakRss = Math.max(figures.peakRss, rss);
    const record = parseLogRecord(readLogLines(site.system)[0]!);
    assert.match(record.conditions.join(","), conditions);
    figures.hostileInputs++;
    figures.deliveries++;
  });
}

Deno.test("injection: shell metacharacters in the environment reach no shell", async () => {
  const site = makeSite();
  const canary = join(site.root, "pwned");
  const script = join(site.root, "body.sh");
  writeFileSync(script, "#!/bin/sh\ncat >/dev/null\nexit 0\n", { mode: 0o755 });
  writeControl(site.system, "filters", "body=y\nnotify-recipient=n\n");
  writeControl(site.system, "badbodytexts", `|${script}\n`);
  const evil = `$(touch ${canary})\`touch ${canary}\`;touch ${canary}`;
  const result = await deliver({
    line: "qmvc -n",
    message: fixture("clean_plain.eml"),
    home: site.home,
    sender: `${evil}@example.net`,
    env: { QMVC_HOME: site.system, LOCAL: evil, EXT: evil },
  });
  assert.equal(result.code, 0, result.stderr);
  assert.ok(!existsSync(canary));
  assert.equal(parseLogRecord(readLogLines(site.system)[0]!).sender, `${evil}@example.net`);
  figures.hostileInputs++;
});

Deno.test("injection: a part named ../../ and a NUL never becomes a path", async () => {
  const site = makeSite();
  const raw =
    `From: a@example.net\nSubject: paths\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n` +
    `--b\nContent-Type: text/plain\n\nhi\n--b\nContent-Type: application/octet-stream; name="../../../escaped\u0000.exe"\n\nMZ\n--b--\n`;
  const path = message(site, "paths.eml", raw);
  const result = await deliverToSite(site, path);
  assert.equal(result.code, 99, result.stderr);
  assert.ok(
    !existsSync(join(site.root, "escaped.exe")) && !existsSync(join(site.system, "escaped.exe")),
  );
  assert.deepEqual(readdirSync(join(site.system, "quarantine/new")).length, 1);
  figures.hostileInputs++;
});

Deno.test("reliability figures", () => {
  // deno-lint-ignore no-console
  console.log(
    `reliability: ${figures.faults} faults survived, ${figures.hostileInputs} hostile inputs tried, ` +
      `${figures.deliveries} deliveries held, ${figures.lost} lost, ` +
      `peak RSS of a hostile delivery ${(figures.peakRss / 1024 / 1024).toFixed(0)} MiB`,
  );
  assert.equal(figures.lost, 0);
});
