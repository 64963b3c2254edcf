/** One scanner's answer about the message (spec section 4). */
export type ScanResult =
  | { readonly kind: "clean" }
  | { readonly kind: "infected"; readonly names: readonly string[] }
  | { readonly kind: "encrypted"; readonly detail: string }
  /** The scanner could not look at all of it (a size limit it enforces): not clean. */
  | { readonly kind: "unchecked"; readonly detail: string }
  | { readonly kind: "failed"; readonly reason: string };

/** Every virus name the scanners reported, in order, with repeats. */
export function infectedNames(scans: readonly ScannerOutcome[]): string[] {
  return scans.flatMap((s) => (s.result.kind === "infected" ? s.result.names : []));
}

export interface ScannerOutcome {
  readonly scanner: string;
  readonly result: ScanResult;
  readonly milliseconds: number;
}

/** A `badbodytexts` program's answer about the message. */
export interface BodyCommandOutcome {
  readonly argv: readonly string[];
  readonly pattern: string;
  readonly line: number;
  readonly result: { readonly kind: "match" } | { readonly kind: "nomatch" } | {
    readonly kind: "failed";
  };
  /** For a failure: what happened, for the admin. */
  readonly reason: string;
}
