import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CLAMDSCAN, HAVE_CLAMAV, startClamd } from "../tests/_helpers/clamav.ts";
import { ms, stats, timeProcess } from "./_measure.ts";

/**
 * Added latency per delivery of the clamd native adapter versus the clamdscan
 * subprocess, against the same real clamd, each message unique (no verdict cache).
 */
export async function benchScanners(binary: string, runs = 30): Promise<string[]> {
  if (!HAVE_CLAMAV) return ["scanners: skipped (ClamAV is not installed)"];
  const clamd = await startClamd();
  try {
    const root = mkdtempSync(join(tmpdir(), "qmvc-bench-scan-"));
    const variants: Record<string, string> = {
      "no scanner": "",
      "clamd (native INSTREAM)": `clamd endpoint=${clamd.socket}\n`,
      "clamdscan (subprocess)": `clamdscan path=${CLAMDSCAN} -- --config-file=${clamd.config}\n`,
    };
    const medians: Record<string, number> = {};
    const lines = [
      "AV scanning, whole delivery of a 20 KiB message with an attachment (clamd with a test database)",
    ];
    for (const [label, scanners] of Object.entries(variants)) {
      const system = join(root, label.replace(/\W+/g, "-"));
      mkdirSync(join(system, "control"), { recursive: true });
      writeFileSync(join(system, "control/scanners"), scanners);
      writeFileSync(join(system, "control/filters"), "notify-recipient=n\nnotify-admin=n\n");
      const samples: number[] = [];
      for (let i = 0; i < runs; i++) {
        const file = join(root, `m${i}.eml`);
        writeFileSync(file, message(`${label}-${i}`));
        const run = await timeProcess(binary, [], {
          stdinFile: file,
          env: {
            QMVC_HOME: system,
            SENDER: "a@example.net",
            RECIPIENT: "b@example.org",
            HOME: root,
            PATH: "/usr/bin:/bin",
          },
        });
        if (run.code !== 0) throw new Error(`${label}: delivery exited ${run.code}`);
        samples.push(run.ms);
      }
      const s = stats(samples);
      medians[label] = s.median;
      lines.push(
        `${label.padEnd(26)} median ${ms(s.median).padStart(10)}  p95 ${ms(s.p95).padStart(10)}`,
      );
    }
    const base = medians["no scanner"]!;
    lines.push(
      `added latency: clamd ${ms(medians["clamd (native INSTREAM)"]! - base)}, clamdscan ${
        ms(medians["clamdscan (subprocess)"]! - base)
      }`,
    );
    return lines;
  } finally {
    await clamd.stop();
  }
}

function message(id: string): string {
  const attachment = btoa("x".repeat(15000)).replace(/.{76}/g, "$&\n");
  return `From: a@example.net\nTo: b@example.org\nSubject: report\nDate: Wed, 25 Nov 2026 08:00:00 +0000\n` +
    `Message-ID: <${id}@bench.invalid>\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n` +
    `--b\nContent-Type: text/plain\n\nattached\n--b\nContent-Type: application/octet-stream; name="r.bin"\n` +
    `Content-Transfer-Encoding: base64\n\n${attachment}\n--b--\n`;
}
