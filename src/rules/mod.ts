/**
 * The rules stage: findings, control and scanner results in, the Verdict out (QMVC's
 * Condition/Action/Reaction triple). Pure.
 *
 * @example
 * ```ts
 * import { CONDITION_GROUP } from "./mod.ts";
 * if (CONDITION_GROUP.virus !== "virusmail") throw new Error("unexpected group");
 * ```
 * @module
 */
export { decide } from "./decide.ts";
export type { Outcomes } from "./decide.ts";
export { CONDITION_GROUP, CONDITIONS } from "./condition.ts";
export type { Condition, Match, RuleRef } from "./condition.ts";
export type { BodyCommandOutcome, ScannerOutcome, ScanResult, VirusHit } from "./scan_result.ts";
export { infectedNames } from "./scan_result.ts";
export type { Verdict } from "./verdict.ts";
export { automaticSenderReason, isBounceSender } from "./bounce_sender.ts";
