/**
 * The filter under qmail's real conditions: a mistyped profile, many users in one
 * profile under qmail-local's umask 077, empty or closed standard input, control files
 * that are not files, programs that leave children behind, torn log lines, a bounce
 * nobody reads. Each ends in a clear verdict or a clear 111.
 */
import assert from "node:assert/strict";
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { Buffer } from "node:buffer";
import { parseLogRecord } from "../../src/log/mod.ts";
import { MEMORY_SHAPES } from "../_helpers/memory_shapes.ts";
import { BIN_FIXTURES } from "../_helpers/eml_builder.ts";
import { mailWithZip, nestedOverlappingZip } from "../_helpers/zip_shapes.ts";
import {
  deliver,
  deliverToSite,
  fixture,
  isRunning,
  listMaildir,
  makeSite,
  readLogLines,
  writeControl,
} from "../_helpers/qmail_local.ts";

Deno.test("|qmvc -c /typo: a profile that does not exist defers (111) with one line, and is not created", async () => {
  const site = makeSite();
  const typo = join(site.root, "exmaple.org");
  const result = await deliver({
    line: `qmvc -n -c ${typo}`,
    message: fixture("subject_iloveyou.eml"),
    home: site.home,
    env: { QMVC_HOME: site.system },
  });
  assert.equal(result.code, 111);
  assert.equal(
    result.stderr,
    `qmvc: Profile directory ${typo} cannot be used (ENOENT): create it, or correct the dot-qmail line (#4.3.5)\n`,
  );
  assert.equal(existsSync(typo), false);
});

Deno.test("|qmvc -n: a QMVC_HOME that does not exist defers (111) instead of running on defaults", async () => {
  const site = makeSite();
  const result = await deliver({
    line: "qmvc -n",
    message: fixture("clean_plain.eml"),
    home: site.home,
    env: { QMVC_HOME: join(site.root, "no-such-dir") },
  });
  assert.equal(result.code, 111);
  assert.match(
    result.stderr,
    /no-such-dir cannot be used \(ENOENT\): create it, or correct QMVC_HOME/,
  );
});

Deno.test("|qmvc -n: with virus=y and no scanner configured, the log's scanners field says none", async () => {
  const site = makeSite();
  await deliverToSite(site, fixture("clean_plain.eml"));
  const line = readLogLines(site.system)[0]!;
  assert.equal(line.split("\t")[9], "none");
  assert.equal(parseLogRecord(line).noScanner, true);
});

Deno.test("|qmvc -n: an empty standard input defers (111), the next dot-qmail line does not run", async () => {
  const site = makeSite();
  const empty = join(site.root, "empty.eml");
  writeFileSync(empty, "");
  const result = await deliverToSite(site, empty);
  assert.equal(result.code, 111);
  assert.match(result.stderr, /The message on standard input is empty/);
});

Deno.test("|qmvc -n: a closed standard input defers (111)", async () => {
  const site = makeSite();
  const result = await deliver({
    line: "qmvc -n",
    message: fixture("clean_plain.eml"),
    home: site.home,
    env: { QMVC_HOME: site.system },
    prelude: "exec 0<&-",
  });
  assert.equal(result.code, 111);
});

Deno.test("|qmvc -n: a control file that is a FIFO is refused at once (111), not waited on", async () => {
  const site = makeSite();
  const fifo = join(site.system, "control/badsubjects");
  const made = new Deno.Command("mkfifo", { args: [fifo] }).outputSync();
  assert.equal(made.code, 0);
  const result = await deliverToSite(site, fixture("clean_plain.eml"));
  assert.equal(result.code, 111);
  assert.match(result.stderr, /control\/badsubjects: not a regular file/);
});

Deno.test("|qmvc -n: a control file over 1 MiB is refused (111) with its size", async () => {
  const site = makeSite();
  writeControl(site.system, "badsubjects", "#".repeat(1024 * 1024 + 1));
  const result = await deliverToSite(site, fixture("clean_plain.eml"));
  assert.equal(result.code, 111);
  assert.match(result.stderr, /control\/badsubjects: 1048577 bytes, more than 1 MiB/);
});

Deno.test("delivery-time: a body program whose child holds the pipes is killed with its group, and the delivery defers", async () => {
  const site = makeSite();
  const pids = join(site.root, "pids");
  const script = join(site.root, "stuck.sh");
  writeFileSync(script, `#!/bin/sh\nsleep 600 &\necho $! > ${pids}\nsleep 600\n`, { mode: 0o755 });
  writeControl(site.system, "filters", "body=y\n");
  writeControl(site.system, "badbodytexts", `|${script}\n`);
  writeControl(site.system, "limits", "delivery-time=2\n");
  const result = await deliverToSite(site, fixture("clean_plain.eml"));
  assert.equal(result.code, 111);
  assert.match(result.stderr, /Delivery took longer than delivery-time=2 s in limits/);
  const grandchild = readFileSync(pids, "utf8").trim();
  assert.ok(!isRunning(grandchild), "the grandchild sleep is gone");
  assert.equal(parseLogRecord(readLogLines(site.system)[0]!).verdict, "defer");
});

Deno.test("delivery-time: a notification whose qmail-inject never returns defers the delivery", async () => {
  // A small message and no scanner: the evaluation runs without the deadline's timer, which
  // the incident's programs must have again.
  const site = makeSite();
  const script = join(site.root, "stuck-inject.sh");
  writeFileSync(script, "#!/bin/sh\nexec sleep 600\n", { mode: 0o755 });
  writeControl(site.system, "qmailinject", `${script}\n`);
  writeControl(site.system, "limits", "delivery-time=2\n");
  const started = performance.now();
  const result = await deliverToSite(site, fixture("subject_iloveyou.eml"));
  assert.equal(result.code, 111, result.stderr);
  assert.match(result.stderr, /Delivery took longer than delivery-time=2 s in limits/);
  assert.ok(performance.now() - started < 10_000, "ended by the deadline, not the inject timeout");
  assert.equal(parseLogRecord(readLogLines(site.system).at(-1)!).verdict, "defer");
});

Deno.test("delivery-time: a small message whose archives take longer than delivery-time defers", async () => {
  // 16 KB, no scanner, no body rules: a zip whose 60 entries all point at one inner zip of
  // 10,000 entries that all point at one empty member (600,000 members to list, about ten
  // seconds of work, where an admin allows that many), then a 7z.
  await assertDeferredByDeadline(2, slowArchiveMessage(60));
});

Deno.test("delivery-time: a zip walk is cut by the deadline in its middle, not let finish", async () => {
  // The zip alone: 600,000 members where the admin allows them, seconds of entries whose
  // promises settle at once. The walk turns the event loop every 1,000 entries; before it
  // did, the timer never ran, and the delivery passed after the walk, over the limit.
  await assertDeferredByDeadline(1, mailWithZip(nestedOverlappingZip(60, 10_000)));
});

/** Delivered where an admin allows a million archive members, `mail` defers at delivery-time. */
async function assertDeferredByDeadline(seconds: number, mail: string): Promise<void> {
  const site = makeSite();
  writeControl(site.system, "limits", `delivery-time=${seconds}\narchive-members=1000000\n`);
  const message = join(site.root, "slow-archives.eml");
  writeFileSync(message, mail);
  const result = await deliverToSite(site, message);
  assert.equal(result.code, 111, result.stderr);
  assert.match(
    result.stderr,
    new RegExp(`Delivery took longer than delivery-time=${seconds} s in limits`),
  );
  assert.equal(parseLogRecord(readLogLines(site.system).at(-1)!).verdict, "defer");
}

/** Delivered with the notifications off, `mail` is quarantined as unchecked. */
async function assertQuarantinedUnchecked(mail: string): Promise<void> {
  const site = makeSite();
  writeControl(site.system, "filters", "notify-recipient=n\nnotify-admin=n\n");
  const message = join(site.root, "unchecked.eml");
  writeFileSync(message, mail);
  const result = await deliverToSite(site, message);
  assert.equal(result.code, 99, result.stderr);
  const record = parseLogRecord(readLogLines(site.system).at(-1)!);
  assert.deepEqual([record.verdict, record.conditions.includes("unchecked")], ["quarantine", true]);
}

Deno.test("archive-members: entries that all point at one inner zip list it once, and the mail is unchecked", async () => {
  // The same 12 KB under the built-in limits: the inner zip's 10,000 members fill the
  // message's archive-members, and the other nine copies are not opened (seconds before).
  await assertQuarantinedUnchecked(slowArchiveMessage());
});

function slowArchiveMessage(outer = 10): string {
  // A 7z after the zip: its first use turned the event loop, where the deadline could fire,
  // before the zip walk turned it itself.
  const zipMail = mailWithZip(nestedOverlappingZip(outer, 10_000));
  const sevenZip = Buffer.from(readFileSync(join(BIN_FIXTURES, "7z.7z"))).toString("base64")
    .replace(/.{76}/g, "$&\n");
  return zipMail.replace(
    /--B--\n$/,
    '--B\nContent-Type: application/x-7z-compressed; name="s.7z"\n' +
      'Content-Disposition: attachment; filename="s.7z"\nContent-Transfer-Encoding: base64\n\n' +
      `${sevenZip}\n--B--\n`,
  );
}

Deno.test("memory: a delivery that grows past the limit defers with a log line, not a kill", async () => {
  const site = makeSite();
  writeControl(site.system, "filters", "body=y\n");
  writeControl(site.system, "badbodytexts", "*wire*money*now*\n");
  writeControl(site.system, "limits", "memory=64M\n");
  const html = MEMORY_SHAPES.find((s) => s.label === "an HTML body")!;
  const message = join(site.root, "big_html.eml");
  writeFileSync(message, html.build(16 * 1024 * 1024));
  const result = await deliverToSite(site, message);
  assert.equal(result.code, 111);
  assert.match(
    result.stderr,
    /Memory limit reached: \d+ MiB resident, over 64 MiB \(memory in limits\)/,
  );
  assert.equal(parseLogRecord(readLogLines(site.system)[0]!).verdict, "defer");
  // The same message under the built-in limit is decided.
  writeControl(site.system, "limits", "memory=4G\n");
  assert.equal((await deliverToSite(site, message)).code, 0);
});

Deno.test("a torn log line (a full disk cut a write short) never swallows the next record", async () => {
  const site = makeSite();
  mkdirSync(join(site.system, "log"));
  writeFileSync(join(site.system, "log/qmvc.log"), "2026-11-25T08:00:00.000Z\t123\tpa");
  assert.equal((await deliverToSite(site, fixture("clean_plain.eml"))).code, 0);
  const lines = readLogLines(site.system);
  assert.equal(lines.length, 2);
  assert.throws(() => parseLogRecord(lines[0]!));
  assert.equal(parseLogRecord(lines[1]!).verdict, "pass");
});

Deno.test("two Unix users deliver into one group-shared profile under umask 077", async () => {
  const site = makeSite();
  const GROUP = 4242;
  for (const dir of [site.root, site.home]) chmodSync(dir, 0o755);
  chownSync(site.system, 0, GROUP);
  chmodSync(site.system, 0o2770);
  for (const [user, message] of [[65534, "subject_iloveyou.eml"], [65533, "clean_plain.eml"]]) {
    const result = await deliver({
      line: "qmvc -n",
      message: fixture(message as string),
      home: site.home,
      env: { QMVC_HOME: site.system },
      asUser: user as number,
      asGroup: GROUP,
      prelude: "umask 077",
    });
    assert.ok(result.code === 0 || result.code === 99, `${user}: ${result.code} ${result.stderr}`);
  }
  assert.equal(readLogLines(site.system).length, 2);
  assert.equal(statSync(join(site.system, "log/qmvc.log")).mode & 0o777, 0o660);
  assert.equal(statSync(join(site.system, "log")).mode & 0o7777, 0o2770);
  assert.equal(listMaildir(join(site.system, "quarantine")).length, 1);
});

Deno.test("|qmvc -nu under umask 077: the user's own profile stays private to the user", async () => {
  const site = makeSite();
  const NOBODY = 65534;
  for (const dir of [site.root, site.system, join(site.system, "control")]) chmodSync(dir, 0o755);
  chownSync(site.home, NOBODY, NOBODY);
  chmodSync(site.home, 0o700);
  const result = await deliver({
    line: "qmvc -nu",
    message: fixture("subject_iloveyou.eml"),
    home: site.home,
    env: { QMVC_HOME: site.system },
    asUser: NOBODY,
    asGroup: NOBODY,
    prelude: "umask 077",
  });
  assert.equal(result.code, 99, result.stderr);
  const profile = join(site.home, "qmvc");
  assert.equal(statSync(profile).mode & 0o7777, 0o700);
  assert.equal(statSync(join(profile, "log")).mode & 0o7777, 0o700);
  assert.equal(statSync(join(profile, "log/qmvc.log")).mode & 0o777, 0o600);
  const [copy] = listMaildir(join(profile, "quarantine"));
  assert.equal(statSync(copy!).mode & 0o777, 0o600);
});

Deno.test("|qmvc -n: a bounce whose report nobody reads (stdout closed) still exits 100, no stack trace", async () => {
  const site = makeSite();
  writeControl(site.system, "filters", "badmail=bounce\nnotify-recipient=n\nnotify-admin=n\n");
  const result = await deliver({
    line: "qmvc -n",
    message: fixture("subject_iloveyou.eml"),
    home: site.home,
    env: { QMVC_HOME: site.system },
    prelude: "exec 1>&-",
  });
  assert.equal(result.code, 100);
  assert.equal(result.stderr, "");
  assert.equal(parseLogRecord(readLogLines(site.system)[0]!).verdict, "bounce");
});

Deno.test("|qmvc -n: a control file that is a dangling symlink defers (111), it is not taken as absent", async () => {
  const site = makeSite();
  Deno.symlinkSync("/nonexistent/badsubjects", join(site.system, "control/badsubjects"));
  const result = await deliverToSite(site, fixture("subject_iloveyou.eml"));
  assert.equal(result.code, 111);
  assert.match(result.stderr, /control\/badsubjects: a dangling symlink/);
});

for (
  const file of [
    "unread.zip",
    "z64count.zip",
    "stream_gap_end.zip",
    "stream_stored_any_descriptor.zip",
  ]
) {
  Deno.test(`a zip that extractors unpack otherwise than qmvc can read (${file}) is quarantined as unchecked, never passed`, async () => {
    const zip = readFileSync(join(import.meta.dirname!, "../fixtures/zip_hostile", file));
    await assertQuarantinedUnchecked(mailWithZip(new Uint8Array(zip)));
  });
}

Deno.test("a tar whose first header's checksum fails (GNU tar skips it to a PE) is quarantined as unchecked, never passed", async () => {
  const tar = readFileSync(join(import.meta.dirname!, "../fixtures/tar_hostile/bad_checksum.tar"));
  await assertQuarantinedUnchecked(mailWithZip(new Uint8Array(tar)));
});
