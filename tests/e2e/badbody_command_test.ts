/**
 * The badbodytexts command API with real programs: bogofilter (Debian's package),
 * trained in a temporary word list, and small system programs for the exit codes.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseIncidentRecord, parseLogRecord } from "../../src/log/mod.ts";
import {
  deliverToSite,
  fixture,
  makeSite,
  readLogLines,
  writeControl,
} from "../_helpers/qmail_local.ts";

const BOGOFILTER = "/usr/bin/bogofilter";

async function train(dir: string): Promise<void> {
  const spam =
    "From: a@example.com\nSubject: cheap pills\n\nbuy cheap viagra pills casino lottery winner prize money now";
  const ham =
    "From: c@example.org\nSubject: meeting\n\nthe budget meeting minutes are attached, regards alice project schedule";
  for (let i = 0; i < 5; i++) {
    for (const [flag, text] of [["-s", spam], ["-n", ham]] as const) {
      const child = new Deno.Command(BOGOFILTER, { args: ["-d", dir, flag], stdin: "piped" })
        .spawn();
      const writer = child.stdin.getWriter();
      await writer.write(new TextEncoder().encode(`${text} ${i}\n`));
      await writer.close();
      assert.equal((await child.status).code, 0);
    }
  }
}

async function deliverWith(
  entry: string,
  message: string,
  filters = "body=y\nnotify-recipient=n\n",
) {
  const site = makeSite();
  writeControl(site.system, "filters", filters);
  writeControl(site.system, "badbodytexts", `${entry}\n`);
  const result = await deliverToSite(site, fixture(message));
  return { result, site };
}

Deno.test({
  name: "badbodytexts |!bogofilter: a message bogofilter calls spam is a badbody",
  ignore: !existsSync(BOGOFILTER),
  fn: async () => {
    const site = makeSite();
    const words = join(site.root, "bogofilter");
    Deno.mkdirSync(words);
    await train(words);
    const entry = `|!${BOGOFILTER} -d ${words} -o 0.5,0`;
    const spam = await deliverWith(entry, "body_spam_pills.eml");
    assert.equal(spam.result.code, 99, spam.result.stderr);
    const incident = parseIncidentRecord(
      readFileSync(join(spam.site.system, "log/qmvc.rep"), "utf8").trim(),
    );
    assert.deepEqual(incident.conditions, ["badbody"]);
    assert.equal(incident.matches[0]?.evidence, `${BOGOFILTER} answered match`);
    const ham = await deliverWith(entry, "clean_plain.eml");
    assert.equal(ham.result.code, 0, ham.result.stderr);
  },
});

Deno.test("badbodytexts |program: exit 1 is a match, exit 0 is none", async () => {
  assert.equal((await deliverWith("|/bin/false", "clean_plain.eml")).result.code, 99);
  assert.equal((await deliverWith("|/bin/true", "clean_plain.eml")).result.code, 0);
});

Deno.test("badbodytexts |!program: the inverted form reads grep's exit code", async () => {
  assert.equal((await deliverWith("|!/bin/grep -qi budget", "clean_plain.eml")).result.code, 99);
  assert.equal((await deliverWith("|!/bin/grep -qi lottery", "clean_plain.eml")).result.code, 0);
});

Deno.test("badbodytexts |program: the program sees the message on stdin and qmail's variables", async () => {
  const site = makeSite();
  const out = join(site.root, "seen");
  const script = join(site.root, "record.sh");
  writeFileSync(
    script,
    `#!/bin/sh\n{ echo "SENDER=$SENDER"; echo "RECIPIENT=$RECIPIENT"; echo "LOCAL=$LOCAL"; cat; } > ${out}\nexit 0\n`,
    { mode: 0o755 },
  );
  writeControl(site.system, "filters", "body=y\n");
  writeControl(site.system, "badbodytexts", `|${script}\n`);
  const result = await deliverToSite(site, fixture("clean_plain.eml"));
  assert.equal(result.code, 0, result.stderr);
  const seen = readFileSync(out, "utf8");
  assert.match(seen, /^SENDER=alice@example.net\nRECIPIENT=bob@example.org\nLOCAL=bob\n/);
  assert.ok(seen.endsWith(readFileSync(fixture("clean_plain.eml"), "utf8")));
});

Deno.test("badbodytexts |program: an error exit defers (scanfail=defer) and passes with scanfail=pass", async () => {
  const site = makeSite();
  const script = join(site.root, "broken.sh");
  writeFileSync(script, "#!/bin/sh\nexit 3\n", { mode: 0o755 });
  const deferred = await deliverWith(`|${script}`, "clean_plain.eml");
  assert.equal(deferred.result.code, 111);
  assert.match(deferred.result.stderr, /badbodytexts line 1: .*broken\.sh exited 3 \(#4\.3\.0\)/);
  assert.equal(parseLogRecord(readLogLines(deferred.site.system)[0]!).verdict, "defer");
  const passed = await deliverWith(`|${script}`, "clean_plain.eml", "body=y\nscanfail=pass\n");
  assert.equal(passed.result.code, 0, passed.result.stderr);
});

Deno.test("badbodytexts |program: a program that does not exist defers (111)", async () => {
  const { result } = await deliverWith("|/nonexistent/filter", "clean_plain.eml");
  assert.equal(result.code, 111);
  assert.match(result.stderr, /badbodytexts line 1: \/nonexistent\/filter: ENOENT/);
});

Deno.test("badbodytexts: a relative program path is a configuration error naming the line", async () => {
  const { result } = await deliverWith("spam words\n|bogofilter -d x", "clean_plain.eml");
  assert.equal(result.code, 111);
  assert.match(
    result.stderr,
    /control\/badbodytexts:2: A command must start with an absolute path, e.g. "\|\/usr\/bin\/bogofilter", found "\|bogofilter -d x" \(#4\.3\.5\)/,
  );
});

Deno.test("badbodytexts: body=n runs no program at all", async () => {
  const { result } = await deliverWith("|/nonexistent/filter", "clean_plain.eml", "body=n\n");
  assert.equal(result.code, 0, result.stderr);
});
