/** AV scanning through the binary, as qmail-local runs it, with real ClamAV. */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BlobWriter, TextReader, ZipWriter } from "@zip.js/zip.js";
import { parseHTML } from "linkedom";
import { parseIncidentRecord, parseLogRecord, splitVirusNames } from "../../src/log/mod.ts";
import { base64Lines, BIN_FIXTURES } from "../_helpers/eml_builder.ts";
import {
  CLAMSCAN,
  EICAR,
  EICAR_NAME,
  HAVE_CLAMAV,
  startClamd,
  writeSignatureDb,
} from "../_helpers/clamav.ts";
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

/** A message with a text body, a clean attachment and a zip whose invoice.exe is EICAR. */
async function zipInvoiceMessage(): Promise<string> {
  const writer = new ZipWriter(new BlobWriter("application/zip"), { useWebWorkers: false });
  await writer.add("readme.txt", new TextReader("Please pay within 30 days."));
  await writer.add("invoice.exe", new TextReader(EICAR));
  const zip = new Uint8Array(await (await writer.close()).arrayBuffer());
  return `${HEAD}Subject: invoice\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n` +
    `--b\nContent-Type: text/plain\n\nsee attachments\n` +
    `--b\nContent-Type: text/plain; name="minutes.txt"\nContent-Disposition: attachment; filename="minutes.txt"\n\nMinutes of the meeting.\n` +
    `--b\nContent-Type: application/zip; name="invoice.zip"\nContent-Transfer-Encoding: base64\n\n${
      base64Lines(zip)
    }\n--b--\n`;
}

/** clamd and clamscan (declared in scanners.yaml as "myclam") on the same message. */
function siteWithTwoScanners(): ReturnType<typeof makeSite> {
  const site = siteWith(
    `clamd endpoint=${clamd!.socket}\nmyclam\n`,
    "virusmail=quarantine\nnotify-recipient=y\nnotify-admin=n\nfilename=n\n",
  );
  writeControl(
    site.system,
    "scanners.yaml",
    `scanners:\n  myclam:\n    command: ${CLAMSCAN}\n    args: ["--no-summary", "-d", "${writeSignatureDb()}", "{files}"]\n` +
      `    clean: [0]\n    infected: [1]\n    virus: '^(?<file>.*?): (?<name>.+) FOUND$'\n`,
  );
  return site;
}

Deno.test({
  ...opts,
  name:
    "|qmvc -n with clamd and a YAML scanner: the record names the infected zip member, not the clean attachment",
  fn: async () => {
    const site = siteWithTwoScanners();
    useTestInjector(site.system);
    const result = await run(site, await zipInvoiceMessage());
    assert.equal(result.code, 99, result.stderr);
    const record = parseIncidentRecord(
      readFileSync(join(site.system, "log/qmvc.rep"), "utf8").trim(),
    );
    assert.deepEqual(record.conditions, ["virus"]);
    assert.deepEqual(record.viruses, [EICAR_NAME]);
    assert.deepEqual(
      record.matches.map((m) => [m.part, m.member ?? "-", m.evidence]),
      [
        ["3", "invoice.exe", `clamd: ${EICAR_NAME} in invoice.zip \u2192 invoice.exe`],
        ["3", "-", `myclam: ${EICAR_NAME} in invoice.zip`],
      ],
    );
    const eicar = new TextEncoder().encode(EICAR);
    assert.deepEqual(record.parts.map((p) => [p.path, p.filename, p.members]), [[
      "3",
      "invoice.zip",
      [{
        path: "invoice.exe",
        sniffedType: "text/plain",
        loaderType: "",
        size: eicar.length,
        sha256: createHash("sha256").update(eicar).digest("hex"),
        viruses: [EICAR_NAME],
        scanners: ["clamd"],
      }],
    ]]);
  },
});

Deno.test({
  ...opts,
  name:
    "|qmvc -n with clamd and a YAML scanner: the notification's Parts concerned names invoice.zip \u2192 invoice.exe",
  fn: async () => {
    const site = siteWithTwoScanners();
    const outbox = useTestInjector(site.system);
    assert.equal((await run(site, await zipInvoiceMessage())).code, 99);
    const [notification] = readInjected(outbox);
    const text = new TextDecoder().decode(notification?.message);
    const concerned = text.slice(text.indexOf("Parts concerned:\n") + 17).split("\n\n")[0];
    assert.match(
      concerned ?? "",
      new RegExp(
        `^  3 "invoice\\.zip": declared application/zip, is application/zip, runs as archive \\(zip\\), \\d+ bytes\\n` +
          `  3 "invoice\\.zip" \u2192 "invoice\\.exe": is text/plain, clamd: ${
            EICAR_NAME.replaceAll(".", "\\.")
          }$`,
      ),
    );
  },
});

Deno.test({
  ...opts,
  name:
    "qmvc virulator after one message found by two scanners: 1 infected message, 1 virus name, 2 scanner hits",
  fn: async () => {
    const site = siteWithTwoScanners();
    useTestInjector(site.system);
    assert.equal((await run(site, await zipInvoiceMessage())).code, 99);
    assert.equal((await run(site, CLEAN)).code, 0);
    const log = readLogLines(site.system).map(parseLogRecord);
    assert.deepEqual(
      log[0]?.scans.map((s) => [s.scanner, s.outcome, splitVirusNames(s.detail)]),
      [["clamd", "infected", [EICAR_NAME]], ["myclam", "infected", [EICAR_NAME]]],
    );
    const out = await new Deno.Command(BINARY, {
      args: ["virulator"],
      env: { QMVC_HOME: site.system },
    }).output();
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    const { document } = parseHTML(new TextDecoder().decode(out.stdout)) as unknown as {
      document: { querySelectorAll(s: string): ArrayLike<{ textContent: string }> };
    };
    const tiles = Object.fromEntries(
      Array.from(document.querySelectorAll(".stat")).map((t) => {
        const [, n, label] = /^(\d+)(.*)$/.exec(t.textContent) ?? [];
        return [label, Number(n)];
      }),
    );
    assert.equal(tiles["infected messages"], 1);
    assert.equal(tiles["virus names"], 1);
    assert.equal(tiles["scanner hits"], 2);
  },
});

Deno.test({
  ...opts,
  name:
    "qmvc check with clamd and a YAML scanner: scanner lines, matches and the parts list use the same part numbers",
  fn: async () => {
    const site = siteWithTwoScanners();
    const file = join(site.root, "invoice.eml");
    writeFileSync(file, await zipInvoiceMessage());
    const out = await new Deno.Command(BINARY, {
      args: ["check", file],
      env: { QMVC_HOME: site.system },
    }).output();
    const text = new TextDecoder().decode(out.stdout);
    assert.match(text, /^ {2}3 +application\/zip .* name "invoice\.zip"$/m);
    assert.match(
      text,
      new RegExp(`^  clamd: infected: "${EICAR_NAME}" in part 3 \u2192 "invoice\\.exe"  \\(`, "m"),
    );
    assert.match(text, new RegExp(`^  myclam: infected: "${EICAR_NAME}" in part 3  \\(`, "m"));
    assert.match(text, /^ {2}virus {2}part 3: "clamd: .* in invoice\.zip \u2192 invoice\.exe"$/m);
    assert.match(text, /^ {2}virus {2}part 3: "myclam: .* in invoice\.zip"$/m);
  },
});

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

Deno.test("verdict cache: a scanner declared anew in scanners.yaml scans again; the old verdict is not reused", async () => {
  const site = siteWith("myscan\n", "notify-recipient=n\nnotify-admin=n\n");
  const declare = (script: string) =>
    writeControl(
      site.system,
      "scanners.yaml",
      `scanners:\n  myscan:\n    command: /bin/sh\n    args: ["-c", ${
        JSON.stringify(script)
      }, "sh", "{files}"]\n    clean: [0]\n    infected: [1]\n` +
        "    virus: '^(?<file>.*): (?<name>.+) FOUND$'\n",
    );
  declare("exit 0");
  assert.equal((await run(site, CLEAN)).code, 0);
  // Within the cache's 15 minutes, the same message, a scanner that now finds something.
  declare('echo "$1: Test.Signature FOUND"; exit 1');
  const result = await run(site, CLEAN);
  assert.equal(result.code, 99, result.stderr);
  assert.equal(parseLogRecord(readLogLines(site.system).at(-1)!).verdict, "quarantine");
});
