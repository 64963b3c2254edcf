import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { sniffBytes } from "../../src/analyse/mod.ts";

/**
 * The benign set for the Windows-script sniffer: plain text a Debian machine carries
 * (documentation, licences, manual pages), read in a fixed order. Windows scripts shipped
 * as examples are not benign text, so their names are left out.
 */
export const BENIGN_ROOTS = ["/usr/share/common-licenses", "/usr/share/doc", "/usr/share/man"];
const WINDOWS_SCRIPT_NAME = /\.(?:bat|cmd|vbs|vbe|js|jse|wsf|wsh|hta|ps1|psm1)(?:\.gz)?$/i;

/** Up to `limit` text files of this machine, each with whether sniffBytes() called it a script. */
export function benignTexts(limit: number): { path: string; script: boolean }[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else if (e.isFile() && !WINDOWS_SCRIPT_NAME.test(e.name)) files.push(path);
    }
  };
  for (const root of BENIGN_ROOTS) walk(root);
  const texts: { path: string; script: boolean }[] = [];
  for (const path of files) {
    if (texts.length >= limit) break;
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(readFileSync(path));
      if (path.endsWith(".gz")) {
        bytes = new Uint8Array(gunzipSync(bytes, { maxOutputLength: 1024 * 1024 }));
      }
    } catch {
      continue;
    }
    const sniff = sniffBytes(bytes);
    // Text, or text the script sniffer claimed: both are the benign text being measured.
    if (sniff.row === "text") texts.push({ path, script: sniff.loader?.type === "script-win" });
  }
  return texts;
}
