import type { Node } from "yaml";
import { ControlFileError } from "./control_file_error.ts";

/** How to run one command-line scanner and read its answer (built in or declared here). */
export interface ScannerDefinition {
  readonly name: string;
  readonly command: string;
  /** Arguments; "{files}" stands for the files to scan, which are appended when it is absent. */
  readonly args: readonly string[];
  readonly clean: readonly number[];
  readonly infected: readonly number[];
  /** A pattern over the output whose group "name" (or first group) is a virus name. */
  readonly virus: RegExp;
  /** Arguments that print a version, for `qmvc scanners --check`. */
  readonly versionArgs: readonly string[];
}

/** A scanner declared in scanners.yaml. */
export type YamlScanner = ScannerDefinition;

export interface YamlScanners {
  readonly source: string;
  readonly scanners: Readonly<Record<string, YamlScanner>>;
}

const KEYS = ["command", "args", "clean", "infected", "virus", "version"];

type YamlLibrary = typeof import("yaml");
let yamlLibrary: YamlLibrary | undefined;

/** True when the file declares scanners (more than comments and `scanners: {}`). */
function declaresScanners(text: string): boolean {
  const meaningful = text.split("\n").filter((l) =>
    l.trim() !== "" && !l.trimStart().startsWith("#")
  ).join("\n").trim();
  return meaningful !== "" && !/^scanners:\s*(\{\s*\})?$/.test(meaningful);
}

/**
 * Load the YAML library when the file needs it. It is not imported up front: most sites
 * declare no scanner here, and every delivery would pay for loading it.
 */
export async function prepareScannersYaml(text: string): Promise<void> {
  if (declaresScanners(text) && !yamlLibrary) yamlLibrary = await import("yaml");
}

/**
 * Parse control/scanners.yaml:
 *
 *     scanners:
 *       myscan:
 *         command: /usr/bin/myscan
 *         args: ["--report", "{files}"]
 *         clean: [0]
 *         infected: [1]
 *         virus: '^(?<file>.*): (?<name>.+) FOUND$'
 *
 * Every error names the file and the line of the offending value.
 */
export function parseScannersYaml(text: string, source: string): YamlScanners {
  if (!declaresScanners(text)) return { source, scanners: {} };
  if (!yamlLibrary) throw new Error("prepareScannersYaml() must run before parseScannersYaml()");
  const { isMap, isSeq, LineCounter, parseDocument } = yamlLibrary;
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const lineOf = (
    node: Node | null | undefined,
  ): number => (node?.range ? lines.linePos(node.range[0]).line : 0);
  const error = doc.errors[0];
  if (error) {
    throw new ControlFileError(
      source,
      error.linePos?.[0]?.line ?? lines.linePos(error.pos[0]).line,
      `YAML: ${error.message.split("\n")[0]}`,
    );
  }
  const scanners: Record<string, YamlScanner> = {};
  if (doc.contents === null) return { source, scanners };
  if (!isMap(doc.contents)) {
    throw new ControlFileError(
      source,
      lineOf(doc.contents),
      'Expected a mapping with a "scanners" key',
    );
  }
  const root = doc.contents.get("scanners", true) as Node | undefined;
  if (root === undefined) return { source, scanners };
  if (!isMap(root)) {
    throw new ControlFileError(source, lineOf(root), '"scanners" must map names to definitions');
  }
  for (const pair of root.items) {
    const key = pair.key as Node & { value?: unknown };
    const name = String(key.value ?? "").toLowerCase();
    const at = lineOf(key);
    if (!/^[a-z][a-z0-9_-]*$/.test(name)) {
      throw new ControlFileError(source, at, `Invalid scanner name "${name}"`);
    }
    const def = pair.value as Node | null;
    if (!isMap(def)) {
      throw new ControlFileError(
        source,
        at,
        `Scanner "${name}" must be a mapping of ${KEYS.join(", ")}`,
      );
    }
    const field = (k: string): Node | undefined => def.get(k, true) as Node | undefined;
    for (const item of def.items) {
      const k = String((item.key as { value?: unknown }).value);
      if (!KEYS.includes(k)) {
        throw new ControlFileError(
          source,
          lineOf(item.key as Node),
          `Unknown key "${k}" in scanner "${name}": use ${KEYS.join(", ")}`,
        );
      }
    }
    const str = (k: string, required: boolean): string | undefined => {
      const node = field(k);
      const value = (node as { value?: unknown } | undefined)?.value;
      if (node === undefined) {
        if (required) throw new ControlFileError(source, at, `Scanner "${name}" needs "${k}"`);
        return undefined;
      }
      if (typeof value !== "string" || value === "") {
        throw new ControlFileError(
          source,
          lineOf(node),
          `"${k}" of scanner "${name}" must be a text`,
        );
      }
      return value;
    };
    const list = <T>(
      k: string,
      check: (v: unknown) => v is T,
      what: string,
      fallback: T[] | undefined,
    ): T[] => {
      const node = field(k);
      if (node === undefined) {
        if (fallback) return fallback;
        throw new ControlFileError(source, at, `Scanner "${name}" needs "${k}" (${what})`);
      }
      if (!isSeq(node)) {
        throw new ControlFileError(
          source,
          lineOf(node),
          `"${k}" of scanner "${name}" must be a list of ${what}`,
        );
      }
      return node.items.map((item) => {
        const value = (item as { value?: unknown }).value;
        if (!check(value)) {
          throw new ControlFileError(
            source,
            lineOf(item as Node),
            `"${k}" of scanner "${name}" must be a list of ${what}`,
          );
        }
        return value;
      });
    };
    const isText = (v: unknown): v is string => typeof v === "string";
    const isCode = (v: unknown): v is number =>
      typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= 255;
    const command = str("command", true)!;
    if (!command.startsWith("/")) {
      throw new ControlFileError(
        source,
        lineOf(field("command")),
        `"command" of scanner "${name}" must be an absolute path`,
      );
    }
    const clean = list("clean", isCode, "exit codes 0-255", undefined);
    const infected = list("infected", isCode, "exit codes 0-255", undefined);
    const overlap = clean.find((c) => infected.includes(c));
    if (overlap !== undefined) {
      throw new ControlFileError(
        source,
        lineOf(field("infected")),
        `Exit code ${overlap} of scanner "${name}" cannot mean both clean and infected`,
      );
    }
    const pattern = str("virus", true)!;
    let virus: RegExp;
    try {
      virus = new RegExp(pattern, "gm");
    } catch (e) {
      throw new ControlFileError(
        source,
        lineOf(field("virus")),
        `"virus" of scanner "${name}" is not a valid pattern: ${
          e instanceof Error ? e.message : e
        }`,
      );
    }
    scanners[name] = {
      name,
      command,
      args: list("args", isText, "texts", ["{files}"]),
      clean,
      infected,
      virus,
      versionArgs: list("version", isText, "texts", []),
    };
  }
  return { source, scanners };
}
