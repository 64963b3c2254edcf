import type { Control } from "./control/registry.ts";
import type { LayeredText } from "./load.ts";
import type { Profile } from "./profile.ts";
import type { ReadText } from "./read_text.ts";

/**
 * Load every control file (load.ts). The parsers and the built-in defaults are loaded on
 * the first call: a delivery whose parsed control files come from the cache never needs
 * them, and loading them cost every start about 0.2 M instructions.
 */
export async function loadControl(profile: Profile, read?: ReadText): Promise<Control> {
  const { loadControl } = await import("./load.ts");
  return await loadControl(profile, read);
}

/** findLayered (load.ts): a profile file from the first layer that has it, or the built-in default. */
export async function findLayeredFile(
  profile: Profile,
  relative: string,
): Promise<LayeredText | undefined> {
  const { findLayered } = await import("./load.ts");
  return findLayered(profile, relative);
}
