import type { ScanResult } from "../rules/mod.ts";

/** What a scanner is given: the raw message and the decoded parts that need scanning. */
export interface ScanInput {
  readonly message: Uint8Array;
  readonly parts: readonly { readonly path: string; readonly content: Uint8Array }[];
}

/**
 * One scanner contract for every adapter (STYLE 10). `scan` never throws: a timeout, a
 * dead daemon or an unknown answer is `failed` with a reason, never "clean".
 */
export interface Scanner {
  readonly name: string;
  scan(input: ScanInput, options: { readonly signal: AbortSignal }): Promise<ScanResult>;
  /** `qmvc scanners --check`: is it there, and what does it say about itself. */
  check(
    options: { readonly signal: AbortSignal },
  ): Promise<{ readonly ok: boolean; readonly detail: string }>;
}

/**
 * Several answers about the items of one message: infected wins, then failed, then
 * encrypted, then unchecked (both say "not inspected").
 */
export function combineResults(results: readonly ScanResult[]): ScanResult {
  const names = results.flatMap((r) => (r.kind === "infected" ? r.names : []));
  if (names.length) return { kind: "infected", names: [...new Set(names)] };
  const failed = results.find((r) => r.kind === "failed");
  if (failed) return failed;
  const encrypted = results.find((r) => r.kind === "encrypted");
  if (encrypted) return encrypted;
  const unchecked = results.find((r) => r.kind === "unchecked");
  if (unchecked) return unchecked;
  return { kind: "clean" };
}
