// deno-lint-ignore-file no-console
/**
 * Parser throughput in-process: parseMessage + analyseMessage per message class, MB/s
 * and milliseconds per message. Runs under Deno (`deno run -A bench/parse_throughput.ts`)
 * and under Bun, the runtime of dist/qmvc (`bun bench/parse_throughput.ts`).
 */
import { analyseMessage } from "../src/analyse/mod.ts";
import { parseMessage } from "../src/message/mod.ts";
import { benchCorpus } from "./corpus.ts";

const runtime = "Bun" in globalThis
  ? `bun ${(globalThis as unknown as { Bun: { version: string } }).Bun.version}`
  : `deno ${Deno.version.deno}`;
const wanted = new Set(["text-300k", "attachment-5m", "html-newsletter", "small-text"]);
for (const message of benchCorpus().filter((m) => wanted.has(m.name))) {
  const runs = message.bytes.length > 1_000_000 ? 10 : 50;
  for (let i = 0; i < 3; i++) await analyseMessage(await parseMessage(message.bytes));
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await analyseMessage(await parseMessage(message.bytes));
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  const mbps = message.bytes.length / 1024 / 1024 / (median / 1000);
  console.log(
    `${runtime.padEnd(12)} ${message.name.padEnd(16)} ${
      (message.bytes.length / 1024).toFixed(0).padStart(6)
    } KiB  ` +
      `median ${median.toFixed(2).padStart(8)} ms  ${mbps.toFixed(1).padStart(7)} MB/s`,
  );
}
