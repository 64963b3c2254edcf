import { findLayeredFile, type Profile } from "../profile/mod.ts";
import type { Control, InjectCommand } from "../profile/mod.ts";
import { composeMail } from "./compose.ts";
import type { EffectLedger } from "./effect_ledger.ts";
import { injectMail } from "./inject.ts";
import { isOwnNotification } from "./notification_mark.ts";
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
  /** What this profile already did for the message: each party is told once. */
  readonly ledger: EffectLedger;
  /** The profile's notification secret (loadNotificationSecret); throws when unusable. */
  readonly secret: () => Uint8Array;
}

/**
 * Send the verdict's notifications, each party at most once per message whatever the
 * number of recipients and retries (the ledger). A failure is reported in the outcome
 * and never thrown: the message has its verdict already, and a notification that
 * cannot be sent must not turn a delivered mail into a lost or deferred one. Without a
 * usable secret nothing is sent: qmvc could not mark its mail or recognise it coming
 * back, and a notification about a notification could loop.
 */
export async function sendNotifications(
  incident: Incident,
  context: SendContext,
  original: Uint8Array,
): Promise<ReactionOutcome[]> {
  let secret: Uint8Array | undefined;
  let secretProblem = "";
  try {
    secret = context.secret();
  } catch (error) {
    secretProblem = `no notification secret: ${errorText(error)}`;
  }
  const headers = incident.analysis.message.headers;
  const { planned, suppressed } = planNotifications(incident.verdict.reactions, {
    headers,
    sender: incident.sender,
    recipient: incident.recipient,
    control: context.control,
    action: incident.verdict.action,
    ownNotification: secret !== undefined && isOwnNotification(headers, original, secret),
  });
  const outcomes: ReactionOutcome[] = suppressed.map((s) => ({
    reaction: s.reaction,
    to: [],
    outcome: `suppressed: ${s.why}`,
  }));
  for (const note of planned) {
    const party = note.to.join(",");
    const outcome = (text: string): void => {
      outcomes.push({ reaction: note.reaction, to: note.to, outcome: text });
    };
    if (!secret) {
      outcome(`failed: ${secretProblem}`);
      continue;
    }
    let claimed = false;
    try {
      claimed = context.ledger.claim(note.reaction, party);
      if (!claimed) {
        outcome("suppressed: already sent for this message");
        continue;
      }
      const template = await loadTemplate(context.profile, note.language, note.template);
      const mail = composeMail(
        renderTemplate(template, templateValues(incident, note.language)),
        {
          from: `qmvc <MAILER-DAEMON@${incident.host}>`,
          to: note.to,
          kind: note.template,
          host: incident.host,
          now: context.now,
          secret,
        },
      );
      const failure = await injectMail(context.control.qmailinject, note.to, mail, context.env);
      if (failure) throw new Error(failure);
      context.ledger.record(note.reaction, party, "sent");
      outcome("sent");
    } catch (error) {
      if (claimed) context.ledger.release(note.reaction, party);
      outcome(`failed: ${errorText(error)}`);
    }
  }
  return outcomes;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
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
  const language = context.control.filters.language;
  const template = await loadTemplate(context.profile, language, "forward");
  const mail = composeMail(renderTemplate(template, templateValues(incident, language)), {
    from: `qmvc <MAILER-DAEMON@${incident.host}>`,
    to: context.forwardto,
    kind: "forward",
    host: incident.host,
    now: context.now,
    secret: context.secret(),
    original,
  });
  return await injectMail(context.inject, context.forwardto, mail, context.env);
}

/** A template from the profile, the system or the binary, in the language or else in English. */
async function loadTemplate(profile: Profile, language: string, name: string): Promise<string> {
  const found = await findLayeredFile(profile, `templates/${language}/${name}`) ??
    await findLayeredFile(profile, `templates/en/${name}`);
  if (!found) throw new Error(`No template "${name}" for language "${language}" or "en"`);
  return found.text;
}
