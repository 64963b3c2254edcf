/**
 * Every bound the parser keeps, in one place, each with the attack it stops
 * (DESIGN invariant 3). Limits from the `limits` control file pass through
 * `validateLimits`, so 0, NaN or a word can never switch a bound off.
 */
export interface Limits {
  /** Bytes of the message that are parsed; the rest is kept and scanned, not parsed. Stops memory blow-up from one huge message. */
  readonly maxMessageBytes: number;
  /** Header bytes across all parts (postal-mime maxHeadersSize). Stops a megabyte of folded header lines eating CPU. */
  readonly maxHeaderBytes: number;
  /** Multipart nesting inside one message (postal-mime maxNestingDepth). Stops recursion bombs of nested multiparts. */
  readonly maxMimeDepth: number;
  /** Nested message/rfc822 levels parsed. Stops a forwarded-in-forwarded chain from recursing without end. */
  readonly maxMessageDepth: number;
  /** Leaf parts analysed per message. Stops 10 000-part MIME bombs from costing 10 000 analyses. */
  readonly maxParts: number;
  /** Archive nesting (zip in zip) that is opened. Stops recursive zip quines. */
  readonly maxArchiveDepth: number;
  /** Members listed per archive. Stops archives with millions of tiny entries. */
  readonly maxArchiveMembers: number;
  /** Bytes inflated from archives per message. Stops zip bombs (42.zip). */
  readonly maxExpansionBytes: number;
  /** Declared uncompressed / compressed size above which a member is a bomb. */
  readonly maxCompressionRatio: number;
  /** Seconds one delivery may take before it defers (111). Stops a stuck scanner or program from holding qmail's slot for ever. */
  readonly maxDeliverySeconds: number;
  /**
   * Resident bytes one delivery may use before it defers (111) with a log line, instead of
   * being killed by the kernel without one. Lowered to 95 % of the cgroup's memory cap.
   */
  readonly maxMemoryBytes: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxMessageBytes: 64 * 1024 * 1024,
  maxHeaderBytes: 1024 * 1024,
  maxMimeDepth: 50,
  maxMessageDepth: 10,
  maxParts: 1000,
  maxArchiveDepth: 3,
  maxArchiveMembers: 10_000,
  maxExpansionBytes: 64 * 1024 * 1024,
  maxCompressionRatio: 200,
  maxDeliverySeconds: 300,
  maxMemoryBytes: 4 * 1024 * 1024 * 1024,
};

/** Upper bounds a configured limit may not exceed, so a typo cannot disable a guard. */
export const LIMIT_CEILINGS: Limits = {
  maxMessageBytes: 1024 * 1024 * 1024,
  maxHeaderBytes: 16 * 1024 * 1024,
  maxMimeDepth: 256,
  maxMessageDepth: 50,
  maxParts: 100_000,
  maxArchiveDepth: 10,
  maxArchiveMembers: 1_000_000,
  maxExpansionBytes: 1024 * 1024 * 1024,
  maxCompressionRatio: 100_000,
  maxDeliverySeconds: 86_400,
  maxMemoryBytes: 64 * 1024 * 1024 * 1024,
};

/** Why a limit value is unusable, or undefined when it is a whole number in 1..ceiling. */
export function checkLimitValue(key: keyof Limits, value: unknown): string | undefined {
  const ceiling = LIMIT_CEILINGS[key];
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1 || value > ceiling) {
    return `"${key}" must be a whole number from 1 to ${ceiling}`;
  }
  return undefined;
}
