import assert from "node:assert/strict";
import { isMailbox, unquotedLocalPart } from "../../src/message/mod.ts";

for (
  const address of [
    "bob@example.org",
    "-hfbounce@example.org",
    "first.last+tag@sub.example.co.uk",
    '"john doe"@example.org',
    "postmaster@[192.0.2.1]",
    "o'brien@example.ie",
  ]
) {
  Deno.test(`isMailbox() accepts ${address}`, () => {
    assert.equal(isMailbox(address), true);
  });
}

for (
  const [why, address] of [
    ["an address list", "victim1@a.example, victim2@b.example"],
    ["a name-addr", "Bob <bob@example.org>"],
    ["a space", "bob @example.org"],
    ["a CR/LF", "bob@example.org\r\nBcc: x@example.com"],
    ["no domain", "bob"],
    ["an empty local part", "@example.org"],
    ["the double-bounce sender", "#@[]"],
    ["a domain label starting with '-'", "bob@-example.org"],
    ["two dots", "bob..smith@example.org"],
    ["an unbalanced quote", '"bob@example.org'],
    ["a local part over 64 octets", `${"a".repeat(65)}@example.org`],
    ["a source route", "@relay.example:bob@example.org"],
    ["a non-ASCII local part", "b\u00f6b@example.org"],
  ]
) {
  Deno.test(`isMailbox() refuses ${why}`, () => {
    assert.equal(isMailbox(address!), false);
  });
}

Deno.test("unquotedLocalPart() removes quotes and quoted pairs", () => {
  assert.equal(unquotedLocalPart('"Mailer-Daemon"@example.com'), "Mailer-Daemon");
  assert.equal(unquotedLocalPart('"a\\"b"@example.com'), 'a"b');
  assert.equal(unquotedLocalPart("plain@example.com"), "plain");
});
