/**
 * The binary reads no runtime configuration from the directory it runs in: qmail-local
 * runs it in the delivering user's $HOME, where a `.env` or `bunfig.toml` must neither
 * set its environment nor make it load code (and scanning the directories above $HOME
 * for them cost every delivery milliseconds on a host with many homes).
 */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { deliver, fixture, makeSite, readLogLines } from "../_helpers/qmail_local.ts";

Deno.test("|qmvc -n ignores a .env and a bunfig.toml in $HOME", async () => {
  const site = makeSite();
  const canary = join(site.root, "preloaded");
  writeFileSync(join(site.home, ".env"), `QMVC_HOME=${join(site.root, "elsewhere")}\n`);
  writeFileSync(
    join(site.home, "preload.js"),
    `require("fs").writeFileSync(${JSON.stringify(canary)}, "x");\n`,
  );
  writeFileSync(join(site.home, "bunfig.toml"), 'preload = ["./preload.js"]\n');
  const result = await deliver({
    line: "qmvc -n",
    message: fixture("clean_plain.eml"),
    home: site.home,
    env: { QMVC_HOME: site.system },
  });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(readLogLines(site.system).length, 1);
  assert.throws(() => Deno.statSync(canary));
});
