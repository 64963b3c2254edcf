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
export { pickEnv, runProgram } from "./run_program.ts";
export { killRunningPrograms } from "./running_programs.ts";
export type { ProgramResult } from "./run_program.ts";
export { BODY_COMMAND_TIMEOUT_MS, QMAIL_VARIABLES, runBodyCommands } from "./body_commands.ts";
export { clamdScanner, describeEndpoint, parseEndpoint, parseInstreamReply } from "./clamd.ts";
export type { ClamdEndpoint } from "./clamd.ts";
export { BUILTIN_SUBPROCESS, interpret, subprocessScanner } from "./subprocess.ts";
export type { SubprocessDefinition } from "./subprocess.ts";
export { combineResults } from "./scanner.ts";
export type { ScanInput, ScanMember, Scanner, ScanPart } from "./scanner.ts";
export { configureScanners, DEFAULT_CLAMD_ENDPOINT } from "./registry.ts";
export type { ConfiguredScanner } from "./registry.ts";
export { runScanners } from "./run_scanners.ts";
export { CACHE_TTL_MS, MAX_CACHE_ENTRIES, VerdictCache } from "./verdict_cache.ts";
export { runScannersCommand, SCANNERS_HELP } from "./scanners_command.ts";
