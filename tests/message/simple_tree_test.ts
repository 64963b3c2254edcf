/**
 * The fast path (simpleMimeTree) must build, for every message it takes, the tree
 * postal-mime builds: checked on every fixture and every corpus message, as the parse
 * sees them. A message it is unsure of it must leave to postal-mime.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { type MimeNodeView, parseMimeTree } from "../../src/message/_postal_tree.ts";
import { readRawHeader } from "../../src/message/_raw_header.ts";
import { simpleMimeTree } from "../../src/message/_simple_tree.ts";
import { DEFAULT_LIMITS } from "../../src/message/mod.ts";
import { everyMessageFile } from "../_helpers/message_files.ts";

/** What the parse reads of a tree, as plain data. */
function view(tree: MimeNodeView) {
  return {
    childNodes: tree.childNodes.length,
    contentType: tree.contentType,
    contentTransferEncoding: tree.contentTransferEncoding,
    contentDisposition: tree.contentDisposition,
    headers: tree.headers.map((h) => ({ key: h.key, originalKey: h.originalKey, value: h.value })),
    content: new Uint8Array(tree.content ?? new ArrayBuffer(0)),
    text: tree.getTextContent(),
  };
}

const limits = {
  maxNestingDepth: DEFAULT_LIMITS.maxMimeDepth,
  maxHeadersSize: DEFAULT_LIMITS.maxHeaderBytes,
};
const SOURCES = everyMessageFile();

Deno.test("simpleMimeTree() builds postal-mime's tree for every message it takes, on every fixture and corpus message", async () => {
  let taken = 0;
  for (const path of SOURCES) {
    const bytes = new Uint8Array(readFileSync(path));
    const raw = readRawHeader(bytes, DEFAULT_LIMITS.maxHeaderBytes);
    const simple = simpleMimeTree(bytes, raw, DEFAULT_LIMITS.maxHeaderBytes);
    if (!simple) continue;
    taken++;
    assert.deepEqual(view(simple), view(await parseMimeTree(bytes, limits)), path);
  }
  assert.ok(taken >= 20, `the fast path took only ${taken} messages`);
});

for (
  const [why, raw] of [
    ["a multipart", "Content-Type: multipart/mixed; boundary=b\n\n--b\n\nx\n--b--\n"],
    ["base64", "Content-Transfer-Encoding: base64\n\naGk=\n"],
    ["quoted-printable", "Content-Transfer-Encoding: quoted-printable\n\nhi=\n"],
    ["an attachment", "Content-Disposition: attachment; filename=x.exe\n\nMZ\n"],
    ["a name parameter", "Content-Type: text/plain; name=x.exe\n\nMZ\n"],
    ["an HTML part", "Content-Type: text/html\n\n<p>hi</p>\n"],
    [
      "two Content-Type fields",
      "Content-Type: text/plain\nContent-Type: multipart/mixed; boundary=b\n\n--b\n",
    ],
    ["no empty line after the header", "Subject: x\nnot a header line\n"],
  ] as const
) {
  Deno.test(`simpleMimeTree() leaves ${why} to postal-mime`, () => {
    const bytes = new TextEncoder().encode(`From: a@example.org\n${raw}`);
    const header = readRawHeader(bytes, DEFAULT_LIMITS.maxHeaderBytes);
    assert.equal(simpleMimeTree(bytes, header, DEFAULT_LIMITS.maxHeaderBytes), undefined);
  });
}
