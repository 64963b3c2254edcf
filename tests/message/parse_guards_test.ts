/**
 * The cheap guards in front of the header-conflict, other-reading and embedded-file checks
 * (mayConflict, mayReadOtherwise, mayHoldEmbeddedFiles) and checkHeader's evidence: each
 * case is one a guard could wrongly wave through, with the defect the full check gives.
 */
import assert from "node:assert/strict";
import { type Message, parseMessage } from "../../src/message/mod.ts";

const HEAD = "From: a@example.net\nTo: b@example.org\nDate: Mon, 1 Jan 2024 00:00:00 +0000\n";

async function parse(text: string): Promise<Message> {
  return await parseMessage(Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff));
}

function defects(message: Message, code?: string): string[] {
  return message.defects.filter((d) => code === undefined || d.code === code)
    .map((d) => `${d.code} ${d.part}: ${d.evidence}`);
}

function multipart(part: string): string {
  return `${HEAD}MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=OUT\n\n` +
    `--OUT\n${part}--OUT--\n`;
}

Deno.test("a filename given twice in Content-Disposition alone is a header conflict", async () => {
  const m = await parse(multipart(
    "Content-Type: application/octet-stream\n" +
      "Content-Disposition: attachment; filename=a.txt; filename=b.exe\n\nMZ\n",
  ));
  assert.deepEqual(defects(m, "MIME_HEADER_CONFLICT"), [
    'MIME_HEADER_CONFLICT 1: content-disposition filename: "a.txt" / "b.exe"',
  ]);
});

Deno.test("two Content-Disposition or Content-Transfer-Encoding fields conflict only when they differ", async () => {
  const twoDispositions = await parse(multipart(
    "Content-Type: text/plain\nContent-Disposition: inline\nContent-Disposition: attachment\n\nx\n",
  ));
  assert.deepEqual(defects(twoDispositions, "MIME_HEADER_CONFLICT"), [
    "MIME_HEADER_CONFLICT 1: content-disposition: inline / attachment",
  ]);
  const sameEncoding = await parse(multipart(
    "Content-Type: text/plain\nContent-Transfer-Encoding: 7bit\nContent-Transfer-Encoding: 7BIT\n\nx\n",
  ));
  assert.deepEqual(defects(sameEncoding, "MIME_HEADER_CONFLICT"), []);
  const twoEncodings = await parse(multipart(
    "Content-Type: text/plain\nContent-Transfer-Encoding: 7bit\nContent-Transfer-Encoding: base64\n\nTVo=\n",
  ));
  assert.deepEqual(defects(twoEncodings, "MIME_HEADER_CONFLICT"), [
    "MIME_HEADER_CONFLICT 1: content-transfer-encoding: 7bit / base64",
  ]);
});

Deno.test("a leaf's second Content-Type in capitals that reads as a used multipart is ambiguous", async () => {
  const m = await parse(multipart(
    "Content-Type: text/plain\nContent-Type: MULTIPART/Mixed; boundary=IN\n\n" +
      "--IN\nContent-Type: application/octet-stream; name=evil.exe\n\nMZ\n--IN--\n",
  ));
  assert.deepEqual(defects(m, "CONTENT_TYPE_AMBIGUOUS"), [
    'CONTENT_TYPE_AMBIGUOUS 1: 2 Content-Type fields; "MULTIPART/Mixed; boundary=IN" reads as ' +
    'multipart/mixed; boundary="IN", which this body uses: both readings inspected',
  ]);
  assert.ok(m.parts.some((p) => p.path === "1.alt.1" && p.nameParam === "evil.exe"));
});

Deno.test("a Content-Type that spells multipart only once a control character is dropped is ambiguous", async () => {
  // "multi\x01part": the word is not in the field, only in the reading without controls.
  const m = await parse(multipart(
    "Content-Type: multi\x01part/mixed; boundary=IN\n\n" +
      "--IN\nContent-Type: application/octet-stream; name=evil.exe\n\nMZ\n--IN--\n",
  ));
  assert.equal(defects(m, "CONTENT_TYPE_AMBIGUOUS").length, 1);
  assert.ok(m.parts.some((p) => p.path === "1.alt.1" && p.nameParam === "evil.exe"));
});

Deno.test("duplicate and 8-bit header fields are named once each, as first written, in order", async () => {
  const m = await parse(
    `${HEAD}subject: one\nX-A: caf\xe9\nSubject: two\nx-a: caf\xe9\nX-B: \xe9\nX-A: \xe9\n` +
      "Message-ID: <a@b>\nMESSAGE-ID: <c@d>\n\nbody\n",
  );
  assert.deepEqual(defects(m, "HEADER_8BIT"), ["HEADER_8BIT 0: X-A, x-a, X-B"]);
  assert.deepEqual(defects(m, "HEADER_DUPLICATE"), ["HEADER_DUPLICATE 0: subject, Message-ID"]);
});

Deno.test("uuencode and yEnc blocks are taken from text parts only where a line starts them", async () => {
  const m = await parse(multipart(
    "Content-Type: text/html\n\n<p>x</p>\nbegin 644 evil.exe\n#34V\n`\nend\n" +
      "--OUT\nContent-Type: text/plain\n\n=ybegin line=128 size=3 name=a.exe\nabc\n=yend size=3\n" +
      "--OUT\nContent-Type: text/plain\n\nsee begin 644 not.exe\n",
  ));
  assert.deepEqual(
    m.parts.filter((p) => p.origin !== "mime").map((p) => `${p.path} ${p.filenameParam}`),
    ["1.uu1 evil.exe", "2.yenc1 a.exe"],
  );
});
