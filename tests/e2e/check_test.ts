import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { LOADER_TYPES } from "../../src/analyse/mod.ts";
import { gargantuaMessage } from "../_helpers/eml_builder.ts";
import { BINARY, fixture, makeSite } from "../_helpers/qmail_local.ts";

async function check(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(BINARY, {
    args: ["check", ...args],
    env: { QMVC_HOME: "/nonexistent" },
  }).output();
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
}

Deno.test("qmvc check gargantua.eml: every loader type is found in one message", async () => {
  const site = makeSite();
  const path = join(site.root, "gargantua.eml");
  writeFileSync(path, gargantuaMessage());
  const result = await check(path);
  assert.equal(result.code, 0, result.stderr);
  const seen = new Set([...result.stdout.matchAll(/ loader ([a-z-]+) \(/g)].map((m) => m[1]));
  assert.deepEqual(LOADER_TYPES.filter((t) => !seen.has(t)), []);
  // 28 bad parts are more than bomb=5: the message is a virusbomb, which outranks badmail.
  assert.match(
    result.stdout,
    /^verdict: quarantine \(virusmail\): virusbomb, badfilename, badmimetype, badloadertype, unchecked$/m,
  );
});

Deno.test("qmvc check attach_zip_nested_exe.eml: prints the part, its members and the matching rule", async () => {
  const result = await check(fixture("attach_zip_nested_exe.eml"));
  assert.equal(result.code, 0, result.stderr);
  assert.match(
    result.stdout,
    /^ {2}2 {8}application\/octet-stream {2}sniffed application\/zip {2}loader archive \(zip\) {2}591 bytes {2}name "zip_nested_exe.zip"$/m,
  );
  assert.match(
    result.stdout,
    /^ {6}member "inner.zip\/setup.exe" {2}2048 bytes {2}sniffed application\/vnd.microsoft.portable-executable {2}loader pe \(exe\)$/m,
  );
  assert.match(
    result.stdout,
    /^ {2}badloadertype {2}part 2: "inner.zip\/setup.exe: pe \(exe\)" {2}\[control\/badloadertypes:\d+ "pe"\]$/m,
  );
});

Deno.test("qmvc check clean_plain.eml: a clean message passes with no findings", async () => {
  const result = await check(fixture("clean_plain.eml"));
  assert.match(result.stdout, /^findings: none\nverdict: pass \(clean\)\n$/m);
});

Deno.test("qmvc check missing.eml: a missing file is exit 1 with the file named", async () => {
  const result = await check("/nonexistent/missing.eml");
  assert.equal(result.code, 1);
  assert.match(result.stderr, /^qmvc check: Unable to read "\/nonexistent\/missing.eml": ENOENT/);
});

Deno.test("qmvc check: no file is a usage error (exit 2)", async () => {
  const result = await check();
  assert.equal(result.code, 2);
  assert.equal(
    result.stderr,
    "qmvc check: Name a message file to check, e.g. qmvc check message.eml\n",
  );
});

Deno.test("qmvc check shows bytes that are not UTF-8 as \\xNN, never as U+FFFD", async () => {
  const site = makeSite();
  const path = join(site.root, "binary-header.eml");
  writeFileSync(
    path,
    new Uint8Array([
      ...new TextEncoder().encode("From: a@b.c\n"),
      0xff,
      0xfe,
      0x41,
      0x9b,
      0x0a,
      0x0a,
      0x62,
      0x0a,
    ]),
  );
  const { stdout } = await check(path);
  assert.doesNotMatch(stdout, /\ufffd/);
  assert.match(
    stdout,
    /HEADER_SEPARATOR_MISSING {2}part 0: "body starts at line 2: \\xff\\xfeA\\x9b"/,
  );
});

Deno.test("qmvc check on a message with no header and no final newline reports its size, not one byte more", async () => {
  const site = makeSite();
  const path = join(site.root, "no-header.bin");
  writeFileSync(path, "just some bytes");
  const { stdout } = await check(path);
  assert.match(stdout, /^ {2}1 +text\/plain .* 15 bytes {2}\(body\)$/m);
});

Deno.test("qmvc check prints no 'findings: none' above a verdict with a condition", async () => {
  const { stdout } = await check(fixture("subject_iloveyou.eml"));
  assert.doesNotMatch(stdout, /findings/);
  assert.match(stdout, /^verdict: quarantine/m);
});
