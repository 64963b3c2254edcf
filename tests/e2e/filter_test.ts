import assert from "node:assert/strict";
import { chmodSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseLogRecord } from "../../src/log/mod.ts";
import {
  BINARY,
  deliver,
  deliverToSite,
  fixture,
  listMaildir,
  makeSite,
  readLogLines,
  writeControl,
} from "../_helpers/qmail_local.ts";

Deno.test("|qmvc -n: a clean message exits 0 and logs one pass line", async () => {
  const site = makeSite();
  const result = await deliverToSite(site, fixture("clean_plain.eml"));
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, "");
  const lines = readLogLines(site.system);
  assert.equal(lines.length, 1);
  const record = parseLogRecord(lines[0]!);
  assert.equal(record.verdict, "pass");
  assert.deepEqual(record.conditions, []);
  assert.equal(record.sender, "alice@example.net");
  assert.equal(record.recipient, "bob@example.org");
  assert.equal(record.messageId, "<20261124091244.4711@mail.example.net>");
  assert.equal(record.size, readFileSync(fixture("clean_plain.eml")).length);
  assert.equal(record.parts, 1);
});

Deno.test("|qmvc -n: a badsubject is quarantined (exit 99) into the profile's Maildir", async () => {
  const site = makeSite();
  const result = await deliverToSite(site, fixture("subject_iloveyou.eml"));
  assert.equal(result.code, 99, result.stderr);
  const stored = listMaildir(join(site.system, "quarantine"));
  assert.equal(stored.length, 1);
  assert.deepEqual(readFileSync(stored[0]!), readFileSync(fixture("subject_iloveyou.eml")));
  const record = parseLogRecord(readLogLines(site.system)[0]!);
  assert.equal(record.verdict, "quarantine");
  assert.deepEqual(record.conditions, ["badsubject"]);
});

Deno.test("|qmvc -n: a subject hidden in an encoded-word is still a badsubject", async () => {
  const site = makeSite();
  writeControl(site.system, "filters", "badmail=trash\n");
  const result = await deliverToSite(site, fixture("subject_iloveyou_encoded.eml"));
  assert.equal(result.code, 99, result.stderr);
  assert.equal(parseLogRecord(readLogLines(site.system)[0]!).verdict, "trash");
  assert.deepEqual(listMaildir(join(site.system, "quarantine")), []);
});

Deno.test("|qmvc -n: badmail=bounce exits 100 with a one-line reason on stdout", async () => {
  const site = makeSite();
  writeControl(site.system, "filters", "badmail=bounce\n");
  const result = await deliverToSite(site, fixture("subject_iloveyou.eml"));
  assert.equal(result.code, 100);
  assert.equal(result.stdout, "Message refused by qmvc: badsubject (#5.7.1)\n");
  assert.ok(!result.stdout.includes("LOVELETTER"), "no message content is echoed");
});

Deno.test("|qmvc -n: subject=n in filters lets the same message pass", async () => {
  const site = makeSite();
  writeControl(site.system, "filters", "subject=n\n");
  const result = await deliverToSite(site, fixture("subject_iloveyou.eml"));
  assert.equal(result.code, 0, result.stderr);
});

Deno.test("|qmvc -x: an unknown option defers (111) with a usage line", async () => {
  const site = makeSite();
  const result = await deliver({
    line: "qmvc -x",
    message: fixture("clean_plain.eml"),
    home: site.home,
    env: { QMVC_HOME: site.system },
  });
  assert.equal(result.code, 111);
  assert.match(result.stderr, /^qmvc: unknown option "-x"; see qmvc --help \(#4\.3\.5\)\n$/);
});

Deno.test("|qmvc -n: a malformed filters file defers (111) naming file, line and fix", async () => {
  const site = makeSite();
  writeControl(site.system, "filters", "subject=y\nbadmail=shred\n");
  const result = await deliverToSite(site, fixture("clean_plain.eml"));
  assert.equal(result.code, 111);
  const file = join(site.system, "control/filters");
  assert.equal(
    result.stderr,
    `qmvc: ${file}:2: Invalid value "shred" for "badmail": use pass, tag, trash, quarantine, forward, bounce (#4.3.5)\n`,
  );
});

Deno.test("|qmvc -n: an unreadable control file defers (111)", async () => {
  const site = makeSite();
  mkdirSync(join(site.system, "control/badsubjects"), { recursive: true });
  const result = await deliverToSite(site, fixture("clean_plain.eml"));
  assert.equal(result.code, 111);
  assert.match(result.stderr, /Unable to read .*control\/badsubjects: not a regular file/);
});

Deno.test("|qmvc -n: a log directory that cannot be written defers (111)", async () => {
  const site = makeSite();
  writeFileSync(join(site.system, "log"), "a file where the log directory should be\n");
  const result = await deliverToSite(site, fixture("clean_plain.eml"));
  assert.equal(result.code, 111);
  assert.match(
    result.stderr,
    /Unable to write log .*qmvc\.log: .*make .*log writable for this user/,
  );
});

Deno.test("|qmvc -n: unreadable standard input defers (111)", async () => {
  const site = makeSite();
  // A directory opens for reading but read(2) fails with EISDIR: the message cannot be read.
  const result = await deliverToSite(site, site.home);
  assert.equal(result.code, 111);
  assert.match(result.stderr, /Unable to read message: EISDIR/);
});

Deno.test("|qmvc -n: a quarantine that cannot be written defers (111) and keeps nothing half-written", async () => {
  const site = makeSite();
  writeFileSync(join(site.system, "quarantine"), "not a directory\n");
  const result = await deliverToSite(site, fixture("subject_iloveyou.eml"));
  assert.equal(result.code, 111);
  assert.match(result.stderr, /Unable to quarantine into /);
  assert.equal(parseLogRecord(readLogLines(site.system)[0]!).verdict, "defer");
});

Deno.test("|qmvc -u: the user profile keeps control, log and quarantine in $HOME/qmvc", async () => {
  const site = makeSite();
  writeControl(join(site.home, "qmvc"), "badsubjects", "minutes of\n");
  const result = await deliver({
    line: "qmvc -u",
    message: fixture("clean_plain.eml"),
    home: site.home,
    env: { QMVC_HOME: site.system },
  });
  assert.equal(result.code, 99, result.stderr);
  assert.equal(listMaildir(join(site.home, "qmvc/quarantine")).length, 1);
  assert.equal(readLogLines(join(site.home, "qmvc")).length, 1);
  assert.equal(readLogLines(site.system).length, 0);
});

Deno.test("|qmvc -c BASEDIR -v-: a virtual-domain account logs the real recipient", async () => {
  const site = makeSite();
  const base = join(site.root, "example.org");
  mkdirSync(base);
  const result = await deliver({
    line: `qmvc -n -c ${base} -v-`,
    message: fixture("clean_plain.eml"),
    home: site.home,
    recipient: "example-info@example.org",
    env: { QMVC_HOME: site.system, USER: "example" },
  });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(parseLogRecord(readLogLines(base)[0]!).recipient, "info@example.org");
});

Deno.test("|qmvc -n: 50 parallel deliveries leave 50 whole, parseable log lines", async () => {
  const site = makeSite();
  const results = await Promise.all(
    Array.from({ length: 50 }, (_, i) =>
      deliver({
        line: "qmvc -n",
        message: fixture(i % 2 ? "clean_plain.eml" : "subject_iloveyou.eml"),
        home: site.home,
        sender: `sender${i}@example.net`,
        env: { QMVC_HOME: site.system },
      })),
  );
  assert.deepEqual(results.map((r) => r.code).sort(), [
    ...Array(25).fill(0),
    ...Array(25).fill(99),
  ]);
  const lines = readLogLines(site.system);
  assert.equal(lines.length, 50);
  const senders = lines.map((l) => parseLogRecord(l).sender).sort();
  assert.deepEqual(senders, Array.from({ length: 50 }, (_, i) => `sender${i}@example.net`).sort());
  assert.equal(listMaildir(join(site.system, "quarantine")).length, 25);
});

Deno.test("qmvc copied alone into an empty directory filters with its embedded defaults", async () => {
  const site = makeSite();
  const bin = join(site.root, "bin");
  mkdirSync(bin);
  copyFileSync(BINARY, join(bin, "qmvc"));
  chmodSync(join(bin, "qmvc"), 0o755);
  const result = await deliver({
    line: "qmvc -u",
    message: fixture("subject_iloveyou.eml"),
    home: site.home,
    binDir: bin,
    env: { QMVC_HOME: undefined },
  });
  assert.equal(result.code, 99, result.stderr);
  assert.deepEqual(parseLogRecord(readLogLines(join(site.home, "qmvc"))[0]!).conditions, [
    "badsubject",
  ]);
});

for (const option of ["-nh", "-nV", "--version", "help"]) {
  Deno.test(`|qmvc ${option} in a dot-qmail file defers (111) instead of delivering unfiltered`, async () => {
    const site = makeSite();
    const result = await deliver({
      line: `qmvc ${option}`,
      message: fixture("subject_iloveyou.eml"),
      home: site.home,
      env: { QMVC_HOME: site.system },
    });
    assert.equal(result.code, 111);
  });
}
