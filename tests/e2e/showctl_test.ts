import assert from "node:assert/strict";
import { join } from "node:path";
import { BINARY, makeSite, writeControl } from "../_helpers/qmail_local.ts";

async function showctl(env: Record<string, string>, ...args: string[]) {
  const out = await new Deno.Command(BINARY, { args: ["showctl", ...args], env, clearEnv: true })
    .output();
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
}

Deno.test("qmvc showctl: every control file with its effective entries and where it comes from", async () => {
  const site = makeSite();
  writeControl(site.system, "badsubjects", "# ours\nFREE MONEY\n");
  const result = await showctl({ QMVC_HOME: site.system });
  assert.equal(result.code, 0, result.stderr);
  assert.match(
    result.stdout,
    new RegExp(
      `^badsubjects: from ${join(site.system, "control/badsubjects")}\n {2}FREE MONEY\n`,
      "m",
    ),
  );
  assert.match(result.stdout, /^filters: \(default\)\n {2}subject=y$/m);
  assert.match(result.stdout, /^admins: \(default\)\n {2}\(empty\)$/m);
  for (
    const name of [
      "filters",
      "limits",
      "badfilenames",
      "badmimetypes",
      "badloadertypes",
      "noscantypes",
      "mailheaders",
      "spamheaders",
      "badbodytexts",
      "forwardto",
      "languages",
      "qmailinject",
    ]
  ) {
    assert.match(result.stdout, new RegExp(`^${name}: `, "m"), name);
  }
});

Deno.test("qmvc showctl -c BASEDIR: the profile layer comes before the system layer", async () => {
  const site = makeSite();
  const base = join(site.root, "example.org");
  writeControl(base, "filters", "badmail=trash\n");
  const result = await showctl({ QMVC_HOME: site.system }, "-c", base);
  assert.match(result.stdout, /^profile: common$/m);
  assert.match(
    result.stdout,
    new RegExp(`^layers: ${base} \\(profile\\) > ${site.system} \\(system\\) > built-in$`, "m"),
  );
  assert.match(
    result.stdout,
    new RegExp(
      `^filters: from ${join(base, "control/filters")}\n( {2}.*\n)* {2}badmail=trash$`,
      "m",
    ),
  );
});

Deno.test("qmvc showctl: a broken control file is exit 1 with file, line and fix", async () => {
  const site = makeSite();
  writeControl(site.system, "badloadertypes", "pe\nexe\n");
  const result = await showctl({ QMVC_HOME: site.system });
  assert.equal(result.code, 1);
  assert.match(
    result.stderr,
    /control\/badloadertypes:2: Unknown loader type "exe": use one of pe, msdos, elf/,
  );
});

Deno.test("qmvc showctl warns when virus=y and no scanner is configured", async () => {
  const site = makeSite();
  const quiet = makeSite();
  writeControl(quiet.system, "scanners", "clamd\n");
  writeControl(quiet.system, "qmailinject", "/bin/true\n");
  const warned = await showctl({ QMVC_HOME: site.system });
  assert.match(
    warned.stdout,
    /^warning: virus=y in filters, but control\/scanners names no scanner/m,
  );
  const configured = await showctl({ QMVC_HOME: quiet.system });
  assert.doesNotMatch(configured.stdout, /^warning:/m);
});

Deno.test("qmvc showctl warns when memory in limits is under what message-size needs", async () => {
  const site = makeSite();
  writeControl(site.system, "scanners", "clamd\n");
  writeControl(site.system, "qmailinject", "/bin/true\n");
  writeControl(site.system, "limits", "memory=100M\n");
  const warned = await showctl({ QMVC_HOME: site.system });
  assert.match(
    warned.stdout,
    /^warning: memory=100M in limits is under what a delivery of a message of message-size=64M may use \(2 x message \+ 80M = 208M\)/m,
  );
  writeControl(site.system, "limits", "memory=100M\nmessage-size=10M\n");
  assert.doesNotMatch((await showctl({ QMVC_HOME: site.system })).stdout, /^warning:/m);
});

Deno.test("qmvc showctl: a partial filters file shows every key, the ones it leaves out marked (default)", async () => {
  const site = makeSite();
  writeControl(site.system, "filters", "badmail=trash\n");
  writeControl(site.system, "limits", "parts=500\n");
  const { stdout } = await showctl({ QMVC_HOME: site.system });
  assert.match(stdout, /^ {2}badmail=trash$/m);
  assert.match(stdout, /^ {2}virusmail=quarantine \(default\)$/m);
  assert.match(stdout, /^ {2}notify-pass=n \(default\)$/m);
  assert.match(stdout, /^ {2}parts=500$/m);
  assert.match(stdout, /^ {2}message-size=64M \(default\)$/m);
});

Deno.test("qmvc showctl --as USER warns about a profile that user could not write", async () => {
  const site = makeSite();
  const { stdout } = await showctl({ QMVC_HOME: site.system }, "--as", "nobody");
  assert.match(
    stdout,
    new RegExp(`^warning: ${site.system} is not writable for nobody .*chown or chmod it$`, "m"),
  );
  Deno.chownSync(site.system, 65534, 65534);
  const fixed = await showctl({ QMVC_HOME: site.system }, "--as", "nobody");
  assert.doesNotMatch(fixed.stdout, /not writable for nobody/);
});

Deno.test("qmvc showctl warns when qmail-inject is not where control/qmailinject says", async () => {
  const site = makeSite();
  writeControl(site.system, "qmailinject", "/nonexistent/qmail-inject\n");
  const { stdout } = await showctl({ QMVC_HOME: site.system });
  assert.match(stdout, /^warning: qmail-inject \/nonexistent\/qmail-inject is not there/m);
});
