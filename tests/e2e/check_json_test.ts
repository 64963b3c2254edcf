/**
 * `qmvc check --json`: the text report's content as one JSON document, valid against
 * the schema the repository documents (docs/check-json.schema.json).
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { FIXTURES, REPO, runQmvc } from "../_helpers/qmail_local.ts";
import { tempDir } from "../_helpers/temp_dirs.ts";

const schema = JSON.parse(readFileSync(join(REPO, "docs/check-json.schema.json"), "utf8"));
const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);

function check(...args: string[]) {
  return runQmvc(["check", ...args], { QMVC_HOME: "/nonexistent" });
}

Deno.test("qmvc check --json on every fixture message: one document, valid against the schema", async () => {
  const files = readdirSync(FIXTURES).filter((f) => f.endsWith(".eml")).sort()
    .map((f) => join(FIXTURES, f));
  const { code, stdout } = await check("--json", ...files);
  assert.equal(code, 0);
  const document: { messages: unknown[] } = JSON.parse(stdout);
  assert.ok(validate(document), JSON.stringify(validate.errors?.slice(0, 3)));
  assert.equal(document.messages.length, files.length);
});

Deno.test("qmvc check --json says what the text report says: verdict, conditions, rule lines", async () => {
  const file = join(REPO, "samples/iloveyou.eml");
  const { stdout } = await check("--json", file);
  const [message] = JSON.parse(stdout).messages;
  assert.deepEqual(message.verdict, {
    kind: "condition",
    action: "quarantine",
    group: "badmail",
    conditions: ["badsubject"],
  });
  assert.deepEqual(message.matches, [{
    condition: "badsubject",
    part: "0",
    member: null,
    evidence: "ILOVEYOU",
    rule: { file: "control/badsubjects", line: 3, pattern: "ILOVEYOU" },
  }]);
  assert.deepEqual(message.parts.map((p: { path: string }) => p.path), ["1"]);
  const text = (await check(file)).stdout;
  assert.match(text, /^verdict: quarantine \(badmail\): badsubject$/m);
  assert.match(text, /\[control\/badsubjects:3 "ILOVEYOU"\]/);
});

Deno.test("the schema refuses a document that lacks a verdict", () => {
  assert.equal(validate({ version: 1, messages: [{ file: "x" }] }), false);
});

Deno.test("qmvc check --json writes C1 controls (a terminal's CSI) as \\u escapes", async () => {
  const path = join(tempDir(), "csi.eml");
  Deno.writeTextFileSync(path, "From: a@b.c\nSubject: x\u009b2J\n\nhi\n");
  const { stdout } = await check("--json", path);
  assert.doesNotMatch(stdout, /\u009b/);
  assert.equal(JSON.parse(stdout).messages[0].subject, "x\u009b2J");
});
