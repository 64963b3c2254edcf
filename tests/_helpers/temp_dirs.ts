/**
 * Every temporary directory a test makes lives under one root per test module, removed
 * when the module ends, so test runs do not pile folders up in /tmp.
 */
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = mkdtempSync(join(tmpdir(), "qmvc-tests-"));
// Tests run deliveries as an unprivileged user, who must be able to reach their sites.
chmodSync(root, 0o755);
globalThis.addEventListener("unload", () => rmSync(root, { recursive: true, force: true }));

/** A new, empty directory whose name starts with `prefix`, removed with the module's root. */
export function tempDir(prefix = "dir-"): string {
  return mkdtempSync(join(root, prefix));
}
