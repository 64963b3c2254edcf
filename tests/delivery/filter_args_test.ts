import assert from "node:assert/strict";
import { parseArgs } from "node:util";
import { FILTER_OPTIONS, parseFilterArgs } from "../../src/delivery/filter_args.ts";

Deno.test("await parseFilterArgs() reads QMVC's combined options -uv- as -u and -v with '-'", async () => {
  const args = await parseFilterArgs(["-nuv-"]);
  assert.ok(typeof args !== "string");
  assert.equal(args.noscan, true);
  assert.equal(args.user, true);
  assert.equal(args.prepend, "-");
});

Deno.test("await parseFilterArgs() reads -c BASEDIR and -v PREPEND as separate words", async () => {
  const args = await parseFilterArgs(["-n", "-c", "/var/qmvc/example.org", "-v", "example-"]);
  assert.ok(typeof args !== "string");
  assert.equal(args.common, "/var/qmvc/example.org");
  assert.equal(args.prepend, "example-");
});

Deno.test("await parseFilterArgs() refuses -u together with -c", async () => {
  assert.equal(
    await parseFilterArgs(["-u", "-c", "/x"]),
    "Options -u and -c exclude each other: choose one profile",
  );
});

Deno.test("await parseFilterArgs() names an unknown option", async () => {
  assert.equal(await parseFilterArgs(["-q"]), 'unknown option "-q"');
});

Deno.test("await parseFilterArgs() refuses a stray positional argument", async () => {
  assert.equal(await parseFilterArgs(["./Maildir/"]), 'unexpected argument "./Maildir/"');
});

Deno.test("parseFilterArgs(): the words read without parseArgs give parseArgs' reading", async () => {
  const words = ["-n", "-u", "-nu", "-un", "-nn", "-uu", "-nun"];
  const lines: string[][] = [[]];
  for (const a of words) {
    lines.push([a]);
    for (const b of words) {
      lines.push([a, b]);
      for (const c of words) lines.push([a, b, c]);
    }
  }
  for (const argv of lines) {
    const { values } = parseArgs({ args: argv, options: FILTER_OPTIONS, strict: true });
    assert.deepEqual(await parseFilterArgs(argv), {
      noscan: values.n ?? false,
      user: values.u ?? false,
      common: values.c,
      prepend: values.v,
      help: values.help ?? false,
      version: values.version ?? false,
    }, argv.join(" "));
  }
});
