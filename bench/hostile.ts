import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ms, stats, timeProcess } from "./_measure.ts";

const HEAD = "From: a@example.net\nDate: Wed, 25 Nov 2026 08:00:00 +0000\nSubject: hostile\n";
const attached = (name: string, body: string): string =>
  `${HEAD}MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n--b\n` +
  `Content-Type: text/plain\n\nsee attachment\n--b\nContent-Type: text/plain; name="${name}"\n\n` +
  `${body}\n--b--\n`;

/**
 * Shapes that took quadratic time before the linear rewrite (DESIGN invariant 9: any
 * message up to 1 MB decided in under a second). The tests assert what each shape
 * yields; the times are here.
 */
const SHAPES: readonly (readonly [string, () => string])[] = [
  ["64k newlines in notes.txt", () => attached("notes.txt", "\n".repeat(64 * 1024))],
  ["1.7 MB of newlines", () => attached("notes.txt", "\n".repeat(1_700_000))],
  ["300 KB of begin lines", () => `${HEAD}\n${"begin 644 x.exe\n".repeat(20_000)}`],
  ["begin name + 300 KB blanks", () => `${HEAD}\nbegin 644 a${" ".repeat(300_000)}b\nend\n`],
  ["=ybegin + 300 KB blanks", () => `${HEAD}\n=ybegin name=a${" ".repeat(300_000)}b\n=yend\n`],
  ["60k '<' in notes.txt", () => attached("notes.txt", "<".repeat(60_000))],
  ["name of 50k '. '", () => attached(`a${". ".repeat(50_000)}b`, "x")],
];

export async function benchHostile(binary: string): Promise<string[]> {
  const lines = ["hostile shapes, dist/qmvc check, whole process per message"];
  const dir = mkdtempSync(join(tmpdir(), "qmvc-bench-hostile-"));
  for (const [label, build] of SHAPES) {
    const text = build();
    const path = join(dir, "m.eml");
    writeFileSync(path, text);
    const samples: number[] = [];
    for (let i = 0; i < 5; i++) {
      samples.push((await timeProcess(binary, ["check", path], { env: { QMVC_HOME: dir } })).ms);
    }
    const s = stats(samples);
    lines.push(
      `${label.padEnd(28)} ${(text.length / 1024).toFixed(0).padStart(6)} KiB  median ${
        ms(s.median).padStart(10)
      }  max ${ms(s.p95).padStart(10)}`,
    );
  }
  return lines;
}
