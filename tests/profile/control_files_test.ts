import assert from "node:assert/strict";
import { CONTROL_NAMES, parseLimits } from "../../src/profile/mod.ts";
// The parsers themselves load lazily (load.ts); the registry is read here directly.
import { CONTROL_PARSERS } from "../../src/profile/control/registry.ts";
import { parseMailHeaders } from "../../src/profile/control/mailheaders.ts";
import { parseSpamHeaders } from "../../src/profile/control/spamheaders.ts";
import { parseBadBodyTexts } from "../../src/profile/control/badbodytexts.ts";
import { parseAddressList } from "../../src/profile/control/address_list.ts";
import { parseLanguages } from "../../src/profile/control/languages.ts";
import { parseQmailInject } from "../../src/profile/control/qmailinject.ts";
import { EMBEDDED_FILES } from "../../src/profile/_embedded.ts";

Deno.test("every control file has a built-in default that its parser accepts", () => {
  // The built-in scanners.yaml declares no scanner, so it parses without the YAML library.
  for (const name of CONTROL_NAMES) {
    const text = EMBEDDED_FILES[`control/${name}`];
    assert.ok(text !== undefined, `control/${name} is not embedded`);
    CONTROL_PARSERS[name](text, `control/${name}`);
  }
});

Deno.test("CONTROL_NAMES lists the registry's parsers, in the registry's order (the cache's order)", () => {
  assert.deepEqual([...CONTROL_NAMES], Object.keys(CONTROL_PARSERS));
});

Deno.test("parseMailHeaders() reads +mandatory and ?checked fields", () => {
  const m = parseMailHeaders("+From\n?Date:\n", "mailheaders");
  assert.deepEqual(m.rules, [{ name: "From", mandatory: true, line: 1 }, {
    name: "Date",
    mandatory: false,
    line: 2,
  }]);
  assert.throws(
    () => parseMailHeaders("From\n", "m"),
    /m:1: Expected "\+Header" \(mandatory\) or "\?Header"/,
  );
});

Deno.test("parseSpamHeaders() reads Header: wildcard pairs", () => {
  const s = parseSpamHeaders("X-Spam-Status: Yes*\n", "spamheaders");
  assert.equal(s.rules[0]?.name, "X-Spam-Status");
  assert.equal(s.rules[0]?.pattern, "Yes*");
  assert.throws(() => parseSpamHeaders("X-Spam-Flag\n", "s"), /s:1: Expected "Header: value"/);
});

Deno.test("parseBadBodyTexts() splits commands without a shell and marks |! as inverted", () => {
  const b = parseBadBodyTexts("wire the money\n|!/usr/bin/bogofilter -d /var/db  -o 0.5,0\n", "b");
  assert.equal(b.rules[0]?.kind, "text");
  const command = b.rules[1];
  assert.ok(command?.kind === "command");
  assert.deepEqual(command.argv, ["/usr/bin/bogofilter", "-d", "/var/db", "-o", "0.5,0"]);
  assert.equal(command.inverted, true);
});

Deno.test("parseAddressList() refuses anything but plain addresses", () => {
  assert.deepEqual(parseAddressList("postmaster@example.org\n", "admins").addresses, [
    "postmaster@example.org",
  ]);
  assert.throws(
    () => parseAddressList("Postmaster <postmaster@example.org>\n", "admins"),
    /admins:1: Expected one plain address/,
  );
  assert.throws(() => parseAddressList("a@b.org, c@d.org\n", "admins"), /admins:1:/);
});

Deno.test("parseLanguages() reads pattern=lang lines", () => {
  assert.equal(parseLanguages("*@example.de=de\n", "l").rules[0]?.language, "de");
  assert.throws(
    () => parseLanguages("*@example.de=german\n", "l"),
    /l:1: Expected "address-pattern=xx"/,
  );
});

Deno.test("parseQmailInject() wants exactly one absolute command line", () => {
  assert.deepEqual(parseQmailInject("/var/qmail/bin/qmail-inject\n", "q").argv, [
    "/var/qmail/bin/qmail-inject",
  ]);
  assert.throws(
    () => parseQmailInject("qmail-inject\n", "q"),
    /q:1: The command must be an absolute path/,
  );
  assert.throws(() => parseQmailInject("/a\n/b\n", "q"), /q:2: Expected exactly one line/);
});

Deno.test("parseLimits() takes K/M/G sizes and refuses values that would switch a guard off", () => {
  assert.equal(parseLimits("message-size=2M\n", "l").maxMessageBytes, 2 * 1024 * 1024);
  assert.throws(
    () => parseLimits("parts=0\n", "l"),
    /l:1: Invalid value "0" for "parts": it must be a whole number from 1 to 100000/,
  );
  assert.throws(() => parseLimits("parts=lots\n", "l"), /Invalid value "lots" for "parts"/);
  assert.throws(() => parseLimits("partz=5\n", "l"), /Unknown limit "partz"/);
});

Deno.test("parseLimits() reads memory as a size with a 4G default and refuses 0", () => {
  assert.equal(parseLimits("", "l").maxMemoryBytes, 4 * 1024 ** 3);
  assert.equal(parseLimits("memory=512M\n", "l").maxMemoryBytes, 512 * 1024 ** 2);
  assert.throws(() => parseLimits("memory=0\n", "l"), /Invalid value "0" for "memory"/);
});

Deno.test("parseLimits() refuses a limit set twice, naming both lines", () => {
  assert.throws(
    () => parseLimits("parts=1000\nparts=5\n", "limits"),
    (e: Error) =>
      /^limits:2: Limit "parts" is already set on line 1: keep one of the two/.test(e.message),
  );
});
