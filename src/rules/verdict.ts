import type { Action, ActionGroup, Reaction } from "../profile/mod.ts";
import type { Condition, Match } from "./condition.ts";

/**
 * What decide() concluded, and why. Everything the log line, the incident record and the
 * notifications need is in here.
 */
export type Verdict =
  | { readonly kind: "clean" }
  | {
    readonly kind: "condition";
    readonly action: Action;
    /** The action group that chose the action (the highest-precedence one that holds). */
    readonly group: ActionGroup;
    /** Every condition that holds, highest precedence first. */
    readonly conditions: readonly Condition[];
    readonly matches: readonly Match[];
    readonly reactions: readonly Reaction[];
  }
  | { readonly kind: "defer"; readonly reason: string };
