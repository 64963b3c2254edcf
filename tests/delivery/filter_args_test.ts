import assert from "node:assert/strict";
import { parseFilterArgs } from "../../src/delivery/filter_args.ts";

Deno.test("parseFilterArgs() reads QMVC's combined options -uv- as -u and -v with '-'", () => {
  const args = parseFilterArgs(["-nuv-"]);
  assert.ok(typeof args !== "string");
  assert.equal(args.noscan, true);
  assert.equal(args.user, true);
  assert.equal(args.prepend, "-");
});

Deno.test("parseFilterArgs() reads -c BASEDIR and -v PREPEND as separate words", () => {
  const args = parseFilterArgs(["-n", "-c", "/var/qmvc/example.org", "-v", "example-"]);
  assert.ok(typeof args !== "string");
  assert.equal(args.common, "/var/qmvc/example.org");
  assert.equal(args.prepend, "example-");
});

Deno.test("parseFilterArgs() refuses -u together with -c", () => {
  assert.equal(
    parseFilterArgs(["-u", "-c", "/x"]),
    "Options -u and -c exclude each other: choose one profile",
  );
});

Deno.test("parseFilterArgs() names an unknown option", () => {
  assert.equal(parseFilterArgs(["-q"]), 'unknown option "-q"');
});

Deno.test("parseFilterArgs() refuses a stray positional argument", () => {
  assert.equal(parseFilterArgs(["./Maildir/"]), 'unexpected argument "./Maildir/"');
});
