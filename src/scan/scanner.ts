import type { ScanResult, VirusHit } from "../rules/mod.ts";

/** A member of an archive part, unpacked, for a scanner that can say which member is infected. */
export interface ScanMember {
  readonly path: string;
  readonly content: Uint8Array;
}

/** One decoded part to scan, by its path in the analysis. */
export interface ScanPart {
  readonly path: string;
  readonly content: Uint8Array;
  /** For an archive: its members one at a time (read only when the archive is infected). */
  readonly members?: () => AsyncIterable<ScanMember>;
}

/** What a scanner is given: the raw message and the decoded parts that need scanning. */
export interface ScanInput {
  readonly message: Uint8Array;
  readonly parts: readonly ScanPart[];
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
 * Several answers about the items of one message: infected wins (every name and every
 * hit kept, each name once), then failed, then encrypted, then unchecked (both say
 * "not inspected").
 */
export function combineResults(results: readonly ScanResult[]): ScanResult {
  const infected = results.flatMap((r) => (r.kind === "infected" ? [r] : []));
  if (infected.length) {
    const names = [...new Set(infected.flatMap((r) => r.names))];
    const hits: VirusHit[] = infected.flatMap((r) => r.hits ?? []);
    return hits.length ? { kind: "infected", names, hits } : { kind: "infected", names };
  }
  const failed = results.find((r) => r.kind === "failed");
  if (failed) return failed;
  const encrypted = results.find((r) => r.kind === "encrypted");
  if (encrypted) return encrypted;
  const unchecked = results.find((r) => r.kind === "unchecked");
  if (unchecked) return unchecked;
  return { kind: "clean" };
}
