import { isLoaderType, LOADER_TYPES, type LoaderType } from "../../analyse/mod.ts";
import { ControlFileError, controlLines } from "./control_file_error.ts";

/** A `badloadertypes` entry with the line that listed it. */
export interface LoaderTypeEntry {
  readonly type: LoaderType;
  readonly line: number;
}

export interface LoaderTypeList {
  readonly source: string;
  readonly entries: readonly LoaderTypeEntry[];
}

/** Parse `badloadertypes`: one loader type per line, from the known list. */
export function parseLoaderTypeList(text: string, source: string): LoaderTypeList {
  const entries = controlLines(text).map(({ text: word, line }) => {
    const type = word.toLowerCase();
    if (!isLoaderType(type)) {
      throw new ControlFileError(
        source,
        line,
        `Unknown loader type "${word}": use one of ${LOADER_TYPES.join(", ")}`,
      );
    }
    return { type, line };
  });
  return { source, entries };
}
