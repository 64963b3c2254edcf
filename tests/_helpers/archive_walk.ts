import { readFileSync } from "node:fs";
import { walkArchive } from "../../src/analyse/_archive_walk.ts";
import type { ArchiveListing } from "../../src/analyse/archive_member.ts";
import { DEFAULT_LIMITS } from "../../src/message/mod.ts";

/** Walk the archive in `path` as a message's only one, with a fresh expansion budget. */
export async function walkArchiveFile(
  kind: string,
  path: string,
  limits = DEFAULT_LIMITS,
): Promise<ArchiveListing> {
  return await walkArchive(kind, new Uint8Array(readFileSync(path)), {
    limits,
    budget: {
      remaining: limits.maxExpansionBytes,
      archivesOpened: 0,
      membersListed: 0,
      streamEndsInflated: 0,
    },
  });
}
