/**
 * qmail-local describes each delivery in environment variables (qmail-command(8)).
 * All of them are sender-controlled: they are data, never code, paths or shell text.
 */
export interface Delivery {
  /** Envelope sender; "" for a bounce, "#@[]" for a double bounce. */
  readonly sender: string;
  readonly newSender: string;
  /** Envelope recipient as qmail-local saw it (for a virtual domain: "prefix-user@host"). */
  readonly recipient: string;
  readonly user: string;
  readonly home: string;
  readonly host: string;
  readonly hosts: readonly string[];
  readonly local: string;
  readonly ext: string;
  readonly exts: readonly string[];
  readonly defaultPart: string;
  readonly dtline: string;
  readonly rpline: string;
  readonly ufline: string;
}

type Env = Readonly<Record<string, string | undefined>>;

/** Read qmail-local's environment into a typed Delivery; absent variables are "". */
export function readDelivery(env: Env): Delivery {
  const get = (name: string): string => env[name] ?? "";
  return {
    sender: get("SENDER"),
    newSender: get("NEWSENDER"),
    recipient: get("RECIPIENT"),
    user: get("USER"),
    home: get("HOME"),
    host: get("HOST"),
    hosts: [get("HOST2"), get("HOST3"), get("HOST4")],
    local: get("LOCAL"),
    ext: get("EXT"),
    exts: [get("EXT2"), get("EXT3"), get("EXT4")],
    defaultPart: get("DEFAULT"),
    dtline: get("DTLINE"),
    rpline: get("RPLINE"),
    ufline: get("UFLINE"),
  };
}

/** True when qmail-local is the caller: it always sets RECIPIENT and SENDER. */
export function isQmailDelivery(env: Env): boolean {
  return env["RECIPIENT"] !== undefined && env["SENDER"] !== undefined;
}

/**
 * The recipient with a virtual-domain prefix removed (`-v PREPEND`, `-v-` for `$USER-`).
 * qmail-local gives a virtual-domain account `LOCAL=prefix-user`; the user knows
 * themselves as `user@domain`.
 */
export function realRecipient(delivery: Delivery, prepend: string | undefined): string {
  const prefix = prepend === "-" ? `${delivery.user}-` : prepend;
  if (!prefix) return delivery.recipient;
  return delivery.recipient.startsWith(prefix)
    ? delivery.recipient.slice(prefix.length)
    : delivery.recipient;
}
