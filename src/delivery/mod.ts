/**
 * The delivery stage's primitives: qmail-local's environment as a Delivery, and the exit
 * codes. (The commands themselves are imported by main.ts directly.)
 *
 * @example
 * ```ts
 * import { readDelivery, realRecipient } from "./mod.ts";
 * const delivery = readDelivery({ RECIPIENT: "example-info@example.org", USER: "example" });
 * if (realRecipient(delivery, "-") !== "info@example.org") throw new Error("prefix not stripped");
 * ```
 * @module
 */
export { isQmailDelivery, readDelivery, realRecipient } from "./delivery.ts";
export type { Delivery } from "./delivery.ts";
export {
  DeliveryFailure,
  describeError,
  EXIT_BOUNCE,
  EXIT_CONTINUE,
  EXIT_DEFER,
  EXIT_DELIVERED,
  permFailure,
  tempFailure,
} from "./exit.ts";
export type { ExitCode } from "./exit.ts";
