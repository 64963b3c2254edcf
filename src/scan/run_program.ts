import { spawn } from "node:child_process";
import { killGroup, trackProgram, untrackProgram } from "./running_programs.ts";
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
/** How long output may still arrive after a program exited, before its group is killed. */
const EXIT_GRACE_MS = 1000;

/**
 * Run a program without a shell: argv[0] is the path, the rest are arguments; `input`
 * goes to its standard input. The program leads a process group of its own, and the
 * timeout or the abort signal kills the whole group: a grandchild that holds the pipes
 * (a shell script's `sleep`, a daemonising scanner) cannot keep qmvc waiting.
 * Never throws: a missing program, a signal or the timeout become `failed` with the
 * reason for the admin.
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
    let child: ReturnType<typeof spawn> | undefined;
    const stop = (): void => {
      if (child?.pid !== undefined) {
        killGroup(child.pid);
        untrackProgram(child.pid);
      }
      child?.stdout?.destroy();
      child?.stderr?.destroy();
      child?.stdin?.destroy();
    };
    const finish = (result: ProgramResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      if (child?.pid !== undefined) untrackProgram(child.pid);
      resolve(result);
    };
    const onAbort = (): void => {
      stop();
      finish({ kind: "failed", reason: `${command}: aborted` });
    };
    const timer = setTimeout(() => {
      stop();
      finish({ kind: "failed", reason: `${command}: no answer within ${options.timeoutMs} ms` });
    }, options.timeoutMs);
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener("abort", onAbort, { once: true });
    try {
      child = spawn(command, args, {
        env: options.env ?? {},
        stdio: ["pipe", "pipe", "pipe"],
        detached: true,
      });
    } catch (error) {
      return finish({
        kind: "failed",
        reason: `${command}: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
    if (child.pid !== undefined) trackProgram(child.pid);
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
    const ended = (code: number | null, signal: string | null): void => {
      const text = (chunks: Uint8Array[]): string => new TextDecoder().decode(concatBytes(chunks));
      if (code === null) {
        finish({ kind: "failed", reason: `${command}: killed by ${signal ?? "a signal"}` });
      } else finish({ kind: "exited", code, stdout: text(stdout), stderr: text(stderr) });
    };
    child.on("close", ended);
    // The program exited but something it started still holds the pipes: its exit code
    // is the answer; what it left behind is killed after a grace period.
    child.on("exit", (code: number | null, signal: string | null) => {
      setTimeout(() => {
        if (settled) return;
        stop();
        ended(code, signal);
      }, EXIT_GRACE_MS);
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
