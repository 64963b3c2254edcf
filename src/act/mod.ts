/**
 * The act stage: what a verdict does to the world: quarantine, forward, notify.
 *
 * @example
 * ```ts
 * import { storeInMaildir } from "./mod.ts";
 * const dir = Deno.makeTempDirSync();
 * const path = storeInMaildir(dir, new TextEncoder().encode("Subject: x\n\n"), new Date());
 * if (!path.includes("/new/")) throw new Error("not in new/");
 * ```
 * @module
 */
export { storeInMaildir } from "./maildir.ts";
export { forwardMessage, sendNotifications } from "./notify.ts";
export type { ReactionOutcome, SendContext } from "./notify.ts";
export { bulkReason, planNotifications } from "./reactions.ts";
export type { PlannedNotification, SuppressedNotification } from "./reactions.ts";
export { composeMail, MAX_NOTIFICATION_BYTES } from "./compose.ts";
export {
  isOwnNotification,
  loadNotificationSecret,
  NOTIFICATION_HEADER,
  notificationMark,
} from "./notification_mark.ts";
export { EffectLedger, LEDGER_RETENTION_DAYS } from "./effect_ledger.ts";
export type { Effect } from "./effect_ledger.ts";
export { outcomeWords } from "./outcome_words.ts";
export { RELEASE_HEADER, releasedConditions, releaseHeaderLine } from "./release_mark.ts";
export { PLACEHOLDERS, renderTemplate } from "./template.ts";
export type { RenderedTemplate, TemplateValues } from "./template.ts";
export { templateValues } from "./template_values.ts";
export type { Incident } from "./template_values.ts";
export {
  bodySafe,
  formatHeaderField,
  headerSafe,
  rfc5322Date,
  safeHostname,
} from "./mail_format.ts";
export { injectMail } from "./inject.ts";
