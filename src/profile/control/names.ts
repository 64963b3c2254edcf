/**
 * The control files qmvc reads, in the order they are loaded and cached. Written out
 * rather than taken from CONTROL_PARSERS (registry.ts, which a test holds to the same
 * names in the same order): a delivery whose parsed control files come from the cache
 * needs the names, not the parsers.
 */
export const CONTROL_NAMES = [
  "filters",
  "limits",
  "badsubjects",
  "badfilenames",
  "badmimetypes",
  "badloadertypes",
  "noscantypes",
  "mailheaders",
  "spamheaders",
  "badbodytexts",
  "admins",
  "forwardto",
  "languages",
  "qmailinject",
  "scanners",
  "scanners.yaml",
] as const;

export type ControlName = typeof CONTROL_NAMES[number];
