/**
 * Masks addresses for reports shown to others: the same address gets the same mask
 * within one report ("user-7@example.org"), so counts and patterns stay readable while
 * nobody's mailbox name is printed. Domains are kept; they are what admins act on.
 */
export class Anonymizer {
  private readonly masks = new Map<string, string>();

  constructor(private readonly enabled: boolean) {}

  mask(address: string): string {
    if (!this.enabled || address === "" || address === "<>") return address;
    const key = address.toLowerCase();
    let mask = this.masks.get(key);
    if (!mask) {
      const at = key.lastIndexOf("@");
      const domain = at >= 0 ? key.slice(at + 1) : "";
      mask = `user-${this.masks.size + 1}${domain ? `@${domain}` : ""}`;
      this.masks.set(key, mask);
    }
    return mask;
  }
}
