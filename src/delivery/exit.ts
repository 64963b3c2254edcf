/**
 * Exit codes are the protocol between qmvc and qmail-local (qmail-command(8)).
 * This is their one home: no module below main.ts exits the process.
 */

/** 0 next line, 99 delivered (skip the rest), 100 bounce, 111 defer and retry. */
export type ExitCode = 0 | 99 | 100 | 111;

export const EXIT_CONTINUE = 0 as const;
export const EXIT_DELIVERED = 99 as const;
export const EXIT_BOUNCE = 100 as const;
export const EXIT_DEFER = 111 as const;

/**
 * A failure that qmail must hear about: 111 keeps the message queued, 100 bounces it.
 * The message is for the administrator reading qmail's log and ends with an enhanced
 * status code, e.g. "Unable to read message: EIO (#4.3.0)".
 */
export class DeliveryFailure extends Error {
  readonly status: 100 | 111;

  constructor(status: 100 | 111, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "DeliveryFailure";
    this.status = status;
  }
}

/** A temporary failure (exit 111) in the style of qmail's temp_* functions. */
export function tempFailure(
  what: string,
  code = "4.3.0",
  options?: ErrorOptions,
): DeliveryFailure {
  return new DeliveryFailure(111, `${what} (#${code})`, options);
}

/** A permanent failure (exit 100): the sender gets a bounce with this sentence. */
export function permFailure(what: string, code = "5.7.1"): DeliveryFailure {
  return new DeliveryFailure(100, `${what} (#${code})`);
}

/** The error's own text, short and on one line, for an admin-facing message. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const text = typeof code === "string" && !error.message.includes(code)
      ? `${code}: ${error.message}`
      : error.message;
    return oneLine(text);
  }
  return oneLine(String(error));
}

function oneLine(text: string): string {
  return text.replace(/[\r\n\t]+/g, " ").trim().slice(0, 400);
}
