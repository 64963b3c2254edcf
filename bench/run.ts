// deno-lint-ignore-file no-console
/**
 * `deno task bench`: figures for dist/qmvc. Prints; never fails on a time.
 * Build first with `deno task build`.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import process from "node:process";
import { join, resolve } from "node:path";
import { benchParser } from "./parser.ts";
import { benchScanners } from "./scanners.ts";
import { benchPeers } from "./peers.ts";
import { benchReports } from "./reports.ts";
import { benchPlainmail } from "./plainmail.ts";
import { benchStartup } from "./startup.ts";
import { benchHostile } from "./hostile.ts";
import { benchDetection } from "./detection.ts";
import { benchMemory } from "./memory.ts";

const ROOT = resolve(new URL(".", import.meta.url).pathname, "..");
const BINARY = join(ROOT, "dist/qmvc");

if (!existsSync(BINARY)) {
  console.error("bench: dist/qmvc is missing; run `deno task build` first");
  Deno.exit(1);
}

const sections = Deno.args.length ? Deno.args : [
  "startup",
  "parser",
  "hostile",
  "memory",
  "detection",
  "scanners",
  "peers",
  "reports",
  "plainmail",
];
console.log(
  `qmvc benchmarks on ${Deno.build.os}/${Deno.build.arch}, ${navigator.hardwareConcurrency} cores\n`,
);
// Every section's scratch files, and those of the programs it runs, under one folder
// that goes when the run ends.
const scratch = mkdtempSync(join(tmpdir(), "qmvc-bench-"));
Deno.env.set("TMPDIR", scratch);
try {
  await runSections();
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

async function runSections(): Promise<void> {
  for (const section of sections) {
    switch (section) {
      case "startup":
        for (
          const line of await benchStartup(BINARY, join(ROOT, "tests/fixtures/eml/clean_plain.eml"))
        ) console.log(line);
        break;
      case "parser":
        for (const line of await benchParser(ROOT, BINARY)) console.log(line);
        break;
      case "memory":
        for (const line of await benchMemory(BINARY)) console.log(line);
        break;
      case "detection":
        for (const line of await benchDetection(BINARY)) console.log(line);
        break;
      case "hostile":
        for (const line of await benchHostile(BINARY)) console.log(line);
        break;
      case "scanners":
        for (const line of await benchScanners(BINARY)) console.log(line);
        break;
      case "peers":
        for (const line of await benchPeers(BINARY)) console.log(line);
        break;
      case "reports":
        for (const line of await benchReports(BINARY)) console.log(line);
        break;
      case "plainmail":
        for (const line of await benchPlainmail(BINARY)) console.log(line);
        break;
      default:
        console.error(`bench: unknown section "${section}"`);
        process.exitCode = 2;
        return;
    }
    console.log("");
  }
}
