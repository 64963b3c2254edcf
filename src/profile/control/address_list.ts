import { ControlFileError, controlLines } from "./control_file_error.ts";

/** `admins`, `forwardto`: one address per line. */
export interface AddressList {
  readonly source: string;
  readonly addresses: readonly string[];
}

const ADDRESS = /^[^\s@<>()",;:\\]+@[A-Za-z0-9.-]+$/;

/** Parse a list of plain addresses (`local@domain`), refusing anything a header could abuse. */
export function parseAddressList(text: string, source: string): AddressList {
  const addresses = controlLines(text).map(({ text: entry, line }) => {
    if (!ADDRESS.test(entry)) {
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
