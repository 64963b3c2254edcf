/** AV scanning through the binary, as qmail-local runs it, with real ClamAV. */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseLogRecord } from "../../src/log/mod.ts";
import { base64Lines, BIN_FIXTURES } from "../_helpers/eml_builder.ts";
import { CLAMSCAN, EICAR, HAVE_CLAMAV, startClamd, writeSignatureDb } from "../_helpers/clamav.ts";
import {
  ACTION_EXIT,
  BINARY,
  deliver,
  listMaildir,
  makeSite,
  readInjected,
  readLogLines,
  useTestInjector,
  writeControl,
} from "../_helpers/qmail_local.ts";

const HEAD =
  "From: a@example.net\nTo: bob@example.org\nDate: Wed, 25 Nov 2026 08:00:00 +0000\nMessage-ID: <v@example.net>\n";
const EICAR_ATTACHMENT =
  `${HEAD}Subject: invoice\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n` +
  `--b\nContent-Type: text/plain\n\nsee attachment\n--b\nContent-Type: application/octet-stream; name="invoice.pdf"\n` +
  `Content-Transfer-Encoding: base64\n\n${base64Lines(new TextEncoder().encode(EICAR))}\n--b--\n`;
const CLEAN = `${HEAD}Subject: hello\n\nnothing here\n`;
/** A complete PNG made by netpbm (scripts/make_fixtures.sh): IEND is its last chunk. */
const PNG = new Uint8Array(readFileSync(join(BIN_FIXTURES, "image_png.png")));
const pictureMessage = (bytes: Uint8Array): string =>
  `${HEAD}Subject: photo\nMIME-Version: 1.0\nContent-Type: image/png; name="p.png"\n` +
  `Content-Transfer-Encoding: base64\n\n${base64Lines(bytes)}\n`;
const PNG_WITH_EICAR = pictureMessage(new Uint8Array([...PNG, ...new TextEncoder().encode(EICAR)]));
const IMAGE_ONLY = pictureMessage(PNG);

const ignore = !HAVE_CLAMAV;
const clamd = HAVE_CLAMAV ? await startClamd() : undefined;

function siteWith(scanners: string, filters = "notify-recipient=n\n") {
  const site = makeSite();
  writeControl(site.system, "scanners", scanners);
  writeControl(site.system, "filters", filters);
  return site;
}

async function run(site: ReturnType<typeof makeSite>, raw: string, line = "qmvc -n") {
  const path = join(site.root, `m${Math.random().toString(36).slice(2)}.eml`);
  writeFileSync(path, raw);
  return await deliver({ line, message: path, home: site.home, env: { QMVC_HOME: site.system } });
}

const opts = { ignore, sanitizeResources: false, sanitizeOps: false };

Deno.test({
  ...opts,
  name: "|qmvc -n with clamd: an EICAR attachment is quarantined as virus (99) and logged",
  fn: async () => {
    const site = siteWith(`clamd endpoint=${clamd!.socket}\n`);
    const result = await run(site, EICAR_ATTACHMENT);
    assert.equal(result.code, 99, result.stderr);
    const record = parseLogRecord(readLogLines(site.system)[0]!);
    assert.deepEqual(record.conditions, ["virus"]);
    assert.deepEqual(record.scans, [{
      scanner: "clamd",
      outcome: "infected",
      detail: "Qmvc-Test-EICAR.UNOFFICIAL",
    }]);
    assert.equal(listMaildir(join(site.system, "quarantine")).length, 1);
  },
});

Deno.test({
  ...opts,
  name: "|qmvc -n with clamd and clamscan: both run and both are logged",
  fn: async () => {
    const db = writeSignatureDb();
    const site = siteWith(
      `clamd endpoint=${clamd!.socket}\nclamscan path=${CLAMSCAN} -- -d ${db}\n`,
    );
    const result = await run(site, EICAR_ATTACHMENT);
    assert.equal(result.code, 99, result.stderr);
    const scans = parseLogRecord(readLogLines(site.system)[0]!).scans;
    assert.deepEqual(scans.map((s) => `${s.scanner}:${s.outcome}`), [
      "clamd:infected",
      "clamscan:infected",
    ]);
  },
});

Deno.test({
  ...opts,
  name: "|qmvc -n with clamd: a clean message passes (0) with clamd:clean in the log",
  fn: async () => {
    const site = siteWith(`clamd endpoint=${clamd!.socket}\n`);
    const result = await run(site, CLEAN);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(parseLogRecord(readLogLines(site.system)[0]!).scans, [{
      scanner: "clamd",
      outcome: "clean",
      detail: "",
    }]);
  },
});

Deno.test({
  name: "|qmvc -n with clamd down: the message is deferred (111), never passed unscanned",
  fn: async () => {
    const site = siteWith("clamd endpoint=/nonexistent/clamd.sock timeout=5\n");
    const result = await run(site, CLEAN);
    assert.equal(result.code, 111);
    assert.match(
      result.stderr,
      /^qmvc: Scanner clamd failed: clamd: no clamd reachable .* \(#4\.3\.0\)\n$/,
    );
    const record = parseLogRecord(readLogLines(site.system)[0]!);
    assert.equal(record.verdict, "defer");
    assert.equal(record.scans[0]?.outcome, "failed");
  },
});

Deno.test({
  name: "|qmvc -n with clamd down and scanfail=pass: the message passes and the failure is logged",
  fn: async () => {
    const site = siteWith("clamd endpoint=/nonexistent/clamd.sock timeout=5\n", "scanfail=pass\n");
    const result = await run(site, CLEAN);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(parseLogRecord(readLogLines(site.system)[0]!).scans[0]?.outcome, "failed");
  },
});

Deno.test({
  name:
    "|qmvc -n: an image-only message is not scanned (noscantypes), so a dead clamd cannot defer it",
  fn: async () => {
    const site = siteWith("clamd endpoint=/nonexistent/clamd.sock timeout=5\n");
    assert.equal((await run(site, IMAGE_ONLY, "qmvc -n")).code, 0);
    assert.equal(
      (await run(site, IMAGE_ONLY, "qmvc")).code,
      111,
      "without -n every part is scanned",
    );
  },
});

Deno.test({
  ...opts,
  name:
    "|qmvc -n: the same message to 3 recipients is scanned once (verdict cache), even after clamd stops",
  fn: async () => {
    const own = await startClamd();
    const site = siteWith(`clamd endpoint=${own.socket} timeout=5\n`);
    assert.equal((await run(site, EICAR_ATTACHMENT)).code, 99);
    await own.stop();
    assert.equal((await run(site, EICAR_ATTACHMENT)).code, 99, "second copy: the cached verdict");
    assert.equal((await run(site, EICAR_ATTACHMENT)).code, 99, "third copy: the cached verdict");
    assert.equal((await run(site, CLEAN)).code, 111, "another message is not in the cache");
    const scans = readLogLines(site.system).map((l) => parseLogRecord(l).scans[0]?.outcome);
    assert.deepEqual(scans, ["infected", "infected", "infected", "failed"]);
  },
});

Deno.test({
  ...opts,
  name: "qmvc scanners --check: PING and VERSION answer for a running clamd; a dead one is exit 1",
  fn: async () => {
    const site = siteWith(`clamd endpoint=${clamd!.socket}\n`);
    const ok = await new Deno.Command(BINARY, {
      args: ["scanners", "--check"],
      env: { QMVC_HOME: site.system },
    }).output();
    assert.equal(ok.code, 0);
    assert.match(
      new TextDecoder().decode(ok.stdout),
      new RegExp(`^clamd ${clamd!.socket}: ok: ClamAV \\d`),
    );
    const dead = siteWith("clamd endpoint=/nonexistent/clamd.sock\n");
    const bad = await new Deno.Command(BINARY, {
      args: ["scanners", "--check"],
      env: { QMVC_HOME: dead.system },
    }).output();
    assert.equal(bad.code, 1);
    assert.match(new TextDecoder().decode(bad.stdout), /FAILED: no clamd reachable/);
  },
});

for (const action of Object.keys(ACTION_EXIT) as (keyof typeof ACTION_EXIT)[]) {
  Deno.test({
    ...opts,
    name: `|qmvc -n with clamd: virus with virusmail=${action} exits ${ACTION_EXIT[action]}`,
    fn: async () => {
      const site = siteWith(
        `clamd endpoint=${clamd!.socket}\n`,
        `virusmail=${action}\nnotify-recipient=n\n`,
      );
      writeControl(site.system, "forwardto", "abuse@example.org\n");
      const outbox = useTestInjector(site.system);
      const result = await run(site, EICAR_ATTACHMENT);
      assert.equal(result.code, ACTION_EXIT[action], result.stderr);
      const record = parseLogRecord(readLogLines(site.system)[0]!);
      assert.equal(record.verdict, action);
      assert.deepEqual(record.conditions, ["virus"]);
      assert.equal(
        listMaildir(join(site.system, "quarantine")).length,
        action === "quarantine" ? 1 : 0,
      );
      assert.equal(readInjected(outbox).length, action === "forward" ? 1 : 0);
    },
  });
}

Deno.test({
  name: "|qmvc -n: a PNG with bytes after IEND is handed to the scanners (a dead clamd defers it)",
  fn: async () => {
    const site = siteWith("clamd endpoint=/nonexistent/clamd.sock timeout=5\n");
    assert.equal((await run(site, PNG_WITH_EICAR, "qmvc -n")).code, 111);
  },
});

Deno.test({
  ...opts,
  name: "|qmvc -n with clamd: EICAR appended to a PNG is found (virus, exit 99)",
  fn: async () => {
    const site = siteWith(`clamd endpoint=${clamd!.socket}\n`);
    const result = await run(site, PNG_WITH_EICAR, "qmvc -n");
    assert.equal(result.code, 99, result.stderr);
    const record = parseLogRecord(readLogLines(site.system)[0]!);
    assert.deepEqual(record.conditions, ["virus"]);
    assert.equal(record.scans[0]?.outcome, "infected");
  },
});

Deno.test({
  ...opts,
  name:
    "|qmvc -n with clamd: a message over clamd's StreamMaxLength is unchecked (99), not deferred",
  fn: async () => {
    const site = siteWith(`clamd endpoint=${clamd!.socket}\n`);
    // The test clamd takes 10 MiB per stream (tests/_helpers/clamav.ts).
    const big = `${HEAD}Subject: big\n\n${"0123456789abcdef\n".repeat(700_000)}`;
    const result = await run(site, big);
    assert.equal(result.code, 99, result.stderr);
    const record = parseLogRecord(readLogLines(site.system)[0]!);
    assert.deepEqual(record.conditions, ["unchecked"]);
    assert.deepEqual(
      record.scans.map((s) => [s.outcome, s.detail]),
      [["unchecked", "INSTREAM size limit exceeded"]],
    );
  },
});

Deno.test({ ...opts, name: "stop the e2e clamd", fn: async () => await clamd?.stop() });
