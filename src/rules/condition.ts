/** QMVC's conditions (spec section 2). */
export const CONDITIONS = [
  "virus",
  "virusbomb",
  "badsubject",
  "badbody",
  "badfilename",
  "badmimetype",
  "badloadertype",
  "unchecked",
  "errormail",
  "spammail",
] as const;

export type Condition = typeof CONDITIONS[number];

/** The `filters` action group each condition belongs to, in precedence order. */
export const CONDITION_GROUP = {
  virus: "virusmail",
  virusbomb: "virusmail",
  badsubject: "badmail",
  badbody: "badmail",
  badfilename: "badmail",
  badmimetype: "badmail",
  badloadertype: "badmail",
  unchecked: "uncheckedmail",
  errormail: "errormail",
  spammail: "spammail",
} as const satisfies Record<Condition, string>;

/** The control-file line that made a condition hold. */
export interface RuleRef {
  readonly file: string;
  readonly line: number;
  readonly pattern: string;
}

/** One reason a condition holds: where, what was seen, and the rule that matched. */
export interface Match {
  readonly condition: Condition;
  /** The part's path as in the analysis ("2", "2.1"); "0" is the message as a whole. */
  readonly part: string;
  /** Inside an archive part: the member's path (a virus a scanner tied to it). */
  readonly member?: string;
  readonly evidence: string;
  readonly rule: RuleRef | undefined;
}
