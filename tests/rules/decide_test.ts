import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { analyseMessage } from "../../src/analyse/mod.ts";
import { parseMessage } from "../../src/message/mod.ts";
import { matchTexts } from "../../src/plainmail/mod.ts";
import { decide, type Outcomes } from "../../src/rules/mod.ts";
import { controlWith as control } from "../_helpers/control.ts";
import { fixture } from "../_helpers/qmail_local.ts";

function fixtureText(name: string): string {
  return readFileSync(fixture(name), "latin1");
}

async function verdictFor(
  raw: string,
  files: Record<string, string> = {},
  outcomes: Outcomes = {},
) {
  const message = await parseMessage(new TextEncoder().encode(raw));
  const analysis = await analyseMessage(message);
  // As the delivery does: HTML parts are read as their readable text.
  return decide(analysis, await control(files), {
    matchTexts: await matchTexts(message),
    ...outcomes,
  });
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

/** The verdict for a fixture message. */
async function verdictForFixture(name: string, files: Record<string, string> = {}) {
  const bytes = readFileSync(new URL(`../fixtures/eml/${name}`, import.meta.url));
  const message = await parseMessage(bytes);
  return decide(await analyseMessage(message), await control(files), {
    matchTexts: await matchTexts(message),
  });
}

Deno.test("decide() finds a badbodytexts text split by soft hyphens and zero-width spaces", async () => {
  const v = await verdictForFixture("body_invisible_characters.eml", {
    filters: "body=y\nsubject=n\n",
    badbodytexts: "wire money\n",
  });
  assert.ok(v.kind === "condition");
  assert.deepEqual(
    v.matches.map((m) => [m.condition, m.part, m.evidence]),
    [["badbody", "1", "wire money"]],
  );
});

Deno.test("decide() reads an HTML part's text for badbodytexts: tags and references split no word", async () => {
  const raw =
    `${HEAD}Subject: x\nContent-Type: text/html\n\n<p>wi&shy;re <b>mo&#8203;ney</b> to 123</p>\n`;
  const v = await verdictFor(raw, { filters: "body=y\n", badbodytexts: "*wire money to 1*\n" });
  assert.ok(v.kind === "condition");
  assert.deepEqual(v.matches.map((m) => [m.condition, m.part]), [["badbody", "1"]]);
});

Deno.test("decide() matches badsubjects through invisible characters and shows the subject as sent", async () => {
  const v = await verdictForFixture("body_invisible_characters.eml");
  assert.ok(v.kind === "condition");
  const match = v.matches.find((m) => m.condition === "badsubject");
  assert.equal(match?.evidence, "I\u00adLOVE\u200bYOU");
  assert.equal(match?.rule?.pattern, "ILOVEYOU");
});

Deno.test("decide() matches badfilenames on a fullwidth name and shows the name as sent", async () => {
  const raw =
    `${HEAD}Subject: x\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n` +
    `--b\nContent-Type: text/plain\n\nhi\n--b\nContent-Type: application/octet-stream\n` +
    `Content-Disposition: attachment; filename*=utf-8''invoice.%EF%BD%85%EF%BD%98%EF%BD%85\n\nx\n--b--\n`;
  const v = await verdictFor(raw);
  assert.ok(v.kind === "condition");
  const match = v.matches.find((m) => m.condition === "badfilename");
  assert.equal(match?.evidence, "invoice.\uff45\uff58\uff45");
  assert.equal(match?.rule?.pattern, "*.exe");
});

for (
  const name of ["setup.exe/", "invoice.exe::$DATA", "tracking.url", "policy.settingcontent-ms"]
) {
  Deno.test(`decide(): the built-in badfilenames stop an attachment named ${name}`, async () => {
    const raw =
      `${HEAD}Subject: x\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n` +
      `--b\nContent-Type: text/plain\n\nhi\n--b\nContent-Type: text/plain\n` +
      `Content-Disposition: attachment; filename="${name}"\n\nx\n--b--\n`;
    const v = await verdictFor(raw);
    assert.ok(v.kind === "condition");
    assert.ok(v.matches.some((m) => m.condition === "badfilename"), JSON.stringify(v.matches));
  });
}

Deno.test("decide() names the part and archive member each scanner tied a virus to", async () => {
  const raw =
    `${HEAD}Subject: x\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n` +
    `--b\nContent-Type: text/plain\n\nhi\n--b\nContent-Type: application/zip; name="invoice.zip"\n\nPK\n--b--\n`;
  const v = await verdictFor(raw, { filters: "filename=n\n" }, {
    scans: [
      {
        scanner: "clamd",
        result: {
          kind: "infected",
          names: ["Win.Test A"],
          hits: [{ name: "Win.Test A", part: "2", member: { path: "invoice.exe" } }],
        },
        milliseconds: 1,
      },
      {
        scanner: "myscan",
        result: { kind: "infected", names: ["W32/Test"], hits: [{ name: "W32/Test", part: "2" }] },
        milliseconds: 1,
      },
      { scanner: "other", result: { kind: "infected", names: ["Old"] }, milliseconds: 1 },
    ],
  });
  assert.ok(v.kind === "condition");
  assert.deepEqual(
    v.matches.filter((m) => m.condition === "virus").map((m) => [m.part, m.member, m.evidence]),
    [
      ["2", "invoice.exe", "clamd: Win.Test A in invoice.zip \u2192 invoice.exe"],
      ["2", undefined, "myscan: W32/Test in invoice.zip"],
      ["0", undefined, "other: Old"],
    ],
  );
});

Deno.test("decide() quarantines an encrypted zip as unchecked with the built-in filters", async () => {
  const v = await verdictFor(fixtureText("attach_zip_encrypted.eml"));
  assert.ok(v.kind === "condition");
  assert.deepEqual(v.conditions, ["unchecked"]);
  assert.equal(v.group, "uncheckedmail");
  assert.equal(v.action, "quarantine");
  assert.equal(v.matches[0]?.evidence, "ARCHIVE_ENCRYPTED: hello.txt");
});

Deno.test("decide() makes a message over the parts limit unchecked", async () => {
  const v = await verdictFor(fixtureText("mime_1001_parts.eml"));
  assert.ok(v.kind === "condition");
  assert.deepEqual(v.conditions, ["unchecked"]);
  assert.equal(v.matches[0]?.evidence, "MIME_TOO_MANY_PARTS: more than 1000 parts");
});

Deno.test("decide() makes a password-protected Office document unchecked", async () => {
  const v = await verdictFor(fixtureText("attach_docx_encrypted.eml"));
  assert.ok(v.kind === "condition");
  assert.deepEqual(v.conditions, ["unchecked"]);
  assert.equal(v.matches[0]?.evidence, "DOCUMENT_ENCRYPTED: contract.docx");
});

Deno.test("decide() ranks unchecked below badmail and above errormail", async () => {
  const raw = fixtureText("attach_zip_encrypted.eml")
    .replace("Subject: Protected", "Subject: ILOVEYOU")
    .replace("\nDate:", "\nX-Broken: a\rb\nDate:");
  const v = await verdictFor(raw);
  assert.ok(v.kind === "condition");
  assert.deepEqual(v.conditions, ["badsubject", "unchecked", "errormail"]);
  assert.equal(v.group, "badmail");
  const unchecked = await verdictFor(raw.replace("Subject: ILOVEYOU", "Subject: Protected"));
  assert.ok(unchecked.kind === "condition");
  assert.deepEqual(unchecked.conditions, ["unchecked", "errormail"]);
  assert.equal(unchecked.group, "uncheckedmail");
});

Deno.test("decide() keeps unchecked whatever checks are switched off; uncheckedmail=pass lets it by", async () => {
  const raw = fixtureText("attach_zip_encrypted.eml");
  const off =
    "subject=n\nbody=n\nmimetype=n\nfilename=n\nloadertype=n\nheaders=n\nspam=n\nvirus=n\n";
  const v = await verdictFor(raw, { filters: off });
  assert.ok(v.kind === "condition");
  assert.deepEqual(v.conditions, ["unchecked"]);
  const passed = await verdictFor(raw, { filters: `${off}uncheckedmail=pass\n` });
  assert.ok(passed.kind === "condition");
  assert.equal(passed.action, "pass");
});

Deno.test("decide() makes a scanner's encrypted answer unchecked, not clean", async () => {
  const v = await verdictFor(`${HEAD}Subject: x\n\nhi\n`, {}, {
    scans: [{
      scanner: "clamd",
      result: { kind: "encrypted", detail: "Heuristics.Encrypted.Zip" },
      milliseconds: 1,
    }],
  });
  assert.ok(v.kind === "condition");
  assert.deepEqual(v.conditions, ["unchecked"]);
  assert.equal(v.matches[0]?.evidence, "clamd: encrypted (Heuristics.Encrypted.Zip)");
});

Deno.test("decide() makes ClamAV's size-limit and encryption heuristics unchecked, not virus", async () => {
  const v = await verdictFor(`${HEAD}Subject: x\n\nhi\n`, {}, {
    scans: [{
      scanner: "clamscan",
      result: {
        kind: "infected",
        names: ["Heuristics.Limits.Exceeded.MaxFileSize", "Heuristics.Encrypted.PDF"],
      },
      milliseconds: 1,
    }],
  });
  assert.ok(v.kind === "condition");
  assert.deepEqual(v.conditions, ["unchecked"]);
  // One match per scanner and place, like virus names (the message as a whole here).
  assert.deepEqual(v.matches.map((m) => m.evidence), [
    "clamscan: Heuristics.Limits.Exceeded.MaxFileSize, Heuristics.Encrypted.PDF",
  ]);
});

Deno.test("decide() makes a scanner's size-limit answer unchecked, not a deferral", async () => {
  const v = await verdictFor(`${HEAD}Subject: x\n\nhi\n`, {}, {
    scans: [{
      scanner: "clamd",
      result: { kind: "unchecked", detail: "INSTREAM size limit exceeded" },
      milliseconds: 1,
    }],
  });
  assert.ok(v.kind === "condition");
  assert.deepEqual(v.conditions, ["unchecked"]);
  assert.equal(v.action, "quarantine");
  assert.equal(v.matches[0]?.evidence, "clamd: INSTREAM size limit exceeded");
});

Deno.test("decide() makes a message/partial fragment unchecked", async () => {
  const v = await verdictFor(
    `${HEAD}Subject: part\nMIME-Version: 1.0\nContent-Type: message/partial; id="p@x"; number=1; total=2\n\nfragment\n`,
  );
  assert.ok(v.kind === "condition");
  assert.deepEqual(v.conditions, ["unchecked"]);
  assert.equal(v.matches[0]?.evidence, "MESSAGE_PARTIAL: part 1 of 2");
});

for (
  const [fixtureName, evidence] of [
    ["mime_conflicting_transfer_encoding.eml", "content-transfer-encoding: 7bit / base64"],
    ["mime_conflicting_boundary_param.eml", 'content-type boundary: "a" / "b"'],
    [
      "mime_conflicting_filename_param.eml",
      'content-disposition filename: "notes.txt" / "notes.exe"',
    ],
  ] as const
) {
  Deno.test(`decide() makes two readings of how a part is read unchecked: ${fixtureName}`, async () => {
    const v = await verdictForFixture(fixtureName);
    assert.ok(v.kind === "condition");
    assert.ok(v.conditions.includes("unchecked"), v.conditions.join(","));
    assert.equal(v.action, "quarantine");
    const match = v.matches.find((m) => m.condition === "unchecked");
    assert.equal(match?.evidence, `MIME_HEADER_CONFLICT: ${evidence}`);
  });
}
