/**
 * The scan stage: outside programs that look at the message (AV scanners, badbodytexts
 * commands). Edge code: processes and sockets, never a shell.
 *
 * @example
 * ```ts
 * import { runProgram } from "./mod.ts";
 * const result = await runProgram(["/bin/true"], { timeoutMs: 5000 });
 * if (result.kind !== "exited" || result.code !== 0) throw new Error("true failed");
 * ```
 * @module
 */
export { runProgram } from "./run_program.ts";
export type { ProgramResult } from "./run_program.ts";
export { BODY_COMMAND_TIMEOUT_MS, QMAIL_VARIABLES, runBodyCommands } from "./body_commands.ts";
