import assert from "node:assert/strict";
import { closeSync, existsSync, mkdirSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";
import { formatLogRecord } from "../../src/log/mod.ts";
import { BINARY, makeSite } from "../_helpers/qmail_local.ts";

/** Write `count` log lines in chunks, like a busy host's year in miniature. */
function bigLog(dir: string, count: number): void {
  mkdirSync(join(dir, "log"), { recursive: true });
  const fd = openSync(join(dir, "log/qmvc.log"), "w");
  const start = Date.parse("2026-01-01T00:00:00Z");
  for (let i = 0; i < count; i += 10_000) {
    let chunk = "";
    for (let j = i; j < Math.min(count, i + 10_000); j++) {
      chunk += formatLogRecord({
        time: new Date(start + j * 60_000),
        pid: j,
        verdict: j % 9 ? "pass" : "quarantine",
        conditions: j % 9 ? [] : ["badfilename"],
        sender: `s${j % 50}@example.net`,
        recipient: `r${j % 20}@example.org`,
        messageId: `<${j}@example.net>`,
        size: 2000,
        parts: 1,
        scans: [],
        milliseconds: 9,
      });
    }
    writeSync(fd, chunk);
  }
  closeSync(fd);
}

Deno.test({
  name:
    "qmvc log2html on a terminal shows progress while streaming 250 000 lines; under cron it is quiet",
  ignore: !existsSync("/usr/bin/script"),
  fn: async () => {
    const site = makeSite();
    bigLog(site.system, 250_000);
    const out = join(site.root, "log.html");
    // script(1) gives the command a terminal, as an admin running it by hand has.
    const tty = await new Deno.Command("/usr/bin/script", {
      args: ["-qec", `${BINARY} log2html --limit 100 --out ${out}`, "/dev/null"],
      env: { QMVC_HOME: site.system },
    }).output();
    assert.equal(tty.code, 0);
    const shown = new TextDecoder().decode(tty.stdout);
    assert.match(shown, /qmvc\.log: 100,000 lines/);
    assert.match(shown, /qmvc\.log: 200,000 lines/);
    const cron = await new Deno.Command(BINARY, {
      args: ["log2html", "--limit", "100", "--out", out],
      env: { QMVC_HOME: site.system },
      stdin: "null",
    }).output();
    assert.equal(cron.code, 0);
    assert.equal(new TextDecoder().decode(cron.stderr), "");
    assert.equal(new TextDecoder().decode(cron.stdout), "");
  },
});
