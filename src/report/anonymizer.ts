import { createHmac } from "node:crypto";

/** The label that makes the report key differ from every other use of the profile secret. */
const REPORT_KEY_LABEL = "qmvc report anonymizer v1";

/** An address anywhere in free text: a Subject, a Message-ID, a finding's evidence. */
const ADDRESS_IN_TEXT = /[^\s<>()[\]"',;:@]+@([A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)/g;

/** A display name before an address in angle brackets: `Alice Smith <alice@example.org>`. */
const NAMED_ADDRESS = /(?:"[^"]*"|[\p{L}][\p{L}\p{M} .'-]*?)\s*<([^<>\s]+@[^<>\s]+)>/gu;

/**
 * Masks addresses and names for reports shown to others. A mask is a keyed hash of the
 * address (HMAC-SHA-256 with a key derived from the profile's secret), so one person has
 * the same mask on every page of a run and in every later run, and nobody without the
 * secret can test a guess against it. Domains are kept: they are what admins act on.
 * Free text that can hold an address or a name (Subject, evidence) has its addresses
 * masked; the Subject itself becomes a tag, since a name in it cannot be recognised.
 */
export class Anonymizer {
  readonly enabled: boolean;
  private readonly key: Uint8Array;
  private readonly cache = new Map<string, string>();

  /** `secret` is the profile's secret; without one nothing is masked. */
  constructor(secret: Uint8Array | undefined) {
    this.enabled = secret !== undefined;
    this.key = secret
      ? createHmac("sha256", secret).update(REPORT_KEY_LABEL).digest()
      : new Uint8Array();
  }

  private hash(kind: string, value: string): string {
    const id = `${kind}\0${value}`;
    let tag = this.cache.get(id);
    if (tag === undefined) {
      tag = createHmac("sha256", this.key).update(id).digest("hex").slice(0, 10);
      // Bounded: a year of distinct addresses must not grow the cache without limit.
      if (this.cache.size > 100_000) this.cache.clear();
      this.cache.set(id, tag);
    }
    return tag;
  }

  /** "alice@example.org" becomes "u-3f9a0c12de@example.org"; "<>" and "" stay. */
  mask(address: string): string {
    if (!this.enabled || address === "" || address === "<>") return address;
    const folded = address.toLowerCase();
    const at = folded.lastIndexOf("@");
    const domain = at >= 0 ? folded.slice(at + 1) : "";
    return `u-${this.hash("address", folded)}${domain ? `@${domain}` : ""}`;
  }

  /**
   * Every address inside a text masked as `mask` masks it, and the display name before
   * an address in angle brackets dropped; the rest kept.
   */
  text(value: string): string {
    if (!this.enabled) return value;
    return value.replace(NAMED_ADDRESS, (_, address: string) => `<${address}>`).replace(
      ADDRESS_IN_TEXT,
      (address) => this.mask(address),
    );
  }

  /** A Message-ID keeps its shape and host, not its unique part. */
  messageId(value: string): string {
    if (!this.enabled || value === "") return value;
    const at = value.lastIndexOf("@");
    const host = at >= 0 ? value.slice(at + 1).replace(/>$/, "") : "";
    return `<m-${this.hash("message-id", value)}${host ? `@${host}` : ""}>`;
  }

  /** A Subject can name a person in words no pattern finds: it becomes a stable tag. */
  subject(value: string): string {
    if (!this.enabled || value === "") return value;
    return `[subject ${this.hash("subject", value)}]`;
  }
}
