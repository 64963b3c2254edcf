import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { FIXTURES, REPO } from "./qmail_local.ts";

/** The corpus of mail written by other projects, beside the repository. */
export const CORPUS = join(REPO, "../shared/corpus/mail");

/** Every message file under `dir`, in a stable order (README files left out). */
export function* messageFiles(dir: string): Generator<string> {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* messageFiles(path);
    else if (name !== "README.md") yield path;
  }
}

/** Every fixture, sample and corpus message. */
export function everyMessageFile(): string[] {
  return [
    ...messageFiles(FIXTURES),
    ...messageFiles(join(REPO, "samples")),
    ...messageFiles(CORPUS),
  ];
}
