/**
 * `qmvc install` the way an admin runs it: into a temporary root, for the unprivileged
 * owner, twice; then a delivery through the installed binary as that owner.
 */
import assert from "node:assert/strict";
import { appendFileSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseLogRecord } from "../../src/log/mod.ts";
import { deliver, fixture, makeSite, readLogLines, runQmvc } from "../_helpers/qmail_local.ts";

const NOBODY = 65534;

function install(root: string, ...extra: string[]) {
  return runQmvc([
    "install",
    "--home",
    join(root, "qmvc-home"),
    "--bin",
    join(root, "bin"),
    "--man",
    join(root, "man"),
    "--user",
    "nobody",
    "--group",
    "nogroup",
    "--clamd",
    "/nonexistent/clamd.ctl",
    ...extra,
  ]);
}

function freshRoot(): string {
  const site = makeSite();
  Deno.mkdirSync(join(site.root, "bin"));
  Deno.chmodSync(site.root, 0o755);
  return site.root;
}

/** The lines of install's output that report a change. */
const changes = (stdout: string) =>
  stdout.split("\n").filter((l) => /^(install|link|create|set|write|kept) /.test(l));

Deno.test("qmvc install --dry-run says every step and does none", async () => {
  const root = freshRoot();
  const { code, stdout } = await install(root, "--dry-run");
  assert.equal(code, 0);
  assert.match(stdout, /^would install .*\/bin\/qmvc$/m);
  assert.match(stdout, /^would write .*\/qmvc-home\/control\/filters$/m);
  assert.throws(() => statSync(join(root, "qmvc-home")));
});

Deno.test("qmvc install twice: the second run changes nothing; then nobody delivers through it", async () => {
  const root = freshRoot();
  const first = await install(root);
  assert.equal(first.code, 0, first.stderr);
  assert.ok(changes(first.stdout).length > 20);
  assert.match(first.stdout, /^note: no clamd answered .*: no virus scanning is configured/m);
  const home = join(root, "qmvc-home");
  const log = statSync(join(home, "log"));
  assert.deepEqual([log.uid, log.gid, log.mode & 0o7777], [NOBODY, NOBODY, 0o2770]);
  assert.match(readFileSync(join(home, "control/filters"), "utf8"), /^# Built-in default of qmvc/);

  const second = await install(root);
  assert.equal(second.code, 0, second.stderr);
  assert.deepEqual(changes(second.stdout), []);

  const line = /^ {2}\|(.*)$/m.exec(second.stdout)![1]!;
  assert.equal(line, `${join(root, "bin/qmvc")} -n -c ${home}`);
  const userHome = join(root, "home");
  Deno.chownSync(userHome, NOBODY, NOBODY);
  const result = await deliver({
    line,
    message: fixture("subject_iloveyou.eml"),
    home: userHome,
    env: { QMVC_HOME: undefined },
    asUser: NOBODY,
    prelude: "umask 077",
  });
  assert.equal(result.code, 99, result.stderr);
  assert.deepEqual(parseLogRecord(readLogLines(home)[0]!).conditions, ["badsubject"]);
});

Deno.test("qmvc install never overwrites a control file the admin edited, and says so", async () => {
  const root = freshRoot();
  await install(root);
  appendFileSync(join(root, "qmvc-home/control/badsubjects"), "FREE MONEY\n");
  const again = await install(root);
  assert.deepEqual(changes(again.stdout), [
    `kept ${
      join(root, "qmvc-home/control/badsubjects")
    }: it differs from the built-in default in 1 line`,
  ]);
  assert.match(readFileSync(join(root, "qmvc-home/control/badsubjects"), "utf8"), /FREE MONEY\n$/);
});

Deno.test("qmvc install --man writes man pages that man(1) renders without errors", async () => {
  const root = freshRoot();
  await install(root);
  for (
    const page of ["man8/qmvc.8", "man5/qmvc-control.5", "man5/qmvc-log.5", "man1/qmvc-tools.1"]
  ) {
    const path = join(root, "man", page);
    const out = new Deno.Command("groff", {
      args: ["-t", "-man", "-Tutf8", "-P-cbou", "-ww", path],
    })
      .outputSync();
    const problems = new TextDecoder().decode(out.stderr).split("\n").filter((l) =>
      l !== "" && !/can't break line|cannot adjust line/.test(l)
    );
    assert.deepEqual(problems, [], page);
    assert.match(new TextDecoder().decode(out.stdout), /^NAME$/m);
  }
  const qmvc8 = new TextDecoder().decode(
    new Deno.Command("groff", {
      args: ["-t", "-man", "-Tutf8", "-P-cbou", join(root, "man/man8/qmvc.8")],
    }).outputSync().stdout,
  );
  assert.match(qmvc8, /SECURITY/);
  assert.match(qmvc8, /qmail-inject -f "" -a --\s+ADDRESS/);
});

Deno.test("qmvc install without its user says so in one line and changes nothing", async () => {
  const root = freshRoot();
  const out = await runQmvc([
    "install",
    "--home",
    join(root, "qmvc-home"),
    "--bin",
    join(root, "bin"),
  ]);
  assert.equal(out.code, 1);
  assert.match(out.stderr, /^qmvc install: no user "alias" in \/etc\/passwd: /m);
  assert.throws(() => statSync(join(root, "qmvc-home")));
});

Deno.test("qmvc install makes a --bin directory that does not exist yet", async () => {
  const root = freshRoot();
  Deno.removeSync(join(root, "bin"));
  const { code, stderr } = await install(root);
  assert.equal(code, 0, stderr);
  assert.ok(statSync(join(root, "bin/qmvc")).isFile());
});
