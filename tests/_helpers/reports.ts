/** Running the report commands of the binary and reading their pages back with a DOM. */
import { parseHTML } from "linkedom";
import { BINARY } from "./qmail_local.ts";

// deno-lint-ignore no-explicit-any
export type Doc = any;

export async function qmvc(env: Record<string, string>, ...args: string[]) {
  const out = await new Deno.Command(BINARY, { args, env, clearEnv: true, stdin: "null" }).output();
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
}

export function dom(text: string): Doc {
  return (parseHTML(text) as unknown as { document: Doc }).document;
}

/** The number on a summary tile, by its label. */
export function tile(doc: Doc, label: string): number {
  const stat = [...doc.querySelectorAll(".stat")].find((s: Doc) =>
    s.querySelector("span")?.textContent === label
  );
  return Number(stat?.querySelector("b")?.textContent);
}

/** The "@" addresses of a text that are not masks (u-..., m-...). */
export function unmaskedAddresses(text: string): string[] {
  return [...text.matchAll(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g)].map((m) => m[0]).filter((a) =>
    !/^[um]-[0-9a-f]{10}@/.test(a)
  );
}
