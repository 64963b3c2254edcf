import { analyseMessage, type Analysis } from "../analyse/mod.ts";
import { parseMessage } from "../message/mod.ts";
import type { Control } from "../profile/mod.ts";
import {
  type BodyCommandOutcome,
  decide,
  type ScannerOutcome,
  type Verdict,
} from "../rules/mod.ts";
import { runBodyCommands } from "../scan/mod.ts";

/** Parse, analyse, ask the outside programs, decide. */
export interface Evaluation {
  readonly analysis: Analysis;
  readonly scans: readonly ScannerOutcome[];
  readonly bodyCommands: readonly BodyCommandOutcome[];
  readonly verdict: Verdict;
}

/**
 * Run the pipeline up to the verdict on one message under one configuration. The
 * badbodytexts programs run only when the body check is on; `env` is what they see of
 * the delivery.
 */
export async function evaluateMessage(
  bytes: Uint8Array,
  control: Control,
  env: Readonly<Record<string, string | undefined>>,
): Promise<Evaluation> {
  const limits = control.limits;
  const message = await parseMessage(bytes, { limits });
  const analysis = await analyseMessage(message, { limits });
  const scans: ScannerOutcome[] = [];
  const bodyCommands = control.filters.checks.body
    ? await runBodyCommands(control.badbodytexts, bytes, env)
    : [];
  return {
    analysis,
    scans,
    bodyCommands,
    verdict: decide(analysis, control, { scans, bodyCommands }),
  };
}
