import { joinPath } from "../log/mod.ts";

/** The system profile's home: /var/qmvc, or $QMVC_HOME. */
export const DEFAULT_SYSTEM_DIR = "/var/qmvc";

/** Which profile a delivery uses (spec section 1: -u, -c BASEDIR, or the system). */
export interface ProfileOptions {
  readonly user: boolean;
  readonly common: string | undefined;
}

/** The directories one delivery reads its configuration from and writes to. */
export interface Profile {
  readonly kind: "user" | "common" | "system";
  /** The profile's own directory: $HOME/qmvc, BASEDIR or the system directory. */
  readonly home: string;
  /** Configuration layers, most specific first; the built-in defaults come after them. */
  readonly layers: readonly { readonly layer: "profile" | "system"; readonly dir: string }[];
  readonly logDir: string;
  readonly quarantineDir: string;
  /** Scanner verdicts reused across the copies of one message. */
  readonly cacheDir: string;
}

/**
 * Resolve the profile. `-u` uses $HOME/qmvc, `-c BASEDIR` uses BASEDIR; both fall back
 * to the system profile for files they do not have, and that to the built-in defaults.
 */
export function resolveProfile(
  options: ProfileOptions,
  env: Readonly<Record<string, string | undefined>>,
): Profile {
  const systemDir = env["QMVC_HOME"] || DEFAULT_SYSTEM_DIR;
  const system = { layer: "system" as const, dir: systemDir };
  if (options.user) {
    const dir = joinPath(env["HOME"] || ".", "qmvc");
    return profileAt("user", dir, [{ layer: "profile", dir }, system]);
  }
  if (options.common !== undefined) {
    return profileAt("common", options.common, [{ layer: "profile", dir: options.common }, system]);
  }
  return profileAt("system", systemDir, [system]);
}

function profileAt(kind: Profile["kind"], dir: string, layers: Profile["layers"]): Profile {
  return {
    kind,
    home: dir,
    layers,
    logDir: joinPath(dir, "log"),
    quarantineDir: joinPath(dir, "quarantine"),
    cacheDir: joinPath(dir, "cache"),
  };
}
