/**
 * Command-line manners of the binary, run as an admin would at a shell: help for every
 * command, errors in qmvc's own words, and quiet ends when the reader goes away.
 */
import assert from "node:assert/strict";
import { BINARY, fixture, runQmvc } from "../_helpers/qmail_local.ts";

const COMMANDS = [
  "check",
  "showctl",
  "scanners",
  "log2html",
  "virulator",
  "month",
  "calendar",
  "portal",
  "plainmail",
  "install",
  "quarantine",
  "help",
];

function qmvc(...args: string[]) {
  return runQmvc(args, { QMVC_HOME: "/nonexistent" });
}

Deno.test("qmvc help lists every command", async () => {
  const { code, stdout } = await qmvc("help");
  assert.equal(code, 0);
  for (const name of COMMANDS) assert.match(stdout, new RegExp(`^ {2}qmvc ${name}\\b`, "m"));
});

for (const name of COMMANDS.filter((c) => c !== "help")) {
  Deno.test(`qmvc help ${name} shows that command's usage`, async () => {
    const { code, stdout } = await qmvc("help", name);
    assert.equal(code, 0);
    assert.match(stdout, new RegExp(`^Usage: (qmvc )?${name}\\b`, "m"));
  });
}

Deno.test("qmvc frobnicate: unknown command, with the list, exit 2", async () => {
  const { code, stderr } = await qmvc("frobnicate");
  assert.equal(code, 2);
  assert.match(stderr, /^qmvc: unknown command "frobnicate"\n\nCommands/);
});

for (
  const [args, expected] of [
    [["check", "--bogus", "x.eml"], 'qmvc check: unknown option "--bogus"; see qmvc help check\n'],
    [["showctl", "-c"], "qmvc showctl: option -c needs a value; see qmvc help showctl\n"],
    [["showctl", "stray"], 'qmvc showctl: unexpected argument "stray"; see qmvc help showctl\n'],
    [
      ["scanners", "--check=yes"],
      "qmvc scanners: option --check takes no value; see qmvc help scanners\n",
    ],
    [["log2html", "--bogus"], 'qmvc log2html: unknown option "--bogus"; see qmvc help log2html\n'],
    [["plainmail", "-x"], 'plainmail: unknown option "-x"; see plainmail --help\n'],
  ] as const
) {
  Deno.test(`qmvc ${args.join(" ")}: one line in qmvc's words, exit 2`, async () => {
    const { code, stderr } = await qmvc(...args);
    assert.equal(code, 2);
    assert.equal(stderr, expected);
  });
}

Deno.test("qmvc check on a missing file exits 1 with the file named", async () => {
  const { code, stderr } = await qmvc("check", "/nonexistent/x.eml");
  assert.equal(code, 1);
  assert.match(stderr, /^qmvc check: Unable to read "\/nonexistent\/x\.eml": ENOENT/);
});

Deno.test("qmvc check | head -1: a reader that goes away ends the output quietly", async () => {
  const out = await new Deno.Command("/bin/sh", {
    args: [
      "-c",
      `"$0" check "$1" "$1" "$1" "$1" | head -c 1 >/dev/null`,
      BINARY,
      fixture("nodemailer_alternative_attachments.eml"),
    ],
    env: { PATH: "/usr/bin:/bin", QMVC_HOME: "/nonexistent" },
    clearEnv: true,
  }).output();
  assert.equal(new TextDecoder().decode(out.stderr), "");
});

for (
  const [command, ...args] of [["check", "x.eml"], ["scanners", "--check"]] as const
) {
  Deno.test(`qmvc ${command} -c /typo: one line naming the missing profile, exit 1`, async () => {
    const { code, stderr } = await qmvc(command, "-c", "/nonexistent/exmaple.org", ...args);
    assert.equal(code, 1);
    assert.equal(
      stderr,
      `qmvc ${command}: Profile directory /nonexistent/exmaple.org does not exist: correct -c\n`,
    );
  });
}
