import { isMailbox } from "../message/mod.ts";
import { pickEnv, runProgram } from "../scan/mod.ts";
import type { InjectCommand } from "../profile/mod.ts";

/** How long submitting one message may take. */
export const INJECT_TIMEOUT_MS = 60_000;

/**
 * Submit a message with the configured qmail-inject: `-f ""` (an empty envelope sender, so
 * nothing ever bounces back to qmvc; a released message keeps its sender), `-a` (recipients from the arguments only, never
 * from the header), `--` (the end of options) and the recipients, the message on stdin.
 * Every recipient must be one RFC 5321 mailbox: qmail-inject reads each argument as an
 * address list, so a comma would add recipients and a leading "-" would be an option
 * without `--` (DESIGN invariant 10). Returns undefined on success or the reason it failed.
 */
export async function injectMail(
  command: InjectCommand,
  recipients: readonly string[],
  message: Uint8Array,
  env: Readonly<Record<string, string | undefined>>,
  /** The envelope sender: "" (qmvc's own mail), or one mailbox for a released message. */
  from = "",
): Promise<string | undefined> {
  if (recipients.length === 0) return "no recipient";
  if (from !== "" && !isMailbox(from)) {
    return `envelope sender not one mailbox, not passed on: ${JSON.stringify(from)}`;
  }
  const refused = recipients.find((r) => !isMailbox(r));
  if (refused !== undefined) return `not one mailbox, not passed on: ${JSON.stringify(refused)}`;
  const childEnv = pickEnv(env, ["PATH", "HOME", "USER", "QMAILHOST", "QMAILUSER"]);
  const argv = [...command.argv, "-f", from, "-a", "--", ...recipients];
  const run = await runProgram(argv, {
    input: message,
    env: childEnv,
    timeoutMs: INJECT_TIMEOUT_MS,
  });
  if (run.kind === "failed") return run.reason;
  if (run.code !== 0) {
    const said = (run.stderr || run.stdout).trim().split("\n")[0]?.slice(0, 200) ?? "";
    return `${command.argv[0]} exited ${run.code}${said ? `: ${said}` : ""}`;
  }
  return undefined;
}
