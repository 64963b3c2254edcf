/**
 * postal-mime loads only when a message needs it (src/message/_postal_module.ts). A
 * delivery starts without it, so every message the simple path takes is checked in a
 * process of its own, where nothing has loaded postal-mime before it, and compared with
 * the same message checked after a MIME message has loaded it: the same parts, findings
 * and verdict, encoded words and address fields included.
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readRawHeader } from "../../src/message/_raw_header.ts";
import { simpleMimeTree } from "../../src/message/_simple_tree.ts";
import { DEFAULT_LIMITS } from "../../src/message/mod.ts";
import { FIXTURES, REPO, runQmvc } from "../_helpers/qmail_local.ts";
import { tempDir } from "../_helpers/temp_dirs.ts";
import { messageFiles } from "../_helpers/message_files.ts";

const takesSimplePath = (path: string): boolean => {
  const bytes = new Uint8Array(readFileSync(path));
  const raw = readRawHeader(bytes, DEFAULT_LIMITS.maxHeaderBytes);
  return simpleMimeTree(bytes, raw, DEFAULT_LIMITS.maxHeaderBytes) !== undefined;
};

async function checkJson(...paths: string[]): Promise<unknown[]> {
  const { code, stdout, stderr } = await runQmvc(["check", "--json", ...paths], {
    QMVC_HOME: "/nonexistent",
  });
  assert.equal(code, 0, stderr);
  return JSON.parse(stdout).messages;
}

Deno.test("qmvc check: a message parsed before postal-mime is loaded reads as one parsed after", async () => {
  const dir = tempDir("qmvc-lazy-postal-");
  // Plain messages that need postal-mime for their header alone.
  const plain = "Date: Tue, 24 Nov 2026 09:12:44 +0100\r\nMessage-ID: <p@example.net>\r\n";
  const made = {
    "encoded-subject.eml": `From: a@example.net\r\nTo: b@example.org\r\n${plain}` +
      "Subject: =?utf-8?q?Caf=C3=A9_=E2=82=AC?=\r\n\r\nbody\r\n",
    "quoted-from.eml": `From: "Doe, John" <j@example.net>\r\nTo: undisclosed-recipients:;\r\n` +
      `Cc: x@y (comment), bad address\r\n${plain}Subject: s\r\n\r\nbody\r\n`,
    "encoded-from.eml": `From: =?iso-8859-1?q?J=F6rg?= <j@example.net>\r\nTo: b@example.org\r\n` +
      `${plain}Subject: s\r\n\r\nbody =?in the text?= too\r\n`,
  };
  for (const [name, text] of Object.entries(made)) writeFileSync(join(dir, name), text);
  const all = [
    ...messageFiles(FIXTURES),
    ...messageFiles(join(REPO, "samples")),
    ...messageFiles(dir),
  ];
  const simple = all.filter(takesSimplePath);
  const mime = all.find((p) => !takesSimplePath(p))!;
  assert.ok(simple.length >= 10, `${simple.length}`);
  const afterMime = (await checkJson(mime, ...simple)).slice(1);
  for (const [i, path] of simple.entries()) {
    assert.deepEqual(await checkJson(path), [afterMime[i]], path);
  }
  const subjects = (afterMime as { file: string; subject: string }[])
    .filter((m) => m.file.startsWith(dir)).map((m) => m.subject);
  assert.deepEqual(subjects, ["s", "Caf\u00e9 \u20ac", "s"]); // encoded-from, encoded-subject, quoted-from
});
