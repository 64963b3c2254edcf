import assert from "node:assert/strict";
import { parseMimeTree } from "../../src/message/_postal_tree.ts";

Deno.test("parseMimeTree() still reaches postal-mime's internal tree (pinned version)", async () => {
  const bytes = new TextEncoder().encode(
    'Content-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: text/plain; name="a.txt"\n\nhi\n--b--\n',
  );
  const root = await parseMimeTree(bytes, { maxNestingDepth: 10, maxHeadersSize: 10_000 });
  assert.equal(root.contentType.multipart, "mixed");
  assert.equal(root.childNodes.length, 1);
  const child = root.childNodes[0]!;
  assert.equal(child.contentType.parsed.params["name"], "a.txt");
  assert.equal(child.getTextContent(), "hi\n");
  assert.ok(child.content instanceof ArrayBuffer);
});
