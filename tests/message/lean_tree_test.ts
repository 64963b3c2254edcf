/**
 * leanMimeTree() must build the tree postal-mime builds, node for node and byte for
 * byte: checked on every fixture and every corpus message, and on shapes chosen to
 * reach every corner of postal-mime's line reader and decoders.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { leanMimeTree } from "../../src/message/_lean_tree.ts";
import { type MimeNodeView, parseMimeTree } from "../../src/message/_postal_tree.ts";
import { DEFAULT_LIMITS } from "../../src/message/mod.ts";
import { everyMessageFile } from "../_helpers/message_files.ts";

/** Everything the parse reads of a tree, as plain data, children included. */
function view(tree: MimeNodeView): unknown {
  let text: string;
  try {
    text = tree.getTextContent();
  } catch (error) {
    text = `throws ${error}`;
  }
  return {
    contentType: tree.contentType,
    contentTransferEncoding: tree.contentTransferEncoding,
    contentDisposition: tree.contentDisposition,
    headers: tree.headers.map((h) => ({ key: h.key, originalKey: h.originalKey, value: h.value })),
    content: tree.content === null ? null : new Uint8Array(tree.content),
    text,
    childNodes: tree.childNodes.map(view),
  };
}

const limits = {
  maxNestingDepth: DEFAULT_LIMITS.maxMimeDepth,
  maxHeadersSize: DEFAULT_LIMITS.maxHeaderBytes,
};
const lean = { ...limits, maxNodes: 2 * DEFAULT_LIMITS.maxParts };

async function same(bytes: Uint8Array, what: string): Promise<void> {
  const ours = await leanMimeTree(bytes, lean).then((t) => view(t.root), (e) => `${e}`);
  const theirs = await parseMimeTree(bytes, limits).then(view, (e) => `${e}`);
  assert.deepEqual(ours, theirs, what);
}

Deno.test("leanMimeTree() builds postal-mime's tree for every fixture and corpus message", async () => {
  const sources = everyMessageFile();
  assert.ok(sources.length >= 50, `only ${sources.length} messages found`);
  for (const path of sources) await same(new Uint8Array(readFileSync(path)), path);
});

const HEAD = "From: a@example.org\r\nMIME-Version: 1.0\r\n";
const SHAPES: readonly (readonly [string, string])[] = [
  ["an empty message", ""],
  ["a header without body or line end", "Subject: x"],
  ["a body without a final line end", `${HEAD}\r\nline one\r\nline two`],
  ["trailing and inner CRs", `${HEAD}\nCR\r\r\ninner\rCR\r\n\r\r\n`],
  [
    "base64 with padding inside, junk and a lone character",
    `${HEAD}Content-Transfer-Encoding: base64\n\naGk=aGk\n=a GV*sbG8\n-_!x\nQ\n`,
  ],
  ["base64 ending in a group of three", `${HEAD}Content-Transfer-Encoding: BASE64\n\naGVsbG8\n`],
  [
    "quoted-printable with soft breaks and bad escapes",
    `${HEAD}Content-Transfer-Encoding: quoted-printable\n\na=3Db=\nc=ZZ=4\n=\n=e9=E9 x=\r\nend`,
  ],
  [
    "nested multiparts with preambles and epilogues",
    `${HEAD}Content-Type: multipart/mixed; boundary=out\n\npreamble\n--out\n` +
    `Content-Type: multipart/alternative; boundary="in"\n\ninner preamble\n--in\n\none\n` +
    `--in  \t\nContent-Transfer-Encoding: base64\n\naGk=\n--in--\ninner epilogue\n` +
    `--out\nContent-Transfer-Encoding: quoted-printable\n\nq=3D\n--out--\nepilogue\n--out\n`,
  ],
  [
    "boundary look-alikes",
    `${HEAD}Content-Type: multipart/mixed; boundary=b\n\n--b\n\n--bx\n--b x\n---b\n--\n--b--x\n--b--\n`,
  ],
  ["an unterminated multipart", `${HEAD}Content-Type: multipart/mixed; boundary=b\n\n--b\n\nopen`],
  [
    "a multipart whose boundary never appears",
    `${HEAD}Content-Type: multipart/mixed; boundary=z\n\nx\n`,
  ],
  [
    "a digest",
    `${HEAD}Content-Type: multipart/digest; boundary=d\n\n--d\n\nSubject: in\n\nbody\n--d--\n`,
  ],
];

for (const [what, text] of SHAPES) {
  Deno.test(`leanMimeTree() builds postal-mime's tree for ${what}`, async () => {
    await same(new TextEncoder().encode(text), what);
  });
}

Deno.test("leanMimeTree() builds postal-mime's tree for every byte value in every encoding", async () => {
  const all = new Uint8Array(256 * 3);
  for (let i = 0; i < all.length; i++) all[i] = i % 256;
  for (const encoding of ["7bit", "base64", "quoted-printable"]) {
    const head = new TextEncoder().encode(`${HEAD}Content-Transfer-Encoding: ${encoding}\n\n`);
    const bytes = new Uint8Array(head.length + all.length);
    bytes.set(head);
    bytes.set(all, head.length);
    await same(bytes, encoding);
  }
});

Deno.test("leanMimeTree() stops following the structure after maxNodes parts", async () => {
  const bytes = new TextEncoder().encode(
    `${HEAD}Content-Type: multipart/mixed; boundary=b\n\n${"--b\n\n".repeat(50)}--b--\n`,
  );
  const tree = await leanMimeTree(bytes, { ...limits, maxNodes: 10 });
  assert.equal(tree.cut, true);
  assert.equal(tree.root.childNodes.length, 9);
});

Deno.test("leanMimeTree() reads a separate header as if it stood in front of the bytes", async () => {
  const head = new TextEncoder().encode('Content-Type: multipart/mixed; boundary="b"\r\n\r\n');
  const body = new TextEncoder().encode(
    "--b\nContent-Transfer-Encoding: base64\n\naGk=\n--b\n\ntext\n--b--\n",
  );
  const joined = new Uint8Array(head.length + body.length);
  joined.set(head);
  joined.set(body, head.length);
  assert.deepEqual(
    view((await leanMimeTree(body, lean, head)).root),
    view(await parseMimeTree(joined, limits)),
  );
});

Deno.test("passLines() of one range without CRs equals its lines each ended by LF, last line ended or not", async () => {
  const { passLines } = await import("../../src/message/_body_lines.ts");
  const byLines = (text: string) =>
    text.split("\n").slice(0, text.endsWith("\n") ? -1 : undefined).map((l) => `${l}\n`).join("");
  for (const text of ["a\nbc\n", "a\nbc", "x", "\n", "\n\nlast", "one line\n\n"]) {
    const bytes = new TextEncoder().encode(`head\n${text}tail`);
    const out = passLines(bytes, [5, 5 + text.length]);
    assert.equal(new TextDecoder().decode(out), byLines(text), JSON.stringify(text));
  }
});
