import assert from "node:assert/strict";
import { BUILTIN_SUBPROCESS, interpret, type SubprocessDefinition } from "../../src/scan/mod.ts";
import { BUILTIN_SCANNER_NAMES } from "../../src/profile/mod.ts";
import { parseScannersYaml, prepareScannersYaml } from "../../src/profile/control/scanners_yaml.ts";
import { parseScanners } from "../../src/profile/control/scanners.ts";

function builtin(name: string): SubprocessDefinition {
  return { name, ...BUILTIN_SUBPROCESS[name]! };
}

Deno.test("every scanner name the profile accepts has an adapter", () => {
  assert.deepEqual(
    [...BUILTIN_SCANNER_NAMES].sort(),
    ["clamd", ...Object.keys(BUILTIN_SUBPROCESS)].sort(),
  );
});

Deno.test("interpret(): inocucmd's exit 100 means infected, and never reaches qmail", () => {
  assert.deepEqual(
    interpret(builtin("inocucmd"), 100, "/tmp/x/part-1 is infected by virus: Win32.Test"),
    {
      kind: "infected",
      names: ["Win32.Test"],
    },
  );
});

Deno.test("interpret(): clamscan output gives the virus names, deduplicated", () => {
  const out = "/tmp/a/message.eml: Eicar FOUND\n/tmp/a/part-1: Eicar FOUND\n";
  assert.deepEqual(interpret(builtin("clamscan"), 1, out), { kind: "infected", names: ["Eicar"] });
});

Deno.test("interpret(): an exit code the scanner does not document is a failure", () => {
  assert.deepEqual(interpret(builtin("clamscan"), 2, "\nERROR: Can't open file\n"), {
    kind: "failed",
    reason: "clamscan exited 2: ERROR: Can't open file",
  });
  assert.equal(interpret(builtin("uvscan"), 1, "").kind, "failed");
});

Deno.test("interpret(): infected without a name still names the scanner", () => {
  assert.deepEqual(interpret(builtin("sweep"), 3, "nothing to see"), {
    kind: "infected",
    names: ["sweep: unnamed (exit 3)"],
  });
});

Deno.test("parseScanners() reads up to four scanners with options and extra arguments", () => {
  const list = parseScanners(
    "clamd endpoint=/run/clamd.ctl endpoint=10.0.0.2:3310 timeout=20\nclamscan -- -d /var/lib/clamav\n",
    "scanners",
  );
  assert.deepEqual(list.entries[0]?.endpoints, ["/run/clamd.ctl", "10.0.0.2:3310"]);
  assert.equal(list.entries[0]?.timeoutMs, 20_000);
  assert.deepEqual(list.entries[1]?.extraArgs, ["-d", "/var/lib/clamav"]);
  assert.throws(
    () => parseScanners("a\nb\nc\nd\ne\n", "s"),
    /s:5: At most 4 scanners run for a message/,
  );
  assert.throws(() => parseScanners("clamd timeout=0\n", "s"), /s:1: Invalid option "timeout=0"/);
});

Deno.test("parseScannersYaml() names the line of a bad value", async () => {
  await prepareScannersYaml("scanners:\n  x: {}\n");
  const bad =
    "scanners:\n  x:\n    command: /bin/x\n    clean: [0]\n    infected: [0]\n    virus: '(?<name>.+)'\n";
  assert.throws(
    () => parseScannersYaml(bad, "scanners.yaml"),
    /scanners\.yaml:5: Exit code 0 of scanner "x" cannot mean both clean and infected/,
  );
  assert.throws(
    () => parseScannersYaml("scanners:\n  x:\n    command: x\n", "y"),
    /y:3: "command" of scanner "x" must be an absolute path/,
  );
  assert.throws(
    () => parseScannersYaml("scanners:\n  x:\n    command: /x\n    colour: red\n", "y"),
    /y:4: Unknown key "colour"/,
  );
  assert.throws(() => parseScannersYaml("scanners: [\n", "y"), /y:\d+: YAML: Flow sequence/);
});

Deno.test("interpret(): each name is tied to the part whose temporary file the report names", () => {
  const files = new Map([
    ["/tmp/q/message.eml", "0"],
    ["/tmp/q/part-1", "1"],
    ["/tmp/q/part-12", "3.2"],
  ]);
  const out = "/tmp/q/message.eml: Eicar FOUND\n/tmp/q/part-12: Eicar FOUND\n" +
    "/tmp/q/part-1: Win.Test Agent (x) FOUND\n";
  assert.deepEqual(interpret(builtin("clamscan"), 1, out, files), {
    kind: "infected",
    names: ["Eicar", "Win.Test Agent (x)"],
    hits: [{ name: "Eicar", part: "3.2" }, { name: "Win.Test Agent (x)", part: "1" }],
  });
});

Deno.test("interpret(): an archive member written after the file name is kept", () => {
  const files = new Map([["/tmp/q/message.eml", "0"], ["/tmp/q/part-2", "2"]]);
  const result = interpret(
    builtin("sweep"),
    3,
    ">>> Virus 'EICAR-AV-Test' found in file /tmp/q/part-2/invoice.exe",
    files,
  );
  assert.deepEqual(result, {
    kind: "infected",
    names: ["EICAR-AV-Test"],
    hits: [{ name: "EICAR-AV-Test", part: "2", member: { path: "invoice.exe" } }],
  });
});

Deno.test("interpret(): a report that names no file of ours is the message as a whole", () => {
  const files = new Map([["/tmp/q/message.eml", "0"], ["/tmp/q/part-1", "1"]]);
  assert.deepEqual(interpret(builtin("clamscan"), 1, "stdin: Eicar FOUND\n", files), {
    kind: "infected",
    names: ["Eicar"],
    hits: [{ name: "Eicar", part: "0" }],
  });
});
