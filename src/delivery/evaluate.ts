import { analyseMessage, type Analysis } from "../analyse/mod.ts";
import { parseMessage } from "../message/mod.ts";
import type { Control } from "../profile/mod.ts";
import { decide, type ScannerOutcome, type Verdict } from "../rules/mod.ts";

/** The pure part of a delivery: parse, analyse, decide. */
export interface Evaluation {
  readonly analysis: Analysis;
  readonly scans: readonly ScannerOutcome[];
  readonly verdict: Verdict;
}

/** Run the pipeline's pure stages on one message under one configuration. */
export async function evaluateMessage(bytes: Uint8Array, control: Control): Promise<Evaluation> {
  const limits = control.limits;
  const message = await parseMessage(bytes, { limits });
  const analysis = await analyseMessage(message, { limits });
  const scans: ScannerOutcome[] = [];
  return { analysis, scans, verdict: decide(analysis, control, scans) };
}
