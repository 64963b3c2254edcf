import { joinPath } from "../log/mod.ts";
import { EMBEDDED_FILES } from "./_embedded.ts";
import { ControlFileError } from "./control/control_file_error.ts";
import { ACTION_GROUPS } from "./control/filters.ts";
import { BUILTIN_SCANNER_NAMES } from "./control/scanners.ts";
import { prepareScannersYaml } from "./control/scanners_yaml.ts";
import {
  type Control,
  CONTROL_NAMES,
  CONTROL_PARSERS,
  type ControlName,
  type ControlSource,
} from "./control/registry.ts";
import type { Profile } from "./profile.ts";
import { type ReadText, readTextFile } from "./read_text.ts";

/** A profile file found in the first layer that has it, or the built-in default. */
export interface LayeredText {
  readonly text: string;
  readonly source: ControlSource;
}

/**
 * Find `relative` (e.g. "control/filters") in the profile's layers, then the embedded
 * defaults. A file that exists but cannot be read throws: the delivery defers (111).
 */
export function findLayered(
  profile: Profile,
  relative: string,
  read: ReadText = readTextFile,
): LayeredText | undefined {
  for (const { layer, dir } of profile.layers) {
    const path = joinPath(dir, relative);
    let text: string | undefined;
    try {
      text = read(path);
    } catch (error) {
      const code = (error as { code?: string }).code ?? "error";
      throw new Error(
        `Unable to read ${path}: ${code}; make it readable for this user or remove it`,
        {
          cause: error,
        },
      );
    }
    if (text !== undefined) return { text, source: { layer, path } };
  }
  const embedded = EMBEDDED_FILES[relative];
  return embedded === undefined
    ? undefined
    : { text: embedded, source: { layer: "built-in", path: relative } };
}

/**
 * Load every control file: the first layer that has it wins; a malformed file throws
 * ControlFileError naming the file, the line and the fix.
 */
export async function loadControl(
  profile: Profile,
  read: ReadText = readTextFile,
): Promise<Control> {
  const values: Record<string, unknown> = {};
  const sources = {} as Record<ControlName, ControlSource>;
  for (const name of CONTROL_NAMES) {
    const found = findLayered(profile, `control/${name}`, read);
    if (!found) throw new Error(`Built-in default for control/${name} is missing from the binary`);
    if (name === "scanners.yaml") await prepareScannersYaml(found.text);
    values[name] = CONTROL_PARSERS[name](found.text, found.source.path);
    sources[name] = found.source;
  }
  const control = { ...values, sources } as Control;
  checkConsistency(control);
  return control;
}

/** Rules that span files: an action that needs another file's entries, scanner names. */
function checkConsistency(control: Control): void {
  for (const entry of control.scanners.entries) {
    const known = (BUILTIN_SCANNER_NAMES as readonly string[]).includes(entry.name) ||
      control["scanners.yaml"].scanners[entry.name] !== undefined;
    if (!known) {
      throw new ControlFileError(
        control.sources.scanners.path,
        entry.line,
        `Unknown scanner "${entry.name}": use one of ${
          BUILTIN_SCANNER_NAMES.join(", ")
        }, or declare it in scanners.yaml`,
      );
    }
    if (entry.endpoints.length && entry.name !== "clamd") {
      throw new ControlFileError(
        control.sources.scanners.path,
        entry.line,
        `endpoint= is for clamd; ${entry.name} runs as a program (use path=)`,
      );
    }
  }
  const forwarding = ACTION_GROUPS.filter((g) => control.filters.actions[g] === "forward");
  if (forwarding.length && control.forwardto.addresses.length === 0) {
    throw new ControlFileError(
      control.sources.forwardto.path,
      0,
      `${
        forwarding.join(", ")
      }=forward in ${control.sources.filters.path} needs an address here: add one, or choose another action`,
    );
  }
}
