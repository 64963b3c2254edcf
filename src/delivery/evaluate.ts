import { analyseMessage, type Analysis, readZipMembers } from "../analyse/mod.ts";
import { headerValue, type Message, parseMessage, partMatchForm } from "../message/mod.ts";
import {
  checkMemory,
  collectGarbage,
  type Control,
  findPattern,
  releaseMemory,
  turnOfEvents,
} from "../profile/mod.ts";
import {
  type BodyCommandOutcome,
  decide,
  type ScannerOutcome,
  type Verdict,
} from "../rules/mod.ts";
import { markPhase } from "./phase_timing.ts";
import type { ScanInput, ScanPart } from "../scan/mod.ts";

/** Parse, analyse, ask the outside programs, decide. */
export interface Evaluation {
  readonly analysis: Analysis;
  readonly scans: readonly ScannerOutcome[];
  /** True when the scanner results came from the verdict cache. */
  readonly cached: boolean;
  readonly bodyCommands: readonly BodyCommandOutcome[];
  readonly verdict: Verdict;
}

export interface EvaluateOptions {
  /** What the body programs see of the delivery (qmail's variables). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** -n: parts that are only media of a type in noscantypes are not scanned. */
  readonly noscan?: boolean;
  /** Reuse and keep scanner verdicts in this directory (the profile's cache); absent for dry runs. */
  readonly cacheDir?: string;
  /** The clock for the verdict cache's ages. */
  readonly now?: () => Date;
  /** Where the profile's secret is, to honour an admin's release mark; absent for dry runs. */
  readonly secretPath?: string;
  /** The delivery's recipient, to whom alone a release mark applies. */
  readonly recipient?: string;
}

/**
 * Run the pipeline up to the verdict on one message under one configuration. Scanners
 * run only with virus=y, configured scanners and at least one part to scan; the
 * badbodytexts programs only with body=y.
 */
export async function evaluateMessage(
  bytes: Uint8Array,
  control: Control,
  options: EvaluateOptions,
): Promise<Evaluation> {
  const limits = control.limits;
  const message = await parseMessage(bytes, { limits });
  markPhase("parse");
  checkMemory();
  const analysis = await analyseMessage(message, {
    limits,
    collect: collectGarbage,
    pause: turnOfEvents,
  });
  markPhase("analyse");
  checkMemory();
  const [{ scans, cached }, bodyCommands] =
    control.filters.checks.body && hasRule(control, "command")
      ? await Promise.all([
        scanMessage(bytes, message, analysis, control, options),
        import("../scan/mod.ts").then((scan) =>
          scan.runBodyCommands(control.badbodytexts, bytes, options.env)
        ),
      ])
      : [await scanMessage(bytes, message, analysis, control, options), []];
  markPhase("scan");
  // Checked here rather than inside: a clean delivery then never calls (and the runtime
  // never links) the two functions.
  const released = headerValue(message.headers, "x-qmvc-released") === undefined
    ? []
    : await releaseOf(message, bytes, options);
  const matchTexts = hasRule(control, "text") ? await textsForRules(message) : undefined;
  const verdict = decide(analysis, control, {
    scans,
    bodyCommands,
    released,
    ...(matchTexts ? { matchTexts } : {}),
  });
  markPhase("decide");
  return { analysis, scans, cached, bodyCommands, verdict };
}

/**
 * Whether badbodytexts has a rule of that kind. (A loop: the usual profile has none, and
 * the runtime compiles `some` on its first use, about 0.1 M instructions of a small delivery.)
 */
function hasRule(control: Control, kind: "text" | "command"): boolean {
  for (const rule of control.badbodytexts.rules) if (rule.kind === kind) return true;
  return false;
}

/**
 * Conditions the release mark of a message that carries one overrules; none when the mark
 * is not valid or there is no secret. The act stage (HMAC) loads only here.
 */
async function releaseOf(
  message: Message,
  bytes: Uint8Array,
  options: EvaluateOptions,
): Promise<string[]> {
  const { secretPath, recipient } = options;
  if (!secretPath || recipient === undefined) return [];
  try {
    const { loadNotificationSecret, releasedConditions } = await import("../act/mod.ts");
    const delivery = { recipient, now: (options.now ?? (() => new Date()))() };
    return releasedConditions(message.headers, bytes, delivery, loadNotificationSecret(secretPath));
  } catch {
    return [];
  }
}

/**
 * The texts the badbodytexts text rules read (for a profile that has such rules), folded a
 * piece at a time: plainmail's `matchTexts` when there is HTML to read (HTML-to-text and
 * its entity tables load only then), each plain part's own text otherwise.
 */
async function textsForRules(
  message: Message,
): Promise<ReadonlyMap<string, readonly string[]>> {
  if (message.parts.some((p) => p.hasText && p.declaredType === "text/html")) {
    const { matchTexts } = await import("../plainmail/mod.ts");
    return await matchTexts(message, { collect: releaseMemory, pause: turnOfEvents });
  }
  const texts = new Map<string, string[]>();
  for (const part of message.parts.filter((p) => p.hasText)) {
    texts.set(
      part.path,
      await partMatchForm(part, { collect: releaseMemory, pause: turnOfEvents }),
    );
  }
  return texts;
}

async function scanMessage(
  bytes: Uint8Array,
  message: Message,
  analysis: Analysis,
  control: Control,
  options: EvaluateOptions,
): Promise<{ scans: ScannerOutcome[]; cached: boolean }> {
  if (!control.filters.checks.virus || control.scanners.entries.length === 0) {
    return { scans: [], cached: false };
  }
  const input = scanInput(bytes, message, analysis, control, options.noscan ?? false);
  if (input.parts.length === 0) return { scans: [], cached: false };
  // The scanners (sockets, programs, hashing) load only for a message they will see.
  const { configureScanners, runScanners, VerdictCache } = await import("../scan/mod.ts");
  const cache = options.cacheDir === undefined
    ? undefined
    : new VerdictCache(options.cacheDir, options.now ?? (() => new Date()));
  const key = VerdictCache.key(bytes, scannerConfiguration(control));
  const hit = cache?.get(key);
  if (hit) return { scans: hit, cached: true };
  const scans = await runScanners(configureScanners(control), input);
  cache?.put(key, scans);
  return { scans, cached: false };
}

/**
 * What a cached verdict depends on besides the message: the scanners lines and the
 * scanners.yaml declarations they may name (a new command or virus pattern there is
 * another scanner). Virus patterns are RegExps, which JSON would write as {}.
 */
function scannerConfiguration(control: Control): string {
  return JSON.stringify(
    [control.scanners.entries, control["scanners.yaml"].scanners],
    (_key, value) => value instanceof RegExp ? `/${value.source}/${value.flags}` : value,
  );
}

/**
 * The raw message and its decoded parts, less (with -n) the parts whose type judged from
 * the bytes is listed in noscantypes and whose bytes are that media file and nothing
 * else (a PNG with something appended is scanned). The declared type is never trusted.
 */
function scanInput(
  bytes: Uint8Array,
  message: Message,
  analysis: Analysis,
  control: Control,
  noscan: boolean,
): ScanInput {
  const limits = control.limits;
  const parts = analysis.parts.flatMap((p, i): ScanPart[] => {
    if (noscan && p.mediaOnly && findPattern(control.noscantypes, p.sniffedType)) return [];
    const content = message.parts[i]?.content;
    if (!content || content.length === 0) return [];
    // An archive's members, unpacked on demand, let a scanner name the infected member.
    return p.members.length
      ? [{ path: p.path, content, members: () => readZipMembers(content, { limits }) }]
      : [{ path: p.path, content }];
  });
  return { message: bytes, parts };
}
