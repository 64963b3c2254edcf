/** One scanner's answer about the message (spec section 4). */
export type ScanResult =
  | { readonly kind: "clean" }
  | { readonly kind: "infected"; readonly names: readonly string[] }
  | { readonly kind: "encrypted"; readonly detail: string }
  | { readonly kind: "failed"; readonly reason: string };

export interface ScannerOutcome {
  readonly scanner: string;
  readonly result: ScanResult;
  readonly milliseconds: number;
}
