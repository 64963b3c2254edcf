import { isMailbox } from "../../message/mod.ts";
import { ControlFileError, controlLines } from "./control_file_error.ts";

/** `admins`, `forwardto`: one address per line. */
export interface AddressList {
  readonly source: string;
  readonly addresses: readonly string[];
}

/**
 * Parse a list of plain addresses (`local@domain`): each one RFC 5321 mailbox, so that
 * nothing a header or qmail-inject's argument list could misread gets through.
 */
export function parseAddressList(text: string, source: string): AddressList {
  const addresses = controlLines(text).map(({ text: entry, line }) => {
    if (!isMailbox(entry)) {
      throw new ControlFileError(
        source,
        line,
        `Expected one plain address such as postmaster@example.org, found "${entry}"`,
      );
    }
    return entry;
  });
  return { source, addresses };
}
