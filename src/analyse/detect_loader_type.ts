import { sniffBytes } from "./loader_signatures.ts";
import type { LoaderMatch } from "./loader_type.ts";

/** What would run these bytes, judged from the bytes alone; undefined for inert data. */
export function detectLoaderType(bytes: Uint8Array): LoaderMatch | undefined {
  return sniffBytes(bytes).loader;
}
