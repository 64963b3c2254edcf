/** Logs with known contents for report tests, written through the real formatters. */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  formatIncidentRecord,
  formatLogRecord,
  type IncidentRecord,
  type LogRecord,
  type LogVerdict,
} from "../../src/log/mod.ts";

export interface Generated {
  readonly records: LogRecord[];
  readonly incidents: IncidentRecord[];
}

/**
 * `perDay` deliveries on each day from `start` for `days` days: every 5th quarantined for
 * a virus (clamd, "Eicar-Test"), every 7th bounced for a badfilename, the rest passed.
 */
export function generateLog(
  profileDir: string,
  options: {
    start: string;
    days: number;
    perDay: number;
    hostile?: boolean;
    /** Subjects and evidence that name a person and hold their address. */
    personal?: boolean;
  },
): Generated {
  const records: LogRecord[] = [];
  const incidents: IncidentRecord[] = [];
  let n = 0;
  for (let d = 0; d < options.days; d++) {
    for (let i = 0; i < options.perDay; i++, n++) {
      const time = new Date(Date.parse(`${options.start}T00:00:00Z`) + d * 86_400_000 + i * 60_000);
      const virus = n % 5 === 0;
      const bad = !virus && n % 7 === 0;
      const verdict: LogVerdict = virus ? "quarantine" : bad ? "bounce" : "pass";
      const sender = options.hostile && virus
        ? `<script>alert(${n})</script>"@evil.example`
        : `sender${n % 3}@example.net`;
      const record: LogRecord = {
        time,
        pid: 1000 + n,
        verdict,
        conditions: virus ? ["virus"] : bad ? ["badfilename"] : [],
        sender,
        recipient: `user${n % 4}@example.org`,
        messageId: `<${n}@example.net>`,
        size: 1000 + n,
        parts: 2,
        scans: [{
          scanner: "clamd",
          outcome: virus ? "infected" : "clean",
          detail: virus ? "Eicar-Test" : "",
        }],
        milliseconds: 10,
      };
      records.push(record);
      if (virus || bad) {
        incidents.push({
          time: time.toISOString(),
          pid: record.pid,
          action: verdict,
          conditions: record.conditions,
          sender,
          recipient: record.recipient,
          messageId: record.messageId,
          subject: options.hostile
            ? `Invoice\r\n<img src=x onerror=alert(1)>`
            : options.personal
            ? `Invoice ${n} for alice.smith@example.org`
            : `Invoice ${n}`,
          size: record.size,
          matches: [{
            condition: record.conditions[0]!,
            part: "2",
            evidence: options.personal
              ? `From: Alice Smith <alice.smith@example.org> via ${sender}`
              : virus
              ? "clamd: Eicar-Test"
              : "invoice.exe",
          }],
          parts: [],
          viruses: virus ? ["Eicar-Test"] : [],
          scanners: [],
          header: "From: x",
          reactions: [],
          ...(virus
            ? {
              quarantined: join(
                profileDir,
                "quarantine/new",
                `${1_790_000_000 + n}.M${n}P${1000 + n}.mx`,
              ),
            }
            : {}),
        });
      }
    }
  }
  mkdirSync(join(profileDir, "log"), { recursive: true });
  writeFileSync(join(profileDir, "log/qmvc.log"), records.map(formatLogRecord).join(""));
  writeFileSync(join(profileDir, "log/qmvc.rep"), incidents.map(formatIncidentRecord).join(""));
  return { records, incidents };
}
