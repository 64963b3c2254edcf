import { createHash } from "node:crypto";
import {
  closeSync,
  constants,
  fchmodSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { fileModeIn, makeSharedDir } from "../log/mod.ts";

/**
 * Kept longer than qmail keeps a message in its queue (queuelifetime, 7 days by
 * default), so every retry of a delivery still finds what its first try did.
 */
export const LEDGER_RETENTION_DAYS = 8;

const OPEN_FLAGS = {
  w: constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW,
  wx: constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
} as const;

/** The effects of a delivery that must happen once per message, whatever the retries. */
export type Effect =
  | "quarantine"
  | "forward"
  | "incident-record"
  | "notify-recipient"
  | "notify-sender"
  | "notify-admin";

const FILE_MODE = 0o660;

/**
 * What this profile has already done for a message (DESIGN invariant 8, exactly once):
 * one small file per effect, named by a hash of the message, the effect and the party,
 * in one folder per day. qmail runs qmvc once per local recipient and again after every
 * 111; the ledger is how the copies of one message and the retries of one delivery know
 * what the others did. A claim is an exclusive create, so two concurrent deliveries
 * never both win. Folders past the retention are removed whole: the ledger stays
 * small however busy the host.
 */
export class EffectLedger {
  #pruned = false;

  constructor(
    private readonly dir: string,
    private readonly messageHash: string,
    private readonly now: Date,
  ) {}

  /**
   * The ledger's name for a message: the SHA-256 of its envelope sender and its bytes.
   * qmail hands every recipient and every retry the same bytes and the same sender;
   * the same bytes from another sender are another message.
   */
  static hashMessage(sender: string, bytes: Uint8Array): string {
    return createHash("sha256").update(sender).update("\0").update(bytes).digest("hex");
  }

  /** What was recorded for this effect and party, or undefined when nothing was. */
  find(effect: Effect, party: string): string | undefined {
    const name = this.#name(effect, party);
    for (const day of this.#days()) {
      try {
        return readFileSync(join(this.dir, day, name), "utf8");
      } catch { /* not recorded that day */ }
    }
    return undefined;
  }

  /**
   * Claim an effect before doing it: true for the one delivery that may go ahead, false
   * when this or another delivery of the message already claimed or did it.
   */
  claim(effect: Effect, party: string): boolean {
    if (this.find(effect, party) !== undefined) return false;
    return this.#write(effect, party, "claimed", "wx");
  }

  /** Record an effect that was done, with what a retry needs to know (a path, "sent"). */
  record(effect: Effect, party: string, value: string): void {
    this.#write(effect, party, value, "w");
  }

  /** Give a claim back after the effect failed, so a later try may do it. */
  release(effect: Effect, party: string): void {
    try {
      unlinkSync(join(this.dir, this.#today(), this.#name(effect, party)));
    } catch { /* nothing to give back */ }
  }

  #write(effect: Effect, party: string, value: string, flags: "w" | "wx"): boolean {
    this.#prune();
    const folder = join(this.dir, this.#today());
    makeSharedDir(folder);
    const mode = fileModeIn(folder, FILE_MODE);
    let fd: number;
    try {
      // Never through a symlink: every user of a shared profile's group may write here.
      fd = openSync(join(folder, this.#name(effect, party)), OPEN_FLAGS[flags], mode);
    } catch (error) {
      if ((error as { code?: string }).code === "EEXIST") return false;
      throw error;
    }
    try {
      fchmodSync(fd, mode);
      writeSync(fd, value);
    } finally {
      closeSync(fd);
    }
    return true;
  }

  #name(effect: Effect, party: string): string {
    return createHash("sha256").update(`${effect}\n${party.toLowerCase()}\n${this.messageHash}`)
      .digest("hex").slice(0, 40);
  }

  #today(): string {
    return dayName(this.now.getTime());
  }

  /** Today's folder first, then the older ones still kept. */
  #days(): string[] {
    return Array.from(
      { length: LEDGER_RETENTION_DAYS },
      (_, i) => dayName(this.now.getTime() - i * 86_400_000),
    );
  }

  #prune(): void {
    if (this.#pruned) return;
    this.#pruned = true;
    const keep = new Set(this.#days());
    let folders: string[];
    try {
      folders = readdirSync(this.dir);
    } catch {
      return;
    }
    for (const folder of folders) {
      if (/^\d{8}$/.test(folder) && !keep.has(folder) && folder < this.#today()) {
        rmSync(join(this.dir, folder), { recursive: true, force: true });
      }
    }
  }
}

function dayName(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10).replaceAll("-", "");
}
