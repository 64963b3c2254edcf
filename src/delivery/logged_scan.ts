import { joinVirusNames, type LoggedScan } from "../log/mod.ts";
import type { ScannerOutcome } from "../rules/mod.ts";

/** One scanner's outcome as the log line and the incident record write it. */
export function loggedScan(s: ScannerOutcome): LoggedScan {
  switch (s.result.kind) {
    case "clean":
      return { scanner: s.scanner, outcome: "clean", detail: "" };
    case "infected":
      return { scanner: s.scanner, outcome: "infected", detail: joinVirusNames(s.result.names) };
    case "encrypted":
      return { scanner: s.scanner, outcome: "encrypted", detail: s.result.detail };
    case "unchecked":
      return { scanner: s.scanner, outcome: "unchecked", detail: s.result.detail };
    case "failed":
      return { scanner: s.scanner, outcome: "failed", detail: s.result.reason };
    default: {
      const never: never = s.result;
      return never;
    }
  }
}
