/**
 * The act stage: what a verdict does to the world (quarantine, forward, notify).
 *
 * @example
 * ```ts
 * import { storeInMaildir } from "./mod.ts";
 * const dir = Deno.makeTempDirSync();
 * const path = storeInMaildir(dir, new TextEncoder().encode("Subject: x\n\n"), new Date());
 * if (!path.includes("/new/")) throw new Error("not in new/");
 * ```
 * @module
 */
export { storeInMaildir } from "./maildir.ts";
