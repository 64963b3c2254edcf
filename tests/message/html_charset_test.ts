import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { parseMessage } from "../../src/message/mod.ts";
import { fixture } from "../_helpers/qmail_local.ts";

async function htmlText(bytes: Uint8Array): Promise<string | undefined> {
  const message = await parseMessage(bytes);
  return message.parts.find((p) => p.declaredType === "text/html")?.text;
}

function html(contentType: string, body: readonly number[] | string): Uint8Array {
  const head = new TextEncoder().encode(`Subject: x\nContent-Type: ${contentType}\n\n`);
  const tail = typeof body === "string" ? new TextEncoder().encode(body) : Uint8Array.from(body);
  const bytes = new Uint8Array(head.length + tail.length);
  bytes.set(head);
  bytes.set(tail, head.length);
  return bytes;
}

Deno.test("parseMessage() decodes an HTML part by <meta http-equiv> when MIME names no charset (windows-1252)", async () => {
  const text = await htmlText(readFileSync(fixture("html_meta_charset_windows1252.eml")));
  assert.match(text ?? "", /\u201cSpecial offer\u201d \u2013 only \u20ac 9\.99 for the caf\u00e9/);
});

Deno.test("parseMessage() decodes an HTML part by <meta charset> when MIME names no charset (iso-8859-15)", async () => {
  const text = await htmlText(readFileSync(fixture("html_meta_charset_iso8859_15.eml")));
  assert.match(text ?? "", /Montant d\u00fb : 120 \u20ac, \u0153uvre n\u00b0 7, \u0160koda\./);
});

Deno.test("parseMessage() lets the MIME charset win over a <meta> charset", async () => {
  const bytes = html("text/html; charset=iso-8859-1", [
    ...new TextEncoder().encode('<meta charset="iso-8859-15">'),
    0xa4,
  ]);
  assert.equal((await htmlText(bytes))?.trimEnd(), '<meta charset="iso-8859-15">\u00a4');
});

Deno.test("parseMessage() lets a byte order mark win over the MIME charset", async () => {
  const bytes = html("text/html; charset=iso-8859-1", [0xef, 0xbb, 0xbf, 0xe2, 0x82, 0xac]);
  assert.equal((await htmlText(bytes))?.trimEnd(), "\u20ac");
});

Deno.test("parseMessage() takes a <meta> charset only from the first 1024 bytes", async () => {
  const late = html("text/html", [
    ...new TextEncoder().encode(`${" ".repeat(1100)}<meta charset="iso-8859-15">`),
    0xa4,
  ]);
  assert.ok(!(await htmlText(late))?.trimEnd().endsWith("\u20ac"));
});

Deno.test("parseMessage() skips a <meta> inside a comment when it looks for the charset", async () => {
  const bytes = html("text/html", [
    ...new TextEncoder().encode('<!-- <meta charset="koi8-r"> --><meta charset="iso-8859-15">'),
    0xa4,
  ]);
  assert.ok((await htmlText(bytes))?.trimEnd().endsWith("\u20ac"));
});

Deno.test("parseMessage() looks for <meta> when the MIME charset is a label no decoder knows", async () => {
  const bytes = html("text/html; charset=x-bogus-charset", [
    ...new TextEncoder().encode('<meta charset="iso-8859-15">'),
    0xa4,
  ]);
  assert.ok((await htmlText(bytes))?.trimEnd().endsWith("\u20ac"));
});
