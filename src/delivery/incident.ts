import { existsSync, readdirSync } from "node:fs";
import { hostname } from "node:os";
import { basename, join } from "node:path";
import type { PartAnalysis } from "../analyse/mod.ts";
import {
  EffectLedger,
  forwardMessage,
  type Incident,
  loadNotificationSecret,
  type ReactionOutcome,
  safeHostname,
  type SendContext,
  sendNotifications,
  storeInMaildir,
} from "../act/mod.ts";
import { formatIncidentRecord, type IncidentRecord } from "../log/mod.ts";
import type { Control, Profile } from "../profile/mod.ts";
import { infectedNames, type ScannerOutcome, type Verdict } from "../rules/mod.ts";
import type { Evaluation } from "./evaluate.ts";
import {
  describeError,
  EXIT_BOUNCE,
  EXIT_CONTINUE,
  EXIT_DELIVERED,
  type ExitCode,
  tempFailure,
} from "./exit.ts";
import type { CommandIo } from "./io.ts";
import { loggedScan } from "./logged_scan.ts";

/** What the filter knows when a condition holds. */
export interface IncidentInput {
  readonly verdict: Extract<Verdict, { kind: "condition" }>;
  readonly evaluation: Evaluation;
  readonly bytes: Uint8Array;
  readonly sender: string;
  readonly recipient: string;
  /** $HOST as qmail-local gave it (checked before it goes into any header). */
  readonly host: string;
  readonly profile: Profile;
  readonly control: Control;
  readonly io: CommandIo;
  /** The filter's one way to append a record (a failure is a 111). */
  readonly writeRecord: (path: string, line: string) => void;
}

/**
 * A condition holds: do the action, tell who is to be told, write the incident record,
 * each once per message and recipient whatever the retries (the effect ledger). Order:
 * the action first (a durable quarantine copy, an injected forward), then the
 * notifications (their failure is reported, never fatal), then the incident record; the
 * filter writes the log line last. Returns what the action answers qmail.
 */
export async function handleIncident(input: IncidentInput): Promise<ActionDone> {
  const { verdict, evaluation, bytes, sender, recipient, host, profile, control, io } = input;
  const { writeRecord } = input;
  const { analysis } = evaluation;
  let secret: Uint8Array | undefined;
  const incident: Incident = {
    verdict,
    analysis,
    scans: evaluation.scans,
    sender,
    recipient,
    host: safeHostname(host, hostname()),
  };
  const now = io.now();
  const context: SendContext = {
    profile,
    control,
    env: io.env,
    now,
    ledger: new EffectLedger(
      join(profile.cacheDir, "effects"),
      EffectLedger.hashMessage(sender, bytes),
      now,
    ),
    secret: () => secret ??= loadNotificationSecret(join(profile.home, "secret")),
  };
  const remember = (effect: "quarantine" | "forward" | "incident-record", value: string) => {
    try {
      context.ledger.record(effect, recipient, value);
    } catch (error) {
      io.stderr(
        `qmvc: Unable to record the ${effect} in ${profile.cacheDir}: ${
          describeError(error)
        }; a retry could repeat it\n`,
      );
    }
  };
  const done = await performAction(incident, bytes, context, remember);
  const reactions = await sendNotifications(incident, context, bytes);
  for (const r of reactions.filter((r) => r.outcome.startsWith("failed"))) {
    io.stderr(
      `qmvc: ${r.reaction} to ${r.to.join(", ")} ${r.outcome}; the message itself was handled\n`,
    );
  }
  if (context.ledger.find("incident-record", recipient) === undefined) {
    writeRecord(
      join(profile.logDir, "qmvc.rep"),
      formatIncidentRecord(incidentRecord(incident, evaluation, bytes, reactions, done, io)),
    );
    remember("incident-record", "written");
  }
  return done;
}

export interface ActionDone {
  readonly exit: ExitCode;
  readonly quarantined?: string;
}

/**
 * Do the verdict's action once per message and recipient: a retry after a 111 finds the
 * quarantine copy or the forward of its first try in the ledger and does not repeat it.
 * The copy is stored (or the forward injected) before it is recorded, so a crash in
 * between can at worst repeat it, never lose the message.
 */
async function performAction(
  incident: Incident,
  bytes: Uint8Array,
  context: SendContext,
  remember: (effect: "quarantine" | "forward", value: string) => void,
): Promise<ActionDone> {
  const action = incident.verdict.action;
  switch (action) {
    case "pass":
    case "tag":
      return { exit: EXIT_CONTINUE };
    case "trash":
      return { exit: EXIT_DELIVERED };
    case "bounce":
      return { exit: EXIT_BOUNCE };
    case "quarantine": {
      const dir = context.profile.quarantineDir;
      const earlier = stillQuarantined(dir, context.ledger.find("quarantine", incident.recipient));
      if (earlier) return { exit: EXIT_DELIVERED, quarantined: earlier };
      let stored: string;
      try {
        stored = storeInMaildir(dir, bytes, context.now);
      } catch (error) {
        throw tempFailure(`Unable to quarantine into ${dir}: ${describeError(error)}`);
      }
      remember("quarantine", stored);
      return { exit: EXIT_DELIVERED, quarantined: stored };
    }
    case "forward": {
      if (context.ledger.find("forward", incident.recipient) !== undefined) {
        return { exit: EXIT_DELIVERED };
      }
      const failure = await forwardMessage(incident, bytes, {
        ...context,
        forwardto: context.control.forwardto.addresses,
        inject: context.control.qmailinject,
      });
      if (failure) {
        throw tempFailure(
          `Unable to forward to ${context.control.forwardto.addresses.join(", ")}: ${failure}`,
        );
      }
      remember("forward", "injected");
      return { exit: EXIT_DELIVERED };
    }
    default: {
      const never: never = action;
      return never;
    }
  }
}

/** The earlier copy's path when it is still in the quarantine (new/, or cur/ once read). */
function stillQuarantined(dir: string, recorded: string | undefined): string | undefined {
  if (!recorded) return undefined;
  if (existsSync(recorded)) return recorded;
  const name = basename(recorded);
  for (const entry of safeList(join(dir, "cur"))) {
    if (entry === name || entry.startsWith(`${name}:`)) return join(dir, "cur", entry);
  }
  return undefined;
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function incidentRecord(
  incident: Incident,
  evaluation: Evaluation,
  bytes: Uint8Array,
  reactions: readonly ReactionOutcome[],
  done: ActionDone,
  io: CommandIo,
): IncidentRecord {
  const { verdict, analysis } = incident;
  const matchedParts = new Set(verdict.matches.map((m) => m.part));
  const header = analysis.message.headers.map((h) => `${h.name}: ${h.value}`).join("\n").slice(
    0,
    4096,
  );
  return {
    time: io.now().toISOString(),
    pid: io.pid,
    action: verdict.action,
    conditions: verdict.conditions,
    sender: incident.sender,
    recipient: incident.recipient,
    messageId: analysis.message.messageId,
    subject: analysis.message.subject,
    size: bytes.length,
    matches: verdict.matches.map((m) => ({
      condition: m.condition,
      part: m.part,
      ...(m.member === undefined ? {} : { member: m.member }),
      evidence: m.evidence,
      ...(m.rule ? { rule: m.rule } : {}),
    })),
    parts: analysis.parts.filter((p) => matchedParts.has(p.path)).map((p) => {
      const members = infectedMembers(p, evaluation.scans);
      return {
        path: p.path,
        filename: p.filename,
        declaredType: p.declaredType,
        sniffedType: p.sniffedType,
        loaderType: p.loader ? `${p.loader.type} (${p.loader.detail})` : "",
        size: p.size,
        sha256: p.sha256,
        ...(members.length ? { members } : {}),
      };
    }),
    viruses: [...new Set(infectedNames(evaluation.scans))],
    scanners: evaluation.scans.map((s) => {
      const logged = loggedScan(s);
      return { scanner: logged.scanner, result: logged.outcome, detail: logged.detail };
    }),
    header,
    reactions,
    ...(done.quarantined ? { quarantined: done.quarantined } : {}),
  };
}

/** The members of an archive part the scanners found infected, each once, with what found it. */
function infectedMembers(
  part: PartAnalysis,
  scans: readonly ScannerOutcome[],
): NonNullable<IncidentRecord["parts"][number]["members"]> {
  const members = new Map<
    string,
    { size?: number; sha256?: string; viruses: Set<string>; scanners: Set<string> }
  >();
  for (const scan of scans) {
    if (scan.result.kind !== "infected") continue;
    for (const hit of scan.result.hits ?? []) {
      if (hit.part !== part.path || !hit.member) continue;
      let entry = members.get(hit.member.path);
      if (!entry) members.set(hit.member.path, entry = { viruses: new Set(), scanners: new Set() });
      if (hit.member.size !== undefined) entry.size = hit.member.size;
      if (hit.member.sha256 !== undefined) entry.sha256 = hit.member.sha256;
      entry.viruses.add(hit.name);
      entry.scanners.add(scan.scanner);
    }
  }
  return [...members].map(([path, entry]) => {
    const listed = part.members.find((m) => m.path === path);
    const loader = listed?.sniff?.loader;
    return {
      path,
      sniffedType: listed?.sniff?.mime ?? "",
      loaderType: loader ? `${loader.type} (${loader.detail})` : "",
      ...(entry.size === undefined ? {} : { size: entry.size }),
      ...(entry.sha256 === undefined ? {} : { sha256: entry.sha256 }),
      viruses: [...entry.viruses],
      scanners: [...entry.scanners],
    };
  });
}
