import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { type Message, parseMessage } from "../../src/message/mod.ts";
import { fixture } from "../_helpers/qmail_local.ts";

async function parseFixture(name: string): Promise<Message> {
  return await parseMessage(readFileSync(fixture(name)));
}

function defects(message: Message): string[] {
  return message.defects.map((d) => `${d.code} ${d.part}: ${d.evidence}`);
}

Deno.test("parseMessage() finds nothing wrong with a well-formed message", async () => {
  const m = await parseFixture("clean_plain.eml");
  assert.deepEqual(defects(m), []);
  assert.equal(m.subject, "Minutes of Tuesday's meeting");
  assert.equal(m.messageId, "<20261124091244.4711@mail.example.net>");
  assert.equal(m.parts.length, 1);
  assert.equal(m.parts[0]?.path, "1");
});

Deno.test("parseMessage() reports a missing header/body separator and keeps the body", async () => {
  const m = await parseFixture("header_separator_missing.eml");
  assert.deepEqual(defects(m), [
    "HEADER_SEPARATOR_MISSING 0: body starts at line 4: This line starts the body without an empty line before it.",
  ]);
  assert.match(m.parts[0]?.text ?? "", /^This line starts the body/);
});

Deno.test("parseMessage() reports a multipart without boundary and keeps its body as a part", async () => {
  const m = await parseFixture("mime_boundary_missing.eml");
  assert.deepEqual(defects(m), ["MIME_BOUNDARY_MISSING 0: multipart/mixed"]);
  assert.equal(m.parts.length, 1);
  assert.equal(m.parts[0]?.complete, false);
});

Deno.test("parseMessage() reports a declared boundary that never appears", async () => {
  const m = await parseFixture("mime_boundary_unused.eml");
  assert.deepEqual(defects(m), ['MIME_BOUNDARY_UNUSED 0: boundary "declared" never appears']);
});

Deno.test("parseMessage() reports a multipart whose closing delimiter is missing", async () => {
  const m = await parseFixture("mime_multipart_unterminated.eml");
  assert.deepEqual(defects(m), ['MIME_MULTIPART_UNTERMINATED 0: no closing "--outer--"']);
  assert.equal(m.parts.length, 2);
});

Deno.test("parseMessage() reports an unknown transfer encoding", async () => {
  const m = await parseFixture("mime_encoding_unknown.eml");
  assert.deepEqual(defects(m), ["MIME_ENCODING_UNKNOWN 1: x-gzip64"]);
});

Deno.test("parseMessage() reports a duplicate From, a NUL and a bare CR", async () => {
  const m = await parseFixture("header_duplicate_nul_bare_cr.eml");
  assert.deepEqual(defects(m), [
    "HEADER_DUPLICATE 0: From",
    "MESSAGE_NUL_BYTE 0: 1 NUL byte(s), first at offset 109",
    "MESSAGE_BARE_CR 0: 1 bare CR(s)",
  ]);
});

Deno.test("parseMessage() reports a line over 998 octets", async () => {
  const m = await parseFixture("line_too_long.eml");
  assert.deepEqual(defects(m), [
    "LINE_TOO_LONG 0: 1 line(s) over 998 octets, first is line 5 (1200)",
  ]);
});

Deno.test("parseMessage() reports raw 8-bit header fields by name", async () => {
  const m = await parseFixture("header_8bit.eml");
  assert.deepEqual(defects(m), ["HEADER_8BIT 0: From, Subject"]);
  assert.equal(m.subject, "Gr\u00fc\u00dfe");
});

Deno.test("parseMessage() stops at 10 nested messages and still finds names below the limit", async () => {
  const m = await parseFixture("rfc822_nested_11_deep.eml");
  const deepest = "1.1.1.1.1.1.1.1.1.1.1";
  assert.deepEqual(defects(m), [
    `MESSAGE_NESTING_TOO_DEEP ${deepest}: more than 10 nested messages`,
  ]);
  assert.equal(m.parts.length, 1);
  assert.equal(m.parts[0]?.complete, false);
  assert.deepEqual(m.parts[0]?.hiddenNames, ["deep.exe"]);
  assert.equal(m.innerMessages.length, 10);
  assert.equal(m.innerMessages[0]?.subject, "level 1");
});

Deno.test("parseMessage() decodes a uuencoded file in a text body as its own part", async () => {
  const m = await parseFixture("uuencode_in_body.eml");
  const uu = m.parts.find((p) => p.origin === "uuencode");
  assert.equal(uu?.path, "1.uu1");
  assert.equal(uu?.filenameParam, "setup.exe");
  assert.deepEqual(uu?.content, new Uint8Array(readFileSync("tests/fixtures/bin/pe_exe.exe")));
});

Deno.test("parseMessage() decodes a yEnc block and reports it", async () => {
  const m = await parseFixture("yenc_in_body.eml");
  assert.deepEqual(defects(m), ["YENC_ENCODED 1.yenc1: hello.txt"]);
  assert.equal(new TextDecoder().decode(m.parts[1]?.content), "hello\n");
});

Deno.test("parseMessage() opens winmail.dat and lists the TNEF attachments as parts", async () => {
  const m = await parseFixture("tnef_winmail.eml");
  const tnef = m.parts.filter((p) => p.origin === "tnef").map((
    p,
  ) => [p.path, p.filenameParam, p.content.length]);
  assert.deepEqual(tnef, [["2.tnef1", "invoice.pdf.exe", 2048], ["2.tnef2", "notes.txt", 13]]);
});

Deno.test("parseMessage() joins RFC 2231 continuations and decodes their charset", async () => {
  const m = await parseFixture("attach_rfc2231_bidi_filename.eml");
  assert.equal(m.parts[1]?.filenameParam, "photo\u202egpj.scr");
});

Deno.test("parseMessage() decodes an encoded-word in a name parameter", async () => {
  const m = await parseFixture("attach_encoded_word_filename.eml");
  assert.equal(m.parts[1]?.nameParam, "scan.vbs");
});

Deno.test("parseMessage() parses only the first limits.maxMessageBytes and says so", async () => {
  const bytes = readFileSync(fixture("clean_plain.eml"));
  const m = await parseMessage(bytes, {
    limits: { ...(await import("../../src/message/mod.ts")).DEFAULT_LIMITS, maxMessageBytes: 100 },
  });
  assert.equal(m.size, bytes.length);
  assert.equal(m.defects[0]?.code, "MESSAGE_TOO_LARGE");
});

Deno.test("parseMessage() turns an empty message into a finding", async () => {
  const m = await parseMessage(new Uint8Array(0));
  assert.deepEqual(defects(m), ["MESSAGE_EMPTY 0: 0 bytes"]);
});

Deno.test("parseMessage() skips an mbox From_ line rather than reporting it", async () => {
  const m = await parseMessage(
    new TextEncoder().encode(
      "From alice@example.net Tue Nov 24 09:00:00 2026\nSubject: x\n\nbody\n",
    ),
  );
  assert.deepEqual(defects(m), []);
  assert.equal(m.subject, "x");
});

// Pathological shapes for the begin-line readers: each was quadratic with the former
// regular expressions (`(.+?)\s*$`). The tests assert what is found; bench/ times them.

const TEXT_HEAD = "From: a@example.net\nSubject: files\n\n";

Deno.test("parseMessage() reads a uuencode begin line whose name is followed by 300 KB of blanks", async () => {
  const uu = readFileSync(fixture("uuencode_in_body.eml"), "latin1");
  const padded = uu.replace("begin 644 setup.exe", `begin 644 setup.exe${" ".repeat(300_000)}`);
  const m = await parseMessage(new TextEncoder().encode(padded));
  const part = m.parts.find((p) => p.origin === "uuencode");
  assert.equal(part?.filenameParam, "setup.exe");
  assert.deepEqual(part?.content, new Uint8Array(readFileSync("tests/fixtures/bin/pe_exe.exe")));
});

Deno.test("parseMessage() reads 300 KB of begin lines as one unterminated file", async () => {
  const m = await parseMessage(
    new TextEncoder().encode(`${TEXT_HEAD}${"begin 644 x.exe\n".repeat(20_000)}`),
  );
  assert.deepEqual(m.parts.filter((p) => p.origin === "uuencode").map((p) => p.filenameParam), [
    "x.exe",
  ]);
  assert.deepEqual(defects(m), ["UUENCODE_UNTERMINATED 1.uu1: x.exe"]);
});

Deno.test("parseMessage() reads a =ybegin name followed by 300 KB of blanks", async () => {
  const body = `=ybegin line=128 size=1 name=a.exe${" ".repeat(300_000)}\n\x92\n=yend size=1\n`;
  const m = await parseMessage(new TextEncoder().encode(`${TEXT_HEAD}${body}`));
  assert.deepEqual(defects(m).filter((d) => d.startsWith("YENC")), ["YENC_ENCODED 1.yenc1: a.exe"]);
});

Deno.test("parseMessage() takes the last name= of a =ybegin line of 60,000 name= words", async () => {
  const body = `=ybegin ${"xname=".repeat(60_000)} name=b.exe\n\x92\n=yend size=1\n`;
  const m = await parseMessage(new TextEncoder().encode(`${TEXT_HEAD}${body}`));
  assert.deepEqual(defects(m).filter((d) => d.startsWith("YENC")), ["YENC_ENCODED 1.yenc1: b.exe"]);
});

Deno.test("parseMessage() inspects the multipart reading of a Content-Type with a control character", async () => {
  const m = await parseFixture("mime_content_type_control_char.eml");
  assert.deepEqual(m.parts.map((p) => [p.path, p.nameParam ?? ""]), [
    ["1", ""],
    ["1.alt.1", ""],
    ["1.alt.2", "invoice.pdf"],
  ]);
  assert.deepEqual(
    m.parts[2]?.content,
    new Uint8Array(readFileSync("tests/fixtures/bin/pe_exe.exe")),
  );
  assert.deepEqual(defects(m), [
    'CONTENT_TYPE_AMBIGUOUS 1: "\\x1cmultipart/mixed; boundary="----=_qmvc_fixture_differential"" reads as multipart/mixed; boundary="----=_qmvc_fixture_differential", which this body uses: both readings inspected',
  ]);
});

Deno.test("parseMessage() inspects the multipart reading of a second Content-Type field", async () => {
  const m = await parseFixture("mime_content_type_duplicate.eml");
  assert.deepEqual(m.parts.map((p) => p.path), ["1", "1.alt.1", "1.alt.2"]);
  assert.equal(m.parts[2]?.filenameParam, "invoice.pdf");
  assert.match(defects(m)[0] ?? "", /^CONTENT_TYPE_AMBIGUOUS 1: 2 Content-Type fields; /);
});

Deno.test("parseMessage() keeps the body of a nested multipart without a usable boundary, and reads it", async () => {
  const inner =
    'Content-Type: multipart/mixed;\x01 boundary="YY"\n\n--YY\nContent-Type: text/plain\n\n' +
    'hi\n--YY\nContent-Type: application/octet-stream; name="a.exe"\n\nMZ\n--YY--\n';
  const raw =
    "From: a@example.net\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=XX\n\n" +
    `--XX\nContent-Type: text/plain\n\nbody\n--XX\n${inner}--XX--\n`;
  const m = await parseMessage(new TextEncoder().encode(raw));
  assert.deepEqual(m.parts.map((p) => [p.path, p.nameParam ?? ""]), [
    ["1", ""],
    ["2", ""],
    ["2.alt.1", ""],
    ["2.alt.2", "a.exe"],
  ]);
  assert.deepEqual(defects(m).map((d) => d.split(":")[0]), [
    "MIME_BOUNDARY_MISSING 2",
    "CONTENT_TYPE_AMBIGUOUS 2",
  ]);
});

Deno.test("parseMessage() does not read text/plain mentioning a boundary line as a multipart", async () => {
  const raw =
    "From: a@example.net\nContent-Type: text/plain\n\n--XX\nContent-Type: text/html\n\nno\n--XX--\n";
  const m = await parseMessage(new TextEncoder().encode(raw));
  assert.deepEqual(m.parts.map((p) => p.path), ["1"]);
  assert.deepEqual(defects(m), []);
});

Deno.test("parseMessage() inspects a second Content-Type's boundary when the first one split", async () => {
  const raw = "From: a@example.net\nMIME-Version: 1.0\n" +
    "Content-Type: multipart/mixed; boundary=AA\nContent-Type: multipart/mixed; boundary=BB\n\n" +
    "--AA\nContent-Type: text/plain\n\nvisible\n--AA--\n" +
    '--BB\nContent-Type: application/octet-stream; name="hidden.exe"\n\nMZ\n--BB--\n';
  const m = await parseMessage(new TextEncoder().encode(raw));
  assert.deepEqual(m.parts.map((p) => [p.path, p.nameParam ?? ""]), [
    ["1", ""],
    ["0.alt.1", "hidden.exe"],
  ]);
  assert.match(defects(m).join("\n"), /^CONTENT_TYPE_AMBIGUOUS 0: 2 Content-Type fields; /m);
});

Deno.test("parseMessage() reports a message/partial fragment", async () => {
  const raw = "From: a@example.net\nMIME-Version: 1.0\n" +
    'Content-Type: message/partial; id="x@example.net"; number=2; total=3\n\nfragment\n';
  const m = await parseMessage(new TextEncoder().encode(raw));
  assert.deepEqual(defects(m), ["MESSAGE_PARTIAL 1: part 2 of 3"]);
  assert.equal(m.parts.length, 1);
});

Deno.test("parseMessage() finds the attachment of a multipart that reuses its parent's boundary", async () => {
  const raw =
    "From: a@example.net\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=XX\n\n" +
    "--XX\nContent-Type: text/plain\n\nhello\n--XX\nContent-Type: multipart/mixed; boundary=XX\n\n" +
    "--XX\nContent-Type: text/plain\n\ninner\n--XX\n" +
    'Content-Type: application/octet-stream; name="a.exe"\n\nMZ\n--XX--\n--XX--\n';
  const m = await parseMessage(new TextEncoder().encode(raw));
  assert.deepEqual(m.parts.map((p) => [p.path, p.nameParam ?? ""]), [
    ["1", ""],
    ["2.1", ""],
    ["2.2", "a.exe"],
  ]);
});

Deno.test("parseMessage() reads a megabyte Content-Type only so far, as MIME_HEADER_TOO_LONG", async () => {
  const name = "a".repeat(1024 * 1024);
  const message = await parseMessage(
    new TextEncoder().encode(
      "From: a@example.org\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n" +
        `--b\nContent-Type: text/plain\n\nhi\n--b\nContent-Type: application/octet-stream;\n name="${name}.exe"\n\nMZ\n--b--\n`,
    ),
  );
  const defect = message.defects.find((d) => d.code === "MIME_HEADER_TOO_LONG");
  assert.ok(defect, JSON.stringify(message.defects.map((d) => d.code)));
  assert.match(defect.evidence, /^Content-Type of \d+ bytes, read up to 16384$/);
  assert.equal(message.parts.length, 2);
  assert.ok((message.parts[1]!.nameParam ?? "").length < 16384);
});

Deno.test("parseMessage() caps a Content-Disposition written with blanks before its colon too", async () => {
  // postal-mime trims any blanks between a field's name and its colon: the cap must read
  // the name the same way, or a long field goes to postal-mime whole (979 KB: 149 MiB).
  const folded = Array.from({ length: 400 }, (_, i) => `;\n filename*${i}="${"a".repeat(70)}"`);
  for (const blanks of ["", " ", "        ", "\t \t \t \t \t \t "]) {
    const message = await parseMessage(
      new TextEncoder().encode(
        "From: a@example.org\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n" +
          `--b\nContent-Type: text/plain\n\nhi\n--b\nContent-Type: application/octet-stream\n` +
          `Content-Disposition${blanks}: attachment${
            folded.join("")
          };\n filename*400=".exe"\n\nMZ\n--b--\n`,
      ),
    );
    const defect = message.defects.find((d) => d.code === "MIME_HEADER_TOO_LONG");
    assert.ok(defect, `${JSON.stringify(blanks)}: ${message.defects.map((d) => d.code)}`);
    assert.match(defect.evidence, /^Content-Disposition of \d+ bytes, read up to 16384$/);
  }
});
