/**
 * Deliveries whose notifications are caught by the qmail-inject stand-in
 * (inject_to_maildir.sh, which reads its arguments by qmail-inject's rules) and read
 * back as parsed messages with the envelope qmail-inject would have queued.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Message, parseMessage } from "../../src/message/mod.ts";
import {
  deliver,
  type DeliveryResult,
  fixture,
  makeSite,
  readInjected,
  type Site,
  useTestInjector,
  writeControl,
} from "./qmail_local.ts";

export const ONLY_RECIPIENT = "notify-recipient=y\nnotify-sender=n\nnotify-admin=n\n";
export const ONLY_SENDER = "notify-recipient=n\nnotify-sender=y\nnotify-admin=n\n";
export const ONLY_ADMIN = "notify-recipient=n\nnotify-sender=n\nnotify-admin=y\n";

/** One message qmail-inject would have queued: envelope, parsed mail and its text. */
export interface Sent {
  readonly from: string;
  readonly to: string[];
  readonly mail: Message;
  readonly text: string;
}

/** A site whose system profile injects into an outbox, with the given control files. */
export function makeNotifyingSite(
  controls: { filters: string; admins?: string; languages?: string },
): Site & { outbox: string } {
  const site = makeSite();
  const outbox = useTestInjector(site.system);
  writeControl(site.system, "filters", controls.filters);
  if (controls.admins) writeControl(site.system, "admins", controls.admins);
  if (controls.languages) writeControl(site.system, "languages", controls.languages);
  return { ...site, outbox };
}

/** Everything in the outbox, oldest first. */
export async function readSent(outbox: string): Promise<Sent[]> {
  return await Promise.all(
    readInjected(outbox).map(async (i) => ({
      from: i.from,
      to: i.to,
      mail: await parseMessage(i.message),
      text: new TextDecoder().decode(i.message),
    })),
  );
}

/** `|qmvc -n` for one recipient of the site, the message as a fixture name or raw text. */
export function deliverTo(
  site: Site,
  options: {
    message?: string;
    raw?: string;
    sender?: string;
    recipient?: string;
    env?: Readonly<Record<string, string | undefined>>;
  } = {},
  asUser?: number,
): Promise<DeliveryResult> {
  let message = fixture(options.message ?? "subject_iloveyou.eml");
  if (options.raw !== undefined) {
    message = join(site.root, `message-${crypto.randomUUID()}.eml`);
    writeFileSync(message, options.raw);
  }
  return deliver({
    line: "qmvc -n",
    message,
    home: site.home,
    env: { QMVC_HOME: site.system, ...options.env },
    ...(options.sender !== undefined ? { sender: options.sender } : {}),
    ...(options.recipient !== undefined ? { recipient: options.recipient } : {}),
    ...(asUser !== undefined ? { asUser } : {}),
  });
}

/** One delivery on a fresh site; what it sent. */
export async function run(
  options: {
    filters: string;
    message?: string;
    sender?: string;
    recipient?: string;
    admins?: string;
    languages?: string;
    raw?: string;
    env?: Readonly<Record<string, string | undefined>>;
  },
): Promise<{ code: number; stderr: string; sent: Sent[]; site: Site }> {
  const site = makeNotifyingSite(options);
  const result = await deliverTo(site, options);
  return { code: result.code, stderr: result.stderr, sent: await readSent(site.outbox), site };
}
