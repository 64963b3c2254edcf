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
    new RegExp(`^filters: from ${join(base, "control/filters")}\n {2}badmail=trash$`, "m"),
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
  const warned = await showctl({ QMVC_HOME: site.system });
  assert.match(
    warned.stdout,
    /^warning: virus=y in filters, but control\/scanners names no scanner/m,
  );
  const configured = await showctl({ QMVC_HOME: quiet.system });
  assert.doesNotMatch(configured.stdout, /^warning:/m);
});
