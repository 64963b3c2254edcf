/**
 * Where a scanner found a virus: the part (its path as in the analysis, "0" for the
 * message as a whole when no single part carried it) and, inside an archive, the member.
 */
export interface VirusHit {
  /** One virus name, whatever spaces or punctuation it holds. */
  readonly name: string;
  readonly part: string;
  readonly member?: {
    /** Path inside the archive, nested archives joined with "/" (as in the analysis). */
    readonly path: string;
    /** Known when qmvc unpacked the member itself (clamd); a scanner's report names only the path. */
    readonly size?: number;
    readonly sha256?: string;
  };
}

/** One scanner's answer about the message (spec section 4). */
export type ScanResult =
  | { readonly kind: "clean" }
  | {
    readonly kind: "infected";
    /** The distinct names, in the order found. */
    readonly names: readonly string[];
    /** Where each was found; absent when the scanner could not say (the message as a whole). */
    readonly hits?: readonly VirusHit[];
  }
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
