import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { injectMail } from "../../src/act/mod.ts";
import { tempDir } from "../_helpers/temp_dirs.ts";

function recorder(): { argv: string[]; file: string; read: () => string[] } {
  const dir = tempDir();
  const file = join(dir, "argv");
  const script = join(dir, "record.sh");
  writeFileSync(script, `#!/bin/sh\nprintf '%s\\n' "$@" > ${file}\ncat > /dev/null\n`, {
    mode: 0o755,
  });
  return { argv: [script], file, read: () => readFileSync(file, "utf8").split("\n").slice(0, -1) };
}

Deno.test("injectMail() ends qmail-inject's options with -- before the recipients", async () => {
  const r = recorder();
  const failure = await injectMail(
    { argv: r.argv, source: "test" },
    ["-hfbounce@example.org"],
    new Uint8Array(),
    {},
  );
  assert.equal(failure, undefined);
  assert.deepEqual(r.read(), ["-f", "", "-a", "--", "-hfbounce@example.org"]);
});

Deno.test("injectMail() runs nothing for a recipient that is not one mailbox", async () => {
  const r = recorder();
  const failure = await injectMail(
    { argv: r.argv, source: "test" },
    ["bob@example.org", "x@a.example, y@b.example"],
    new Uint8Array(),
    {},
  );
  assert.equal(failure, 'not one mailbox, not passed on: "x@a.example, y@b.example"');
  assert.throws(() => readFileSync(r.file));
});
