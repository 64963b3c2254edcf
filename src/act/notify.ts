import { findLayered, type Profile } from "../profile/mod.ts";
import type { Control, InjectCommand } from "../profile/mod.ts";
import { composeMail } from "./compose.ts";
import { injectMail } from "./inject.ts";
import { planNotifications } from "./reactions.ts";
import { renderTemplate } from "./template.ts";
import { type Incident, templateValues } from "./template_values.ts";

/** What became of one reaction: sent, suppressed (and why), or failed (and why). */
export interface ReactionOutcome {
  readonly reaction: string;
  readonly to: readonly string[];
  readonly outcome: string;
}

/** Everything sending needs from the delivery: where templates live, how to inject, the clock. */
export interface SendContext {
  readonly profile: Profile;
  readonly control: Control;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly now: Date;
  readonly pid: number;
}

/**
 * Send the verdict's notifications. A failure is reported in the outcome and never
 * thrown: the message has its verdict already, and a notification that cannot be sent
 * must not turn a delivered mail into a lost or deferred one.
 */
export async function sendNotifications(
  incident: Incident,
  context: SendContext,
): Promise<ReactionOutcome[]> {
  const { planned, suppressed } = planNotifications(incident.verdict.reactions, {
    headers: incident.analysis.message.headers,
    sender: incident.sender,
    recipient: incident.recipient,
    control: context.control,
  });
  const outcomes: ReactionOutcome[] = suppressed.map((s) => ({
    reaction: s.reaction,
    to: [],
    outcome: `suppressed: ${s.why}`,
  }));
  const values = templateValues(incident);
  for (const note of planned) {
    try {
      const template = loadTemplate(context.profile, note.language, note.template);
      const mail = composeMail(renderTemplate(template, values), {
        from: `qmvc <MAILER-DAEMON@${incident.host}>`,
        to: note.to,
        kind: note.template,
        host: incident.host,
        now: context.now,
        pid: context.pid,
      });
      const failure = await injectMail(context.control.qmailinject, note.to, mail, context.env);
      outcomes.push({
        reaction: note.reaction,
        to: note.to,
        outcome: failure ? `failed: ${failure}` : "sent",
      });
    } catch (error) {
      outcomes.push({
        reaction: note.reaction,
        to: note.to,
        outcome: `failed: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  }
  return outcomes;
}

/**
 * Forward the message to `forwardto` as a message/rfc822 attachment. Returns undefined
 * when injected, or the reason it failed: then the delivery defers (the action failed).
 */
export async function forwardMessage(
  incident: Incident,
  original: Uint8Array,
  context: SendContext & { readonly forwardto: readonly string[]; readonly inject: InjectCommand },
): Promise<string | undefined> {
  const template = loadTemplate(context.profile, context.control.filters.language, "forward");
  const mail = composeMail(renderTemplate(template, templateValues(incident)), {
    from: `qmvc <MAILER-DAEMON@${incident.host}>`,
    to: context.forwardto,
    kind: "forward",
    host: incident.host,
    now: context.now,
    pid: context.pid,
    original,
  });
  return await injectMail(context.inject, context.forwardto, mail, context.env);
}

/** A template from the profile, the system or the binary, in the language or else in English. */
function loadTemplate(profile: Profile, language: string, name: string): string {
  const found = findLayered(profile, `templates/${language}/${name}`) ??
    findLayered(profile, `templates/en/${name}`);
  if (!found) throw new Error(`No template "${name}" for language "${language}" or "en"`);
  return found.text;
}
