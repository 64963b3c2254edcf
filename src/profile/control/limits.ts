import { checkLimitValue, DEFAULT_LIMITS, type Limits } from "../../message/mod.ts";
import { ControlFileError, controlLines, KeysSeen } from "./control_file_error.ts";

const KEYS: Readonly<Record<string, keyof Limits>> = {
  "message-size": "maxMessageBytes",
  "header-size": "maxHeaderBytes",
  "mime-depth": "maxMimeDepth",
  "message-depth": "maxMessageDepth",
  "parts": "maxParts",
  "archive-depth": "maxArchiveDepth",
  "archive-members": "maxArchiveMembers",
  "expansion": "maxExpansionBytes",
  "compression-ratio": "maxCompressionRatio",
  "delivery-time": "maxDeliverySeconds",
  "memory": "maxMemoryBytes",
};

const UNITS: Readonly<Record<string, number>> = { "": 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** Limits counted in bytes, written back with K, M or G where they divide evenly. */
const SIZES = new Set<keyof Limits>([
  "maxMessageBytes",
  "maxHeaderBytes",
  "maxExpansionBytes",
  "maxMemoryBytes",
]);

/** Every key of `limits` with its effective value, as it would be written in the file. */
export function limitsEntries(limits: Limits): [string, string][] {
  return Object.entries(KEYS).map(([name, key]) => {
    const value = limits[key];
    if (!SIZES.has(key)) return [name, String(value)];
    const unit = (["G", "M", "K"] as const).find((u) =>
      value % (UNITS[u.toLowerCase()] ?? 1) === 0
    );
    return [name, unit ? `${value / (UNITS[unit.toLowerCase()] ?? 1)}${unit}` : String(value)];
  });
}

/** Parse `limits`: `key=value` lines, sizes with K/M/G; every value validated against its ceiling. */
export function parseLimits(text: string, source: string): Limits {
  const limits: Record<keyof Limits, number> = { ...DEFAULT_LIMITS };
  const seen = new KeysSeen(source, "Limit");
  for (const { text: entry, line } of controlLines(text)) {
    const match = /^([a-z-]+)\s*=\s*(\S+)$/i.exec(entry);
    if (!match) throw new ControlFileError(source, line, `Expected "key=value", found "${entry}"`);
    const key = KEYS[(match[1] as string).toLowerCase()];
    if (!key) {
      throw new ControlFileError(
        source,
        line,
        `Unknown limit "${match[1]}": known limits are ${Object.keys(KEYS).join(", ")}`,
      );
    }
    seen.add(key, line, match[1]);
    const number = /^(\d+)([kmg]?)$/i.exec(match[2] as string);
    const value = number
      ? Number(number[1]) * (UNITS[(number[2] as string).toLowerCase()] ?? NaN)
      : NaN;
    const problem = checkLimitValue(key, value);
    if (problem) {
      const name = match[1] as string;
      throw new ControlFileError(
        source,
        line,
        `Invalid value "${match[2]}" for "${name}": ${problem.replace(`"${key}"`, "it")}`,
      );
    }
    limits[key] = value;
  }
  return limits;
}
