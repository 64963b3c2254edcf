import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CLAMDSCAN, HAVE_CLAMAV, startClamd } from "../tests/_helpers/clamav.ts";
import { benchCorpus } from "./corpus.ts";
import { parallelDeliveries, stats, timeProcess } from "./_measure.ts";

/** The filters users would put in a dot-qmail file instead, doing the same subject and name checks. */
const PROCMAILRC = `SHELL=/bin/sh
DEFAULT=/dev/null
LOGFILE=/dev/null
:0
* ^Subject:.*ILOVEYOU
/dev/null
:0 B
* ^Content-(Type|Disposition):.*name="?[^"]*\\.(exe|com|scr|pif|bat|cmd|vbs|js)"?
/dev/null
`;
const MAILFILTER = `if (/^Subject:.*ILOVEYOU/)
  exit
if (/^Content-(Type|Disposition):.*name="?[^"]*\\.(exe|com|scr|pif|bat|cmd|vbs|js)/:b)
  exit
exit
`;

interface Peer {
  readonly name: string;
  readonly available: boolean;
  readonly argv: (file: string, work: string) => string[];
}

/**
 * dist/qmvc beside real peers from Debian's packages, on the same messages: procmail and
 * maildrop with an equivalent recipe, ripmime (MIME extraction in C: the parsing floor),
 * clamdscan alone, and cat (the I/O floor). Wall time per delivery (cold process), the
 * ratio qmvc/peer, qmvc's peak RSS, and qmvc's throughput at 10 parallel deliveries.
 */
export async function benchPeers(binary: string, runs = 15): Promise<string[]> {
  const work = mkdtempSync(join(tmpdir(), "qmvc-bench-peers-"));
  writeFileSync(join(work, "procmailrc"), PROCMAILRC, { mode: 0o600 });
  writeFileSync(join(work, "mailfilter"), MAILFILTER, { mode: 0o600 });
  const system = join(work, "system");
  mkdirSync(join(system, "control"), { recursive: true });
  writeFileSync(join(system, "control/filters"), "notify-recipient=n\nnotify-admin=n\n");
  const clamd = HAVE_CLAMAV ? await startClamd() : undefined;
  const env = {
    QMVC_HOME: system,
    SENDER: "a@example.net",
    RECIPIENT: "b@example.org",
    HOME: work,
    PATH: "/usr/bin:/bin",
  };
  const peers: Peer[] = [
    { name: "qmvc", available: true, argv: () => [binary, "-n"] },
    {
      name: "procmail",
      available: existsSync("/usr/bin/procmail"),
      argv: () => ["/usr/bin/procmail", "-m", join(work, "procmailrc")],
    },
    {
      name: "maildrop",
      available: existsSync("/usr/bin/maildrop"),
      argv: () => ["/usr/bin/maildrop", join(work, "mailfilter")],
    },
    {
      name: "ripmime",
      available: existsSync("/usr/bin/ripmime"),
      argv: (_file, out) => ["/usr/bin/ripmime", "-i", "-", "-d", out, "--no-paranoid"],
    },
    {
      name: "clamdscan",
      available: clamd !== undefined,
      argv: () => [CLAMDSCAN, "--no-summary", "--fdpass", `--config-file=${clamd?.config}`, "-"],
    },
    { name: "cat", available: true, argv: () => ["/bin/cat"] },
  ];
  const lines = [
    "qmvc beside its peers: median wall time per delivery (cold process), ratio qmvc/peer",
    `${"message".padEnd(18)} ${peers.map((p) => p.name.padStart(11)).join(" ")}   qmvc peak RSS`,
  ];
  try {
    for (const message of benchCorpus()) {
      const file = join(work, `${message.name}.eml`);
      writeFileSync(file, message.bytes);
      const medians: number[] = [];
      for (const peer of peers) {
        if (!peer.available) {
          medians.push(NaN);
          continue;
        }
        const samples: number[] = [];
        for (let i = 0; i < runs; i++) {
          const out = join(work, "out");
          mkdirSync(out, { recursive: true });
          const [command, ...args] = peer.argv(file, out);
          samples.push((await timeProcess(command!, args, { stdinFile: file, env, cwd: work })).ms);
          rmSync(out, { recursive: true, force: true });
        }
        medians.push(stats(samples).median);
      }
      const rss = await peakRss(binary, file, env, work);
      lines.push(
        `${message.name.padEnd(18)} ${
          medians.map((m) => (Number.isNaN(m) ? "n/a" : m.toFixed(1)).padStart(11)).join(" ")
        }   ${(rss / 1024).toFixed(0)} MiB`,
      );
      lines.push(
        `${"  ratio qmvc/peer".padEnd(18)} ${
          medians.map((m) =>
            (Number.isNaN(m) ? "" : (medians[0]! / m).toFixed(1) + "x").padStart(11)
          ).join(" ")
        }`,
      );
    }
    lines.push("", "qmvc throughput at 10 parallel deliveries (qmail's default concurrencylocal)");
    for (
      const message of benchCorpus().filter((m) => ["small-text", "attachment-5m"].includes(m.name))
    ) {
      const file = join(work, `${message.name}.eml`);
      const count = message.bytes.length > 1_000_000 ? 40 : 200;
      const seconds = await parallelDeliveries(binary, file, count, { env, cwd: work });
      lines.push(
        `${message.name.padEnd(18)} ${count} deliveries in ${seconds.toFixed(2)} s: ${
          (count / seconds).toFixed(1)
        } messages/s`,
      );
    }
  } finally {
    await clamd?.stop();
  }
  return lines;
}

/** Peak resident set size of one delivery in KiB, from GNU time. */
async function peakRss(
  binary: string,
  file: string,
  env: Record<string, string>,
  cwd: string,
): Promise<number> {
  if (!existsSync("/usr/bin/time")) return NaN;
  const out = await new Deno.Command("/bin/sh", {
    args: ["-c", 'exec 0<"$1"; shift; exec /usr/bin/time -f "%M" "$@"', "sh", file, binary, "-n"],
    env,
    clearEnv: true,
    cwd,
    stdout: "null",
    stderr: "piped",
  }).output();
  return Number(new TextDecoder().decode(out.stderr).trim().split("\n").at(-1));
}
