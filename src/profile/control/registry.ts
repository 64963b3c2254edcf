import { parseAddressList } from "./address_list.ts";
import { parseBadBodyTexts } from "./badbodytexts.ts";
import { parseFilters } from "./filters.ts";
import { parseLanguages } from "./languages.ts";
import { parseMailHeaders } from "./mailheaders.ts";
import { parseQmailInject } from "./qmailinject.ts";
import { parseSpamHeaders } from "./spamheaders.ts";
import { parseScanners } from "./scanners.ts";
import { parseScannersYaml } from "./scanners_yaml.ts";
import { parseLimits } from "./limits.ts";
import { parseLoaderTypeList } from "./loader_type_list.ts";
import { parsePatternList } from "./pattern_list.ts";
import type { ControlName } from "./names.ts";

export { CONTROL_NAMES } from "./names.ts";
export type { ControlName } from "./names.ts";

/**
 * Every control file qmvc reads, with its pure parser. The names are the file names in
 * `control/`; the parsers take the text and the path to name in errors.
 */
export const CONTROL_PARSERS = {
  filters: parseFilters,
  limits: parseLimits,
  badsubjects: (text: string, source: string) => parsePatternList(text, source, { contains: true }),
  badfilenames: (text: string, source: string) => parsePatternList(text, source),
  badmimetypes: (text: string, source: string) => parsePatternList(text, source),
  badloadertypes: parseLoaderTypeList,
  noscantypes: (text: string, source: string) => parsePatternList(text, source),
  mailheaders: parseMailHeaders,
  spamheaders: parseSpamHeaders,
  badbodytexts: parseBadBodyTexts,
  admins: parseAddressList,
  forwardto: parseAddressList,
  languages: parseLanguages,
  qmailinject: parseQmailInject,
  scanners: parseScanners,
  "scanners.yaml": parseScannersYaml,
} as const satisfies Record<ControlName, (text: string, source: string) => unknown>;

/** Where an effective control file came from (for `qmvc showctl` and error messages). */
export interface ControlSource {
  readonly layer: "profile" | "system" | "built-in";
  readonly path: string;
}

/** The effective configuration: every control file parsed, and where each came from. */
export type Control =
  & { readonly [K in ControlName]: ReturnType<typeof CONTROL_PARSERS[K]> }
  & { readonly sources: Readonly<Record<ControlName, ControlSource>> };
