/**
 * `qmvc quarantine`: an admin lists, inspects, releases and removes quarantined mail,
 * and a released message comes back through qmvc without being stopped again for the
 * conditions the admin overruled.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync, utimesSync } from "node:fs";
import { join } from "node:path";
import { parseLogRecord } from "../../src/log/mod.ts";
import { deliverTo, makeNotifyingSite, readSent } from "../_helpers/notifications.ts";
import { fixture, listMaildir, readLogLines, runQmvc, type Site } from "../_helpers/qmail_local.ts";

const QUIET = "notify-recipient=n\nnotify-admin=n\n";

function quarantine(site: Site, ...args: string[]) {
  return runQmvc(["quarantine", ...args], { QMVC_HOME: site.system, USER: "root" });
}

/** A site with one quarantined ILOVEYOU mail to bob; returns its ID. */
async function siteWithQuarantined() {
  const site = makeNotifyingSite({ filters: QUIET });
  assert.equal((await deliverTo(site, { sender: "someone@example.com" })).code, 99);
  const [path] = listMaildir(join(site.system, "quarantine"));
  return { site, id: path!.split("/").at(-1)! };
}

Deno.test("qmvc quarantine list: ID, time, sender, recipient, size, conditions and subject", async () => {
  const { site, id } = await siteWithQuarantined();
  const { code, stdout } = await quarantine(site, "list");
  assert.equal(code, 0);
  const fields = stdout.trimEnd().split("\t");
  assert.equal(fields[0], id);
  assert.deepEqual(fields.slice(2), [
    "someone@example.com",
    "bob@example.org",
    String(readFileSync(join(site.system, "quarantine/new", id)).length),
    "badsubject",
    "ILOVEYOU",
  ]);
  assert.equal((await quarantine(site, "list", "--condition", "virus")).stdout, "");
  assert.equal((await quarantine(site, "list", "--since", "2999-01-01")).stdout, "");
});

Deno.test("qmvc quarantine show ID: the incident record and the parts as qmvc check shows them", async () => {
  const { site, id } = await siteWithQuarantined();
  const { code, stdout } = await quarantine(site, "show", id);
  assert.equal(code, 0);
  assert.match(stdout, /"conditions": \[\n\s+"badsubject"\n\s+\]/);
  assert.match(stdout, /verdict: /);
});

Deno.test("qmvc quarantine release ID: re-injected to its recipient, and let through when it comes back", async () => {
  const { site, id } = await siteWithQuarantined();
  const { code, stdout } = await quarantine(site, "release", id);
  assert.equal(code, 0, stdout);
  assert.equal(stdout, `released ${id} to bob@example.org\n`);
  const [released] = await readSent(site.outbox);
  assert.deepEqual(released!.to, ["bob@example.org"]);
  assert.equal(released!.from, "someone@example.com");
  assert.match(
    released!.text,
    /^X-QMVC-Released: conditions=badsubject; by=\S+; at=\S+; mac=\S+\n/,
  );
  // What qmail-queue delivers: a Received line on top of what was injected.
  const delivered = `Received: (qmail 4242 invoked by uid 0); 25 Nov 2026 08:00:00 -0000\n${
    released!.text
  }`;
  const back = await deliverTo(site, { raw: delivered, sender: "someone@example.com" });
  assert.equal(back.code, 0, back.stderr);
  assert.equal(parseLogRecord(readLogLines(site.system).at(-1)!).verdict, "pass");
  const log = readFileSync(join(site.system, "log/quarantine.log"), "utf8");
  assert.match(
    log,
    new RegExp(`^\\S+\\trelease\\t${id.replaceAll(".", "\\.")}\\tto bob@example.org\\t`),
  );
});

Deno.test("a forged release header lets nothing through", async () => {
  const { site } = await siteWithQuarantined();
  const raw = readFileSync(fixture("subject_iloveyou.eml"), "utf8");
  const forged =
    `X-QMVC-Released: conditions=badsubject; by=root; at=2026-11-25T08:00:00.000Z; mac=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n${raw}`;
  assert.equal((await deliverTo(site, { raw: forged })).code, 99);
});

Deno.test("qmvc quarantine delete ID removes it and says so in quarantine.log; an unknown ID is exit 1", async () => {
  const { site, id } = await siteWithQuarantined();
  assert.deepEqual(await quarantine(site, "delete", id), {
    code: 0,
    stdout: `deleted ${id}\n`,
    stderr: "",
  });
  assert.equal(listMaildir(join(site.system, "quarantine")).length, 0);
  assert.match(readFileSync(join(site.system, "log/quarantine.log"), "utf8"), /\tdelete\t/);
  const again = await quarantine(site, "delete", id);
  assert.equal(again.code, 1);
  assert.match(
    again.stderr,
    new RegExp(`^qmvc quarantine: no message "${id.replaceAll(".", "\\.")}" in `),
  );
});

Deno.test("qmvc quarantine purge --older-than 30d removes only what is older", async () => {
  const { site, id } = await siteWithQuarantined();
  const old = join(site.system, "quarantine/new", id);
  const fortyDaysAgo = new Date(Date.now() - 40 * 86_400_000);
  utimesSync(old, fortyDaysAgo, fortyDaysAgo);
  assert.equal((await deliverTo(site, { sender: "other@example.com" })).code, 99);
  const { code, stdout } = await quarantine(site, "purge", "--older-than", "30d");
  assert.equal(code, 0);
  assert.equal(stdout, `purged ${id}\n1 message(s) purged\n`);
  assert.equal(listMaildir(join(site.system, "quarantine")).length, 1);
});

Deno.test("qmvc quarantine without an action is a usage error", async () => {
  const { site } = await siteWithQuarantined();
  const { code, stderr } = await quarantine(site);
  assert.equal(code, 2);
  assert.match(stderr, /name what to do: list, show, release, delete or purge/);
});

Deno.test("qmvc quarantine run as root leaves its files to the profile's owner, so deliveries can still write them", async () => {
  const { site, id } = await siteWithQuarantined();
  Deno.removeSync(join(site.system, "secret"), { recursive: true });
  Deno.chownSync(site.system, 65534, 65534);
  Deno.chownSync(join(site.system, "log"), 65534, 65534);
  assert.equal((await quarantine(site, "release", id)).code, 0);
  for (const file of ["secret", "log/quarantine.log"]) {
    const stat = Deno.statSync(join(site.system, file));
    assert.deepEqual([stat.uid, stat.gid], [65534, 65534], file);
  }
});

Deno.test("a released message delivered to anyone but its recipient is filtered as before", async () => {
  const { site, id } = await siteWithQuarantined();
  assert.equal((await quarantine(site, "release", id)).code, 0);
  const [released] = await readSent(site.outbox);
  const replay = await deliverTo(site, {
    raw: released!.text,
    sender: "evil@example.net",
    recipient: "victim@example.org",
  });
  assert.equal(replay.code, 99);
});

Deno.test("qmvc quarantine after qmvc month archived qmvc.rep: list and release still find the incident record", async () => {
  const { site, id } = await siteWithQuarantined();
  const month = new Date().toISOString().slice(0, 7);
  const archived = await runQmvc(["month", month, "--force"], {
    QMVC_HOME: site.system,
    USER: "root",
  });
  assert.equal(archived.code, 0, archived.stderr);
  const live = join(site.system, "log/qmvc.rep");
  assert.ok(
    !existsSync(live) || !readFileSync(live, "utf8").includes(id),
    "the record left qmvc.rep",
  );
  const listed = await quarantine(site, "list");
  assert.deepEqual(listed.stdout.split("\t").slice(3, 6).filter((_, i) => i !== 1), [
    "bob@example.org",
    "badsubject",
  ]);
  const released = await quarantine(site, "release", id);
  assert.equal(released.stdout, `released ${id} to bob@example.org\n`);
});
