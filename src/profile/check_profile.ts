import { statSync } from "node:fs";
import type { Profile } from "./profile.ts";

/**
 * Why the profile cannot be used, or undefined when it can. A `-c BASEDIR` or a
 * `$QMVC_HOME` that does not exist is a typo, not a request for the built-in defaults:
 * running on them would deliver mail unscanned. Only `-u` makes its own directory.
 */
export function profileProblem(
  profile: Profile,
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  const required = profile.kind === "user" ? [] : [profile.home];
  const systemHome = env["QMVC_HOME"];
  if (systemHome && !required.includes(systemHome)) required.push(systemHome);
  for (const dir of required) {
    let isDirectory: boolean;
    try {
      isDirectory = statSync(dir).isDirectory();
    } catch (error) {
      const code = (error as { code?: string }).code ?? "error";
      return `Profile directory ${dir} cannot be used (${code}): create it, or correct ${
        dir === systemHome ? "QMVC_HOME" : "the dot-qmail line"
      }`;
    }
    if (!isDirectory) return `Profile ${dir} is not a directory: correct the dot-qmail line`;
  }
  return undefined;
}

/**
 * For the tools (check, scanners): a `-c BASEDIR` that does not exist is a typo, said in
 * one line; without -c, a missing system profile just means the built-in defaults.
 */
export function commonProfileProblem(common: string | undefined): string | undefined {
  if (common === undefined) return undefined;
  try {
    if (statSync(common).isDirectory()) return undefined;
  } catch { /* reported below */ }
  return `Profile directory ${common} does not exist: correct -c`;
}
