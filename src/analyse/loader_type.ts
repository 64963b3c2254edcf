/**
 * Loader types: what would *run* the bytes, judged from the bytes (spec section 3).
 * The ids are the words admins write in `badloadertypes`.
 */
export const LOADER_TYPES = [
  "pe",
  "msdos",
  "elf",
  "macho",
  "java-class",
  "jar",
  "script-sh",
  "script-win",
  "lnk",
  "chm",
  "msi",
  "ole-macro",
  "ooxml-macro",
  "pdf-js",
  "rtf-object",
  "disk-image",
  "archive",
] as const;

export type LoaderType = typeof LOADER_TYPES[number];

/** A detected loader type with the variant seen ("dll", "pie", "fat", "zip", ...). */
export interface LoaderMatch {
  readonly type: LoaderType;
  readonly detail: string;
  /** The sniffed MIME type that goes with it. */
  readonly mime: string;
}

export function isLoaderType(value: string): value is LoaderType {
  return (LOADER_TYPES as readonly string[]).includes(value);
}
