import { type Control, loadControl, resolveProfile } from "../../src/profile/mod.ts";

/** The built-in control, with some files replaced in memory (no file system involved). */
export function controlWith(files: Record<string, string> = {}): Promise<Control> {
  const profile = resolveProfile({ user: false, common: undefined }, { QMVC_HOME: "/nonexistent" });
  return loadControl(profile, (path) => {
    const name = path.split("/control/")[1];
    return name !== undefined ? files[name] : undefined;
  });
}
