import assert from "node:assert/strict";
import { analyseMessage } from "../../src/analyse/mod.ts";
import { parseMessage } from "../../src/message/mod.ts";
import { decide, type Outcomes } from "../../src/rules/mod.ts";
import { controlWith as control } from "../_helpers/control.ts";

async function verdictFor(
  raw: string,
  files: Record<string, string> = {},
  outcomes: Outcomes = {},
) {
  const analysis = await analyseMessage(await parseMessage(new TextEncoder().encode(raw)));
  return decide(analysis, await control(files), outcomes);
}

const HEAD =
  "From: a@example.net\nTo: b@example.org\nDate: Wed, 25 Nov 2026 08:00:00 +0000\nMessage-ID: <x@example.net>\n";

Deno.test("decide() passes a clean message", async () => {
  assert.deepEqual(await verdictFor(`${HEAD}Subject: hello\n\nhi\n`), { kind: "clean" });
});

Deno.test("decide() lets a virus outrank badmail, badmail outrank errormail", async () => {
  const v = await verdictFor(`${HEAD}Subject: ILOVEYOU\n\nhi\n`, { filters: "spam=y\n" }, {
    scans: [{
      scanner: "clamd",
      result: { kind: "infected", names: ["Eicar-Test-Signature"] },
      milliseconds: 1,
    }],
  });
  assert.ok(v.kind === "condition");
  assert.deepEqual(v.conditions, ["virus", "badsubject"]);
  assert.equal(v.group, "virusmail");
});

Deno.test("decide() reads spam tags only with spam=y", async () => {
  const raw = `${HEAD}X-Spam-Flag: YES\nSubject: offer\n\nbuy\n`;
  assert.deepEqual(await verdictFor(raw), { kind: "clean" });
  const v = await verdictFor(raw, { filters: "spam=y\nspammail=trash\n" });
  assert.ok(v.kind === "condition");
  assert.equal(v.action, "trash");
  assert.equal(v.matches[0]?.evidence, "X-Spam-Flag: YES");
});

Deno.test("decide() checks mailheaders: a missing +Date and a malformed ?Message-ID", async () => {
  const v = await verdictFor("From: a@example.net\nMessage-ID: not-an-id\nSubject: x\n\nbody\n");
  assert.ok(v.kind === "condition");
  assert.deepEqual(v.matches.map((m) => m.evidence), [
    "missing Date",
    "Message-ID: not a <local@domain> message id",
  ]);
});

Deno.test("decide() defers when a scanner failed and scanfail=defer, unless a virus is already known", async () => {
  const failed = {
    scanner: "clamd",
    result: { kind: "failed" as const, reason: "timeout" },
    milliseconds: 1,
  };
  assert.deepEqual(await verdictFor(`${HEAD}Subject: x\n\nhi\n`, {}, { scans: [failed] }), {
    kind: "defer",
    reason: "Scanner clamd failed: timeout",
  });
  assert.deepEqual(
    await verdictFor(`${HEAD}Subject: x\n\nhi\n`, { filters: "scanfail=pass\n" }, {
      scans: [failed],
    }),
    { kind: "clean" },
  );
  const infected = {
    scanner: "clamscan",
    result: { kind: "infected" as const, names: ["X"] },
    milliseconds: 1,
  };
  const v = await verdictFor(`${HEAD}Subject: x\n\nhi\n`, {}, { scans: [failed, infected] });
  assert.equal(v.kind, "condition");
});

Deno.test("decide() counts bad parts for bomb=N", async () => {
  const parts = Array.from(
    { length: 3 },
    (_, i) => `--b\nContent-Type: application/octet-stream; name="x${i}.exe"\n\nnotes\n`,
  ).join("");
  const raw =
    `${HEAD}Subject: x\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n${parts}--b--\n`;
  const three = await verdictFor(raw, { filters: "bomb=2\n" });
  assert.ok(three.kind === "condition");
  assert.deepEqual(three.conditions, ["virusbomb", "badfilename"]);
  const notYet = await verdictFor(raw, { filters: "bomb=3\n" });
  assert.ok(notYet.kind === "condition");
  assert.deepEqual(notYet.conditions, ["badfilename"]);
});

Deno.test("decide() records the rule that matched: file, line and pattern", async () => {
  const v = await verdictFor(`${HEAD}Subject: Re: ILOVEYOU\n\nhi\n`, {
    badsubjects: "# list\nlottery\nilove*\n",
  });
  assert.ok(v.kind === "condition");
  assert.deepEqual(v.matches[0]?.rule, {
    file: "/nonexistent/control/badsubjects",
    line: 3,
    pattern: "ilove*",
  });
});
