/**
 * The profile stage: which directories a delivery uses (-u, -c BASEDIR, the system
 * profile, the built-in defaults) and the typed, validated control files.
 *
 * @example
 * ```ts
 * import { parseFilters } from "./mod.ts";
 * const filters = parseFilters("badmail=trash\n", "filters");
 * if (filters.actions.badmail !== "trash") throw new Error("not parsed");
 * ```
 * @module
 */
export { ControlFileError } from "./control/control_file_error.ts";
export {
  ACTION_GROUPS,
  ACTIONS,
  CHECKS,
  DEFAULT_FILTERS,
  parseFilters,
  REACTIONS,
} from "./control/filters.ts";
export type {
  Action,
  ActionGroup,
  Check,
  Filters,
  Reaction,
  ScanFailPolicy,
} from "./control/filters.ts";
export { findPattern, parsePatternList } from "./control/pattern_list.ts";
export type { PatternEntry, PatternList } from "./control/pattern_list.ts";
export { parseLoaderTypeList } from "./control/loader_type_list.ts";
export type { LoaderTypeEntry, LoaderTypeList } from "./control/loader_type_list.ts";
export { parseLimits } from "./control/limits.ts";
export { compileWildcard, matchFoldedPieces, matchWildcard } from "./control/wildcard.ts";
export type { Wildcard } from "./control/wildcard.ts";
export { CONTROL_NAMES } from "./control/names.ts";
export type { Control, ControlName, ControlSource } from "./control/registry.ts";
export { DEFAULT_SYSTEM_DIR, resolveProfile } from "./profile.ts";
export { commonProfileProblem, profileProblem } from "./check_profile.ts";
export { argsErrorText } from "./command_args.ts";
export { collectGarbage, releaseMemory, turnOfEvents } from "./release_memory.ts";
export { checkMemory, guardMemory, MemoryLimitReached } from "./memory_guard.ts";
export { lookupAccount, lookupGroup, writableProblem } from "./writable_for.ts";
export type { Profile, ProfileOptions } from "./profile.ts";
export type { LayeredText } from "./load.ts";
export { findLayeredFile, loadControl } from "./load_control.ts";
export { readTextFile } from "./read_text.ts";
export type { ReadText } from "./read_text.ts";
export type { MailHeaderRule, MailHeaders } from "./control/mailheaders.ts";
export type { SpamHeaderRule, SpamHeaders } from "./control/spamheaders.ts";
export type { BodyRule, BodyTexts } from "./control/badbodytexts.ts";
export type { AddressList } from "./control/address_list.ts";
export type { LanguageRule, Languages } from "./control/languages.ts";
export type { InjectCommand } from "./control/qmailinject.ts";
export {
  BUILTIN_SCANNER_NAMES,
  DEFAULT_SCANNER_TIMEOUT_S,
  MAX_SCANNERS,
} from "./control/scanners.ts";
export type { ScannerEntry, ScannerList } from "./control/scanners.ts";
export type { ScannerDefinition, YamlScanner, YamlScanners } from "./control/scanners_yaml.ts";
