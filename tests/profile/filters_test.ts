import assert from "node:assert/strict";
import { ControlFileError, DEFAULT_FILTERS, parseFilters } from "../../src/profile/mod.ts";
import { EMBEDDED_FILES } from "../../src/profile/_embedded.ts";

Deno.test("parseFilters() reads QMVC's key=y|n lines and keeps defaults for the rest", () => {
  const filters = parseFilters("# comment\nsubject=n\r\n\nbody = y\n", "filters");
  assert.equal(filters.checks.subject, false);
  assert.equal(filters.checks.body, true);
  assert.equal(filters.checks.mimetype, DEFAULT_FILTERS.checks.mimetype);
  assert.equal(filters.actions.badmail, "quarantine");
});

Deno.test("parseFilters() of the built-in file gives the built-in defaults", () => {
  assert.deepEqual(parseFilters(EMBEDDED_FILES["control/filters"]!, "filters"), DEFAULT_FILTERS);
});

Deno.test("parseFilters() names the file, line and the fix for an unknown key", () => {
  assert.throws(
    () => parseFilters("subject=y\nsubjekt=y\n", "/var/qmvc/control/filters"),
    (e: unknown) =>
      e instanceof ControlFileError && e.line === 2 &&
      e.message.startsWith(
        '/var/qmvc/control/filters:2: Unknown key "subjekt": known keys are subject, body',
      ),
  );
});

Deno.test("parseFilters() refuses a key set twice", () => {
  assert.throws(
    () => parseFilters("bomb=3\nbomb=4\n", "f"),
    /f:2: Key "bomb" is already set on line 1/,
  );
});

Deno.test("parseFilters() refuses bomb=0, which would make every message a virusbomb", () => {
  assert.throws(
    () => parseFilters("bomb=0\n", "f"),
    /Invalid value "0" for "bomb": use a whole number from 1 to 10000/,
  );
});

Deno.test("parseFilters() refuses a line without '='", () => {
  assert.throws(() => parseFilters("subject\n", "f"), /f:1: Expected "key=value", found "subject"/);
});

Deno.test("parseFilters() quarantines uncheckedmail by default and reads uncheckedmail=", () => {
  assert.equal(parseFilters("", "filters").actions.uncheckedmail, "quarantine");
  assert.equal(parseFilters("uncheckedmail=bounce\n", "filters").actions.uncheckedmail, "bounce");
});
