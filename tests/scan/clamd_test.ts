import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { BlobWriter, TextReader, ZipWriter } from "@zip.js/zip.js";
import { readZipMembers } from "../../src/analyse/mod.ts";
import { clamdScanner, parseEndpoint, parseInstreamReply } from "../../src/scan/mod.ts";
import { EICAR, EICAR_NAME, HAVE_CLAMAV, startClamd } from "../_helpers/clamav.ts";
import { scanInputFor } from "./scanner_contract.ts";

const HEAD = "From: a@example.net\nSubject: t\n\n";

Deno.test("parseInstreamReply() reads clamd's replies strictly", () => {
  assert.deepEqual(parseInstreamReply("stream: OK"), { kind: "clean" });
  assert.deepEqual(parseInstreamReply("stream: Eicar-Test-Signature FOUND"), {
    kind: "infected",
    names: ["Eicar-Test-Signature"],
  });
  assert.deepEqual(parseInstreamReply("stream: Heuristics.Encrypted.Zip FOUND"), {
    kind: "encrypted",
    detail: "Heuristics.Encrypted.Zip",
  });
  assert.deepEqual(parseInstreamReply("INSTREAM size limit exceeded. ERROR"), {
    kind: "unchecked",
    detail: "INSTREAM size limit exceeded",
  });
  assert.equal(parseInstreamReply("stream: ok").kind, "failed");
  assert.equal(parseInstreamReply("").kind, "failed");
});

Deno.test("parseEndpoint() reads sockets and host:port, and refuses the rest", () => {
  assert.deepEqual(parseEndpoint("/run/clamav/clamd.ctl"), { path: "/run/clamav/clamd.ctl" });
  assert.deepEqual(parseEndpoint("127.0.0.1:3310"), { host: "127.0.0.1", port: 3310 });
  assert.deepEqual(parseEndpoint("[::1]:3310"), { host: "::1", port: 3310 });
  assert.equal(parseEndpoint("clamd"), undefined);
  assert.equal(parseEndpoint("host:99999"), undefined);
});

Deno.test({
  name: "clamdScanner(): clamd down (no socket) is failed, not clean",
  fn: async () => {
    const scanner = clamdScanner([{ path: "/nonexistent/clamd.sock" }]);
    const result = await scanner.scan(await scanInputFor(`${HEAD}hello\n`), {
      signal: AbortSignal.timeout(5000),
    });
    assert.equal(result.kind, "failed");
    assert.match(
      result.kind === "failed" ? result.reason : "",
      /no clamd reachable \(\/nonexistent\/clamd\.sock: ENOENT\)/,
    );
  },
});

Deno.test({
  name: "clamdScanner(): with the first endpoint dead it fails over to the second",
  ignore: !HAVE_CLAMAV,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const clamd = await startClamd();
    try {
      const scanner = clamdScanner([{ path: "/nonexistent/clamd.sock" }, {
        host: "127.0.0.1",
        port: 1,
      }, { path: clamd.socket }]);
      const result = await scanner.scan(await scanInputFor(`${HEAD}${EICAR}\n`), {
        signal: AbortSignal.timeout(10_000),
      });
      assert.equal(result.kind, "infected");
      const check = await scanner.check({ signal: AbortSignal.timeout(5000) });
      assert.equal(check.ok, true);
      assert.match(check.detail, /^ClamAV \d+\.\d+/);
    } finally {
      await clamd.stop();
    }
  },
});

Deno.test({
  name: "clamdScanner(): a clamd that stops answering (SIGSTOP) times out as failed",
  ignore: !HAVE_CLAMAV,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const clamd = await startClamd();
    try {
      Deno.kill(clamd.pid, "SIGSTOP");
      const scanner = clamdScanner([{ path: clamd.socket }]);
      const started = performance.now();
      const result = await scanner.scan(await scanInputFor(`${HEAD}hello\n`), {
        signal: AbortSignal.timeout(1500),
      });
      assert.equal(result.kind, "failed");
      assert.ok(performance.now() - started < 5000);
    } finally {
      Deno.kill(clamd.pid, "SIGCONT");
      await clamd.stop();
    }
  },
});

Deno.test({
  name: "clamdScanner(): each part is scanned alone, so a virus names its part and zip member",
  ignore: !HAVE_CLAMAV,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const clamd = await startClamd();
    try {
      const zip = await zipOf({ "readme.txt": "hello", "invoice.exe": EICAR });
      const clean = new TextEncoder().encode("minutes of the meeting");
      const result = await clamdScanner([{ path: clamd.socket }]).scan({
        message: new TextEncoder().encode(`${HEAD}see attachments\n`),
        parts: [
          { path: "1", content: new TextEncoder().encode("see attachments") },
          { path: "2", content: clean },
          { path: "3", content: zip, members: () => readZipMembers(zip) },
        ],
      }, { signal: AbortSignal.timeout(10_000) });
      const eicar = new TextEncoder().encode(EICAR);
      assert.deepEqual(result, {
        kind: "infected",
        names: [EICAR_NAME],
        hits: [{
          name: EICAR_NAME,
          part: "3",
          member: {
            path: "invoice.exe",
            size: eicar.length,
            sha256: createHash("sha256").update(eicar).digest("hex"),
          },
        }],
      });
    } finally {
      await clamd.stop();
    }
  },
});

Deno.test({
  name: "clamdScanner(): what only the whole message shows is the message, part 0",
  ignore: !HAVE_CLAMAV,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const clamd = await startClamd();
    try {
      const result = await clamdScanner([{ path: clamd.socket }]).scan({
        message: new TextEncoder().encode(`${HEAD}${EICAR}\n`),
        parts: [{ path: "1", content: new TextEncoder().encode("nothing") }],
      }, { signal: AbortSignal.timeout(10_000) });
      assert.deepEqual(result, {
        kind: "infected",
        names: [EICAR_NAME],
        hits: [{ name: EICAR_NAME, part: "0" }],
      });
    } finally {
      await clamd.stop();
    }
  },
});

async function zipOf(files: Record<string, string>): Promise<Uint8Array> {
  const writer = new ZipWriter(new BlobWriter("application/zip"), { useWebWorkers: false });
  for (const [name, text] of Object.entries(files)) await writer.add(name, new TextReader(text));
  return new Uint8Array(await (await writer.close()).arrayBuffer());
}
