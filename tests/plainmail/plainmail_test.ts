import assert from "node:assert/strict";
import { readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { htmlToText, plainText } from "../../src/plainmail/mod.ts";
import { parseMessage } from "../../src/message/mod.ts";
import { BINARY, deliverToSite, fixture, makeSite, writeControl } from "../_helpers/qmail_local.ts";

Deno.test("htmlToText() turns paragraphs, lists, links and tables into readable lines", () => {
  const html = readFileSync(fixture("html_newsletter.eml"), "utf8").split("\n\n").slice(1).join(
    "\n\n",
  );
  assert.equal(
    htmlToText(html),
    [
      "This week",
      "",
      "First paragraph with a full story <https://example.com/story>.",
      "",
      "- One",
      "- Two",
      "",
      "1. First",
      "2. Second",
      "",
      "Item | Price",
      "Tea | 3",
      "",
      "Please wire the money today.",
      "Thanks[logo]",
      "",
    ].join("\n"),
  );
});

Deno.test("htmlToText() drops script and style content", () => {
  assert.equal(htmlToText("<style>p{}</style><script>evil()</script><p>kept</p>"), "kept\n");
});

Deno.test("htmlToText() survives 5000 nested elements", () => {
  assert.match(htmlToText(`${"<div>".repeat(5000)}deep${"</div>".repeat(5000)}`), /deep/);
});

Deno.test("plainText() prefers the text/plain part of an alternative and lists attachments", async () => {
  const m = await parseMessage(
    readFileSync(fixture("nodemailer_alternative_attachments.eml")),
  );
  const text = await plainText(m);
  assert.match(
    text,
    /^From: Andris Kreata <andris@kreata\.ee>\nSubject: Nodemailer is unicode friendly/,
  );
  assert.match(text, /^Hello to myself!$/m);
  assert.match(text, /^\[attachment: notes\.txt \(text\/plain, 29 bytes\)\]$/m);
  assert.ok(!text.includes("<p>"));
});

async function run(args: string[], name = BINARY) {
  const out = await new Deno.Command(name, { args, stdin: "null" }).output();
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
}

Deno.test("plainmail: the binary called by the name plainmail prints the text (busybox-style)", async () => {
  const site = makeSite();
  const link = join(site.root, "plainmail");
  symlinkSync(BINARY, link);
  const result = await run([fixture("html_newsletter.eml")], link);
  assert.equal(result.code, 0, result.stderr);
  assert.match(
    result.stdout,
    /^From: News <news@example.com>\nSubject: Weekly news\n\nThis week\n/,
  );
  assert.equal(
    (await run(["plainmail", fixture("html_newsletter.eml")])).stdout,
    result.stdout,
    "qmvc plainmail is the same",
  );
});

Deno.test("plainmail -e: exit 1 when the text matches, 0 when not (qmvc's badbodytexts convention)", async () => {
  assert.equal(
    (await run(["plainmail", "-e", "*wire*money*", fixture("html_newsletter.eml")])).code,
    1,
  );
  assert.equal((await run(["plainmail", "-e", "lottery", fixture("html_newsletter.eml")])).code, 0);
});

Deno.test("|qmvc -n with badbodytexts |plainmail -e: text hidden in HTML tags is still found", async () => {
  const site = makeSite();
  writeControl(site.system, "filters", "body=y\nnotify-recipient=n\n");
  // "wire the money" is split by <b> tags in the raw HTML, so only the text view matches.
  writeControl(site.system, "badbodytexts", `|${BINARY} plainmail -e *wire*the*money*\n`);
  const result = await deliverToSite(site, fixture("html_newsletter.eml"));
  assert.equal(result.code, 99, result.stderr);
});

Deno.test("plainmail -e: a pattern matches through soft hyphens and zero-width spaces", async () => {
  const file = fixture("body_invisible_characters.eml");
  assert.equal((await run(["plainmail", "-e", "*wire money*", file])).code, 1);
  assert.equal((await run(["plainmail", "-e", "*WIRE*MONEY*", file])).code, 1);
  assert.equal((await run(["plainmail", "-e", "*wire cash*", file])).code, 0);
});

Deno.test("plainmail prints the text of pages whose charset is only in <meta> (windows-1252, iso-8859-15)", async () => {
  const w1252 = await run(["plainmail", fixture("html_meta_charset_windows1252.eml")]);
  assert.match(
    w1252.stdout,
    /\n\u201cSpecial offer\u201d \u2013 only \u20ac 9\.99 for the caf\u00e9 voucher\.\n$/,
  );
  const i15 = await run(["plainmail", fixture("html_meta_charset_iso8859_15.eml")]);
  assert.match(i15.stdout, /\nMontant d\u00fb : 120 \u20ac, \u0153uvre n\u00b0 7, \u0160koda\.\n$/);
});

Deno.test("htmlToText() keeps a <pre> line of 100,000 blanks between two words", () => {
  const blanks = " ".repeat(100_000);
  assert.equal(htmlToText(`<pre>a${blanks}b\nc   \n</pre>`), `a${blanks}b\nc\n`);
});

Deno.test("plainmail writes a message's terminal escape sequences as text, never raw", async () => {
  const site = makeSite();
  const path = join(site.root, "escapes.eml");
  writeFileSync(path, "From: a@b.c\nSubject: x\n\nbefore \x1b]0;pwned\x07 \x1b[2J after\n");
  const { code, stdout } = await run(["plainmail", path]);
  assert.equal(code, 0);
  // deno-lint-ignore no-control-regex
  assert.doesNotMatch(stdout, /[\x1b\x07]/);
  assert.match(stdout, /before \\u\{001B\}\]0;pwned\\u\{0007\} \\u\{001B\}\[2J after/);
});
