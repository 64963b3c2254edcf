import { DEFAULT_LIMITS, type Limits } from "../message/mod.ts";
import { normaliseFilename } from "./filename.ts";
import { sniffBytes } from "./loader_signatures.ts";
import type { ExpansionBudget } from "./_archive_reader.ts";

/** One member of a zip, unpacked: its path as the analysis lists it, and its bytes. */
export interface ZipMember {
  /** Path inside the outermost archive, nested archives joined with "/" ("a.zip/x.exe"). */
  readonly path: string;
  /** The member's own name, normalised like an attachment file name. */
  readonly name: string;
  readonly content: Uint8Array;
}

/**
 * Unpack a zip's members one at a time, nested zips opened in place, in the order and
 * with the paths of the analysis' listing, so a scanner's answer about one member can be
 * tied to it. The same budgets as the listing bound it (members, depth, inflated bytes);
 * encrypted or unreadable members are left out (the listing already reports them).
 */
export async function* readZipMembers(
  bytes: Uint8Array,
  options: { limits?: Limits } = {},
): AsyncGenerator<ZipMember> {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const budget: ExpansionBudget = {
    remaining: limits.maxExpansionBytes,
    archivesOpened: 0,
    streamEndsInflated: 0,
    membersListed: 0,
  };
  yield* walk(bytes, "", 1, limits, budget);
}

async function* walk(
  bytes: Uint8Array,
  prefix: string,
  depth: number,
  limits: Limits,
  budget: ExpansionBudget,
): AsyncGenerator<ZipMember> {
  try {
    // The zip reader loads only when a zip's members are asked for.
    const { isDirectory, memberFilename, readHead, zipEntries } = await import("./_zip_walk.ts");
    let count = 0;
    for await (const entry of zipEntries(bytes)) {
      // The listing's member limit, for each zip and for the message's zips together.
      if (++count > limits.maxArchiveMembers) return;
      if (budget.membersListed >= limits.maxArchiveMembers) return;
      if (isDirectory(entry) || entry.encrypted) continue;
      if (entry.uncompressedSize > budget.remaining) continue;
      const content = await readHead(bytes, entry, budget.remaining, budget);
      if (!content) continue;
      const filename = memberFilename(entry);
      const path = `${prefix}${filename}`;
      budget.membersListed++;
      yield { path, name: normaliseFilename(filename).name, content };
      if (sniffBytes(content).loader?.detail === "zip" && depth < limits.maxArchiveDepth) {
        yield* walk(content, `${path}/`, depth + 1, limits, budget);
      }
    }
  } catch {
    // An archive that cannot be read is reported by the listing; nothing more to unpack.
  }
}
