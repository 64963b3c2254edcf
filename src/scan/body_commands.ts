import type { BodyTexts } from "../profile/mod.ts";
import type { BodyCommandOutcome } from "../rules/mod.ts";
import { pickEnv, runProgram } from "./run_program.ts";

/** How long a `badbodytexts` program may take before it counts as failed. */
export const BODY_COMMAND_TIMEOUT_MS = 60_000;

/** qmail-local's variables, which a body program receives (qmail-command(8)). */
export const QMAIL_VARIABLES = [
  "SENDER",
  "NEWSENDER",
  "RECIPIENT",
  "USER",
  "HOME",
  "HOST",
  "HOST2",
  "HOST3",
  "HOST4",
  "LOCAL",
  "EXT",
  "EXT2",
  "EXT3",
  "EXT4",
  "DEFAULT",
  "DTLINE",
  "RPLINE",
  "UFLINE",
  "PATH",
] as const;

/**
 * Run every `|program` entry of badbodytexts with the message on stdin and qmail's
 * variables in its environment. Exit 0 is "no match" and 1 "match" (`|!` swaps them);
 * anything else, a signal or the timeout is a failure for the scanfail policy.
 */
export async function runBodyCommands(
  texts: BodyTexts,
  message: Uint8Array,
  env: Readonly<Record<string, string | undefined>>,
  timeoutMs = BODY_COMMAND_TIMEOUT_MS,
): Promise<BodyCommandOutcome[]> {
  const childEnv = pickEnv(env, QMAIL_VARIABLES);
  const commands = texts.rules.flatMap((r) => (r.kind === "command" ? [r] : []));
  return await Promise.all(commands.map(async (rule): Promise<BodyCommandOutcome> => {
    const base = { argv: rule.argv, pattern: rule.pattern, line: rule.line };
    const run = await runProgram(rule.argv, { input: message, env: childEnv, timeoutMs });
    if (run.kind === "failed") {
      return {
        ...base,
        result: { kind: "failed" },
        reason: `badbodytexts line ${rule.line}: ${run.reason}`,
      };
    }
    const hit = rule.inverted ? 0 : 1;
    const miss = rule.inverted ? 1 : 0;
    if (run.code === hit) return { ...base, result: { kind: "match" }, reason: "" };
    if (run.code === miss) return { ...base, result: { kind: "nomatch" }, reason: "" };
    return {
      ...base,
      result: { kind: "failed" },
      reason: `badbodytexts line ${rule.line}: ${rule.argv[0]} exited ${run.code}`,
    };
  }));
}
