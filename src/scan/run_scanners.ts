import type { ScannerOutcome } from "../rules/mod.ts";
import type { ConfiguredScanner } from "./registry.ts";
import type { ScanInput } from "./scanner.ts";

/**
 * Run the configured scanners at the same time (at most four, see `scanners`), each
 * under its own timeout. Results come back in configuration order.
 */
export async function runScanners(
  scanners: readonly ConfiguredScanner[],
  input: ScanInput,
): Promise<ScannerOutcome[]> {
  return await Promise.all(scanners.map(async ({ scanner, timeoutMs }): Promise<ScannerOutcome> => {
    const started = performance.now();
    const signal = AbortSignal.timeout(timeoutMs);
    let result = await scanner.scan(input, { signal });
    if (signal.aborted && result.kind === "failed") {
      result = {
        kind: "failed",
        reason: `${scanner.name}: no answer within ${timeoutMs / 1000} s`,
      };
    }
    return { scanner: scanner.name, result, milliseconds: performance.now() - started };
  }));
}
