import { spawn } from "node:child_process";
import { concatBytes } from "../message/mod.ts";

/** How a program run ended. */
export type ProgramResult =
  | {
    readonly kind: "exited";
    readonly code: number;
    readonly stdout: string;
    readonly stderr: string;
  }
  | { readonly kind: "failed"; readonly reason: string };

/** Output kept from a scanner or body program; a chatty program cannot fill memory. */
const MAX_OUTPUT_BYTES = 256 * 1024;

/**
 * Run a program without a shell: argv[0] is the path, the rest are arguments; `input`
 * goes to its standard input. Never throws: a missing program, a signal or the
 * timeout become `failed` with the reason for the admin.
 */
export function runProgram(
  argv: readonly string[],
  options: {
    input?: Uint8Array;
    env?: Record<string, string>;
    timeoutMs: number;
    signal?: AbortSignal;
  },
): Promise<ProgramResult> {
  return new Promise((resolve) => {
    const [command, ...args] = argv;
    if (!command) return resolve({ kind: "failed", reason: "empty command" });
    let settled = false;
    const finish = (result: ProgramResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(command, args, {
        env: options.env ?? {},
        stdio: ["pipe", "pipe", "pipe"],
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (error) {
      return resolve({
        kind: "failed",
        reason: `${command}: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      finish({ kind: "failed", reason: `${command}: no answer within ${options.timeoutMs} ms` });
    }, options.timeoutMs);
    const stdout: Uint8Array[] = [];
    const stderr: Uint8Array[] = [];
    let kept = 0;
    const keep = (into: Uint8Array[]) => (chunk: Uint8Array): void => {
      if (kept >= MAX_OUTPUT_BYTES) return;
      into.push(chunk.subarray(0, MAX_OUTPUT_BYTES - kept));
      kept += chunk.length;
    };
    child.stdout?.on("data", keep(stdout));
    child.stderr?.on("data", keep(stderr));
    child.on("error", (error: Error & { code?: string }) => {
      finish({ kind: "failed", reason: `${command}: ${error.code ?? error.message}` });
    });
    child.on("close", (code: number | null, signal: string | null) => {
      const text = (chunks: Uint8Array[]): string => new TextDecoder().decode(concatBytes(chunks));
      if (code === null) {
        finish({ kind: "failed", reason: `${command}: killed by ${signal ?? "a signal"}` });
      } else finish({ kind: "exited", code, stdout: text(stdout), stderr: text(stderr) });
    });
    // A program may exit without reading all of its input (EPIPE): its exit code still counts.
    child.stdin?.on("error", () => {});
    child.stdin?.end(options.input ?? new Uint8Array(0));
  });
}

/** The named variables of `env` that are set: what a child program is given, nothing more. */
export function pickEnv(
  env: Readonly<Record<string, string | undefined>>,
  names: readonly string[],
): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of names) {
    const value = env[name];
    if (value !== undefined) picked[name] = value;
  }
  return picked;
}
