import { ControlFileError, controlLines, KeysSeen } from "./control_file_error.ts";

/** What qmvc does with a message that meets a condition. */
export const ACTIONS = ["pass", "tag", "trash", "quarantine", "forward", "bounce"] as const;
export type Action = typeof ACTIONS[number];

/** The condition groups that carry an action in `filters`. */
export const ACTION_GROUPS = [
  "errormail",
  "badmail",
  "virusmail",
  "uncheckedmail",
  "spammail",
] as const;
export type ActionGroup = typeof ACTION_GROUPS[number];

/** The checks `filters` switches on or off (QMVC's `key=y|n` lines, plus ours). */
export const CHECKS = [
  "subject",
  "body",
  "mimetype",
  "filename",
  "loadertype",
  "headers",
  "spam",
  "virus",
] as const;
export type Check = typeof CHECKS[number];

export const REACTIONS = ["notify-recipient", "notify-sender", "notify-admin"] as const;
export type Reaction = typeof REACTIONS[number];

export type ScanFailPolicy = "defer" | "pass";

/** The parsed `filters` control file. */
export interface Filters {
  readonly checks: Readonly<Record<Check, boolean>>;
  readonly actions: Readonly<Record<ActionGroup, Action>>;
  readonly reactions: Readonly<Record<Reaction, boolean>>;
  /** More infected or bad parts than this makes the message a `virusbomb`. */
  readonly bomb: number;
  readonly language: string;
  readonly scanfail: ScanFailPolicy;
  /** Notify also when the action is pass or tag (the message was delivered anyway). */
  readonly notifyPass: boolean;
}

/** The values a key takes when the file does not set it. */
export const DEFAULT_FILTERS: Filters = {
  checks: {
    subject: true,
    body: false,
    mimetype: true,
    filename: true,
    loadertype: true,
    headers: true,
    spam: false,
    virus: true,
  },
  // Fail closed: what could not be inspected is stopped unless the admin says otherwise.
  actions: {
    errormail: "pass",
    badmail: "quarantine",
    virusmail: "quarantine",
    uncheckedmail: "quarantine",
    spammail: "pass",
  },
  reactions: { "notify-recipient": true, "notify-sender": false, "notify-admin": true },
  bomb: 5,
  language: "en",
  scanfail: "defer",
  notifyPass: false,
};

const MAX_BOMB = 10_000;

/** Parse `filters`: one `key=value` per line. Unknown keys and values are errors. */
export function parseFilters(text: string, source: string): Filters {
  const checks = { ...DEFAULT_FILTERS.checks };
  const actions = { ...DEFAULT_FILTERS.actions };
  const reactions = { ...DEFAULT_FILTERS.reactions };
  let { bomb, language, scanfail, notifyPass } = DEFAULT_FILTERS;
  const seen = new KeysSeen(source, "Key");

  for (const { text: entry, line } of controlLines(text)) {
    const eq = entry.indexOf("=");
    if (eq < 1) {
      throw new ControlFileError(source, line, `Expected "key=value", found "${entry}"`);
    }
    const key = entry.slice(0, eq).trim().toLowerCase();
    const value = entry.slice(eq + 1).trim();
    seen.add(key, line);
    const fail = (expected: string): never => {
      throw new ControlFileError(
        source,
        line,
        `Invalid value "${value}" for "${key}": use ${expected}`,
      );
    };

    if (isOneOf(CHECKS, key)) {
      checks[key] = parseYesNo(value) ?? fail("y or n");
    } else if (isOneOf(ACTION_GROUPS, key)) {
      const action = value.toLowerCase();
      actions[key] = isOneOf(ACTIONS, action) ? action : fail(ACTIONS.join(", "));
    } else if (isOneOf(REACTIONS, key)) {
      reactions[key] = parseYesNo(value) ?? fail("y or n");
    } else if (key === "notify-pass") {
      notifyPass = parseYesNo(value) ?? fail("y or n");
    } else if (key === "bomb") {
      const n = /^\d+$/.test(value) ? Number(value) : NaN;
      bomb = n >= 1 && n <= MAX_BOMB ? n : fail(`a whole number from 1 to ${MAX_BOMB}`);
    } else if (key === "language") {
      language = /^[a-z]{2}$/i.test(value)
        ? value.toLowerCase()
        : fail("a two-letter code such as en or de");
    } else if (key === "scanfail") {
      const policy = value.toLowerCase();
      scanfail = policy === "defer" || policy === "pass" ? policy : fail("defer or pass");
    } else {
      const known = [
        ...CHECKS,
        ...ACTION_GROUPS,
        ...REACTIONS,
        "notify-pass",
        "bomb",
        "language",
        "scanfail",
      ];
      throw new ControlFileError(
        source,
        line,
        `Unknown key "${key}": known keys are ${known.join(", ")}`,
      );
    }
  }
  return { checks, actions, reactions, bomb, language, scanfail, notifyPass };
}

/** Every key of `filters` with its effective value, in the file's own order of sections. */
export function filtersEntries(filters: Filters): [string, string][] {
  const yn = (v: boolean): string => (v ? "y" : "n");
  return [
    ...CHECKS.map((k): [string, string] => [k, yn(filters.checks[k])]),
    ["bomb", String(filters.bomb)],
    ...ACTION_GROUPS.map((k): [string, string] => [k, filters.actions[k]]),
    ...REACTIONS.map((k): [string, string] => [k, yn(filters.reactions[k])]),
    ["notify-pass", yn(filters.notifyPass)],
    ["language", filters.language],
    ["scanfail", filters.scanfail],
  ];
}

function parseYesNo(value: string): boolean | undefined {
  const v = value.toLowerCase();
  if (v === "y" || v === "yes" || v === "1") return true;
  if (v === "n" || v === "no" || v === "0") return false;
  return undefined;
}

function isOneOf<T extends string>(list: readonly T[], value: string): value is T {
  return (list as readonly string[]).includes(value);
}
