// deno-lint-ignore-file no-console
/**
 * `deno task build`: dist/qmvc, the shipped single file (bun build --compile).
 *
 * Two passes. The first binary delivers samples/clean.eml once in a scratch profile with
 * BUN_BYTECODE_ORDER_OUT set, which makes it write down its functions in the order it ran
 * them; the second is built with that order (--bytecode-order), so the bytecode a small
 * delivery runs lies together in the file. A delivery then touches about 50 fewer pages
 * (bench/RESULTS.md, start-up, fourth pass). The order is made anew by every build and
 * never goes stale; an order that names functions the code no longer has only loses its
 * effect. Where the sample delivery fails, the build stops: the binary does not work.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The flags dist/qmvc is built with; bench/startup.ts builds its empty program with them. */
export const BUN_BUILD_FLAGS = [
  "--compile",
  "--splitting",
  "--minify",
  "--bytecode",
  "--format=esm",
  "--compile-jit-policy=10",
  "--no-compile-autoload-dotenv",
  "--no-compile-autoload-bunfig",
];

const OUTPUT = "dist/qmvc";
const BUN = "./node_modules/.bin/bun";

function run(command: string, args: string[]): Promise<Deno.CommandOutput> {
  return new Deno.Command(command, { args, stdout: "piped", stderr: "piped" }).output();
}

/**
 * The build's own name, new for every build: the parsed-control cache is keyed to it
 * (src/delivery/control_cache.ts), since the built-in defaults and the parsers are the
 * build's. Both passes of one build share it.
 */
const BUILD_ID = crypto.randomUUID();

async function bunBuild(extra: string[]): Promise<void> {
  const result = await run(BUN, [
    "build",
    ...BUN_BUILD_FLAGS,
    `--define=QMVC_BUILD_ID=${JSON.stringify(BUILD_ID)}`,
    ...extra,
    "--outfile",
    OUTPUT,
    "main.ts",
  ]);
  if (result.code !== 0) {
    Deno.stderr.writeSync(result.stderr);
    console.error(`build: bun build failed (exit ${result.code}); see the messages above`);
    Deno.exit(1);
  }
}

/** Deliver the sample once, as qmail-local would, writing the order the functions ran in. */
async function recordOrder(scratch: string): Promise<string> {
  const order = join(scratch, "bytecode.order");
  mkdirSync(join(scratch, "profile"));
  const child = new Deno.Command(OUTPUT, {
    args: ["-n"],
    stdin: "piped",
    stdout: "null",
    stderr: "piped",
    clearEnv: true,
    env: {
      PATH: "/usr/bin:/bin",
      HOME: scratch,
      QMVC_HOME: join(scratch, "profile"),
      SENDER: "alice@example.net",
      RECIPIENT: "bob@example.org",
      USER: "bob",
      LOCAL: "bob",
      HOST: "example.org",
      BUN_BYTECODE_ORDER_OUT: order,
    },
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(await Deno.readFile("samples/clean.eml"));
  await writer.close();
  const result = await child.output();
  if (result.code !== 0) {
    Deno.stderr.writeSync(result.stderr);
    console.error(
      `build: ${OUTPUT} -n < samples/clean.eml exited ${result.code} instead of 0; the binary does not work`,
    );
    Deno.exit(1);
  }
  return order;
}

if (import.meta.main) {
  const check = await run(Deno.execPath(), [
    "run",
    "--allow-read",
    "scripts/embed_assets.ts",
    "--check",
  ]);
  if (check.code !== 0) {
    Deno.stderr.writeSync(check.stderr);
    Deno.exit(1);
  }
  const scratch = mkdtempSync(join(tmpdir(), "qmvc-build-"));
  try {
    await bunBuild([]);
    const order = await recordOrder(scratch);
    await bunBuild([`--bytecode-order=${order}`]);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  console.log(`build: wrote ${OUTPUT} (bytecode laid out in the order a small delivery runs it)`);
}
