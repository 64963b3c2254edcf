/**
 * The parsed-control cache names the binary that parsed: the running program, not whatever
 * file its path holds by the time it looks (src/delivery/control_cache.ts). Its built-in
 * defaults are in the cache, so a cache keyed to another binary hands that binary
 * defaults it does not have.
 */
import assert from "node:assert/strict";
import {
  copyFileSync,
  existsSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  statSync,
} from "node:fs";
import { join } from "node:path";
import { BINARY, deliver, fixture, makeSite } from "../_helpers/qmail_local.ts";

const STRACE = "/usr/bin/strace";

Deno.test({
  name: "control cache: a binary replaced while a delivery starts does not get its cache",
  // strace holds the delivery's look at its own path for 4 s while the binary is replaced.
  ignore: !existsSync(STRACE),
  async fn() {
    const site = makeSite();
    const bin = join(site.root, "bin");
    Deno.mkdirSync(bin);
    const qmvc = join(bin, "qmvc");
    copyFileSync(BINARY, qmvc);
    Deno.chmodSync(qmvc, 0o755);
    const delivery = deliver({
      line: `${STRACE} -f -qq -o /dev/null -P ${qmvc} -e trace=statx,newfstatat ` +
        `-e inject=statx,newfstatat:delay_enter=4000000 qmvc -n`,
      message: fixture("clean_plain.eml"),
      home: site.home,
      binDir: bin,
      env: { QMVC_HOME: site.system },
    });
    // An upgrade lands while the delivery runs the old binary (once it runs, or after a
    // few seconds: a delivery that never stalls is done by then).
    for (let waited = 0; waited < 3000 && !running(qmvc); waited += 20) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    copyFileSync(BINARY, `${qmvc}.new`);
    Deno.chmodSync(`${qmvc}.new`, 0o755);
    renameSync(`${qmvc}.new`, qmvc);
    const result = await delivery;
    assert.equal(result.code, 0, result.stderr);

    const cacheFile = join(site.system, "cache", `control-${Deno.uid()}.json`);
    if (!existsSync(cacheFile)) return; // no cache at all is safe too
    const binaryLine = (JSON.parse(readFileSync(cacheFile, "utf8")).key as string).split("\n")[1];
    const installed = statSync(qmvc);
    assert.notEqual(
      binaryLine?.split(":").slice(0, 2).join(":"),
      `${installed.dev}:${installed.ino}`,
      "the old binary's cache is keyed to the binary installed after it started",
    );
  },
});

/** Whether a process runs the program at `path`. */
function running(path: string): boolean {
  return readdirSync("/proc").some((pid) => {
    try {
      return /^\d+$/.test(pid) && readlinkSync(`/proc/${pid}/exe`) === path;
    } catch {
      return false;
    }
  });
}
