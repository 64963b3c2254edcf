import { createHash } from "node:crypto";
import {
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  statSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { basename, join, resolve } from "node:path";
import process from "node:process";
import { parseArgs } from "node:util";
import {
  argsErrorText,
  CONTROL_NAMES,
  DEFAULT_SYSTEM_DIR,
  findLayeredFile,
  lookupAccount,
  lookupGroup,
  resolveProfile,
} from "../profile/mod.ts";
import { clamdScanner, parseEndpoint } from "../scan/mod.ts";
import type { CommandIo, CommandStatus } from "./io.ts";
import { markdownToMan } from "./man_page.ts";
import { VERSION } from "./version.ts";

export const INSTALL_HELP = `Usage: qmvc install [--home DIR] [--user alias] [--group nofiles]
                    [--bin /usr/local/bin] [--clamd ENDPOINT] [--man DIR] [--dry-run]

Install this binary and a system profile the way qmail software is installed:
  - copy the binary to BIN/qmvc and link BIN/plainmail to it;
  - create the profile HOME (default /var/qmvc) with control/, templates/, log/,
    quarantine/, cache/ and reports/, owned by USER:GROUP with modes that let
    every user of GROUP deliver through it (directories 2770, control 2750);
  - write control/ files as editable copies of the built-in defaults, each
    saying so in its first lines; a file that exists is never overwritten, and
    one that differs from the default is reported;
  - write control/scanners for clamd when one answers PING (at ENDPOINT, or at
    clamd's usual Debian and FreeBSD sockets); otherwise say that no virus
    scanning is configured;
  - with --man DIR, write the man pages qmvc(8), qmvc-control(5), qmvc-log(5)
    and qmvc-tools(1) into DIR/man8, DIR/man5, DIR/man1;
  - print the dot-qmail and crontab lines to use.
Running it again changes nothing. --dry-run prints every step and does none.
Run it as root (it sets owners); run it from the built binary, not from source.

Examples:
  ./dist/qmvc install --dry-run
  ./dist/qmvc install --man /usr/local/share/man
  ./dist/qmvc install --home /var/qmvc/example.org --clamd 127.0.0.1:3310
`;

/** Where clamd listens on Debian (clamav-daemon) and FreeBSD (clamav port) hosts. */
export const USUAL_CLAMD_SOCKETS = [
  "/run/clamav/clamd.ctl",
  "/var/run/clamav/clamd.ctl",
  "/var/run/clamav/clamd.sock",
  "/var/run/clamd.scan/clamd.sock",
  "/tmp/clamd.socket",
];

const DIRECTORIES = [
  ["", 0o2770],
  ["control", 0o2750],
  ["templates", 0o2750],
  ["log", 0o2770],
  ["quarantine", 0o2770],
  ["cache", 0o2770],
  ["reports", 0o2770],
] as const;

interface InstallOptions {
  readonly home: string;
  readonly user: string;
  readonly group: string;
  readonly bin: string;
  readonly clamd: string | undefined;
  readonly man: string | undefined;
  readonly dryRun: boolean;
}

/** `qmvc install`: the binary, the profile tree, clamd, man pages; idempotent. */
export async function runInstall(argv: readonly string[], io: CommandIo): Promise<CommandStatus> {
  let options: InstallOptions;
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: {
        home: { type: "string" },
        user: { type: "string" },
        group: { type: "string" },
        bin: { type: "string" },
        clamd: { type: "string" },
        man: { type: "string" },
        "dry-run": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    });
    if (values.help) {
      io.stdout(INSTALL_HELP);
      return 0;
    }
    options = {
      home: resolve(values.home ?? io.env["QMVC_HOME"] ?? DEFAULT_SYSTEM_DIR),
      user: values.user ?? "alias",
      group: values.group ?? "nofiles",
      bin: resolve(values.bin ?? "/usr/local/bin"),
      clamd: values.clamd,
      man: values.man === undefined ? undefined : resolve(values.man),
      dryRun: values["dry-run"] ?? false,
    };
  } catch (error) {
    io.stderr(`qmvc install: ${argsErrorText(error)}; see qmvc help install\n`);
    return 2;
  }
  const account = lookupAccount(options.user);
  const gid = lookupGroup(options.group);
  const missing: string[] = [];
  if (!account) {
    missing.push(
      `no user "${options.user}" in /etc/passwd: create qmail's users first, or name the owner with --user`,
    );
  }
  if (gid === undefined) {
    missing.push(
      `no group "${options.group}" in /etc/group: create qmail's groups first, or name one with --group`,
    );
  }
  const self = process.execPath;
  if (/^(deno|bun|node)(\.exe)?$/.test(basename(self))) {
    missing.push("run install from the built binary (./dist/qmvc install), not from source");
  }
  if (missing.length) {
    for (const line of missing) io.stderr(`qmvc install: ${line}\n`);
    return 1;
  }
  const step = new Steps(io, options.dryRun, account!.uid, gid!);

  step.directory(options.bin, 0o755, { owner: false, createOnly: true });
  step.file(join(options.bin, "qmvc"), readFileSync(self), 0o755, { owner: false });
  step.link(join(options.bin, "plainmail"), "qmvc");
  for (const [dir, mode] of DIRECTORIES) step.directory(join(options.home, dir), mode);

  const profile = resolveProfile({ user: false, common: options.home }, {});
  const scanners = await scannersFile(options.clamd, io);
  for (const name of CONTROL_NAMES) {
    const builtIn = name === "scanners" && scanners.text !== undefined
      ? scanners.text
      : (await findLayeredFile({ ...profile, layers: [] }, `control/${name}`))?.text ?? "";
    step.controlFile(join(options.home, "control", name), withDefaultHeader(builtIn));
  }
  if (scanners.text === undefined) io.stdout(`note: ${scanners.note}\n`);

  if (options.man !== undefined) {
    const { EMBEDDED_DOCS } = await import("./_embedded_docs.ts");
    const date = new Date().toISOString().slice(0, 10);
    for (const markdown of Object.values(EMBEDDED_DOCS)) {
      const page = markdownToMan(markdown, VERSION, date);
      if (!page) continue;
      const section = page.name.slice(page.name.lastIndexOf(".") + 1);
      step.directory(join(options.man, `man${section}`), 0o755, { owner: false, createOnly: true });
      step.manPage(join(options.man, `man${section}`, page.name), page.roff);
    }
  }
  io.stdout(usageLines(options));
  return step.failed ? 1 : 0;
}

/** The first lines of every control file install writes. */
function withDefaultHeader(text: string): string {
  return `# Built-in default of qmvc, written by qmvc install. Edit freely: install never\n` +
    `# overwrites this file, and \`qmvc showctl\` shows what is in force.\n${text}`;
}

/** control/scanners for a clamd that answers, or a note that there is none. */
async function scannersFile(
  wanted: string | undefined,
  io: CommandIo,
): Promise<{ text?: string; note: string }> {
  const candidates = wanted === undefined ? USUAL_CLAMD_SOCKETS : [wanted];
  for (const candidate of candidates) {
    const endpoint = parseEndpoint(candidate);
    if (!endpoint) {
      io.stderr(`qmvc install: --clamd ${candidate} is neither /socket nor host:port\n`);
      continue;
    }
    if (wanted === undefined && !existsSync(candidate)) continue;
    const answer = await clamdScanner([endpoint]).check({ signal: AbortSignal.timeout(5000) });
    if (answer.ok) {
      io.stdout(`clamd answers at ${candidate}: ${answer.detail}\n`);
      return {
        text:
          `# scanners: written by qmvc install after clamd answered PING at ${candidate}.\nclamd endpoint=${candidate}\n`,
        note: "",
      };
    }
    io.stdout(`clamd at ${candidate} does not answer: ${answer.detail}\n`);
  }
  return {
    note: `no clamd answered (${
      candidates.join(", ")
    }): no virus scanning is configured; start clamd and run qmvc install --clamd ENDPOINT`,
  };
}

function usageLines(o: InstallOptions): string {
  const profile = o.home === DEFAULT_SYSTEM_DIR ? "" : ` -c ${o.home}`;
  const qmvc = join(o.bin, "qmvc");
  return `
Put these lines in ~${o.user}/.qmail-default (or a user's ~/.qmail), the delivery below qmvc:
  |${qmvc} -n${profile}
  ./Maildir/

Crontab of ${o.user} (crontab -u ${o.user} -e):
  5 0 1 * *    ${qmvc} month${profile} && ${qmvc} calendar${profile}
  */15 * * * * ${qmvc} log2html${profile} --limit 2000 --out ${join(o.home, "reports/log.html")}
  */15 * * * * ${qmvc} virulator${profile} --out ${join(o.home, "reports/virulator.html")}

Check the result with: ${qmvc} showctl${profile} --as ${o.user}
`;
}

/** Each step says what it did (or, dry, what it would do); none does anything twice. */
class Steps {
  failed = false;
  readonly #planned = new Set<string>();

  constructor(
    private readonly io: CommandIo,
    private readonly dry: boolean,
    private readonly uid: number,
    private readonly gid: number,
  ) {}

  #say(what: string): void {
    this.io.stdout(`${this.dry ? "would " : ""}${what}\n`);
  }

  #try(what: string, action: () => void): void {
    if (this.dry) return this.#say(what);
    try {
      action();
      this.#say(what);
    } catch (error) {
      this.failed = true;
      this.io.stderr(`qmvc install: cannot ${what}: ${(error as Error).message}\n`);
    }
  }

  /**
   * Make `path` with `mode` (and the owner, unless owner is false); an existing one is
   * given the mode and owner back, unless createOnly (a system directory such as
   * /usr/local/bin is the admin's to keep as it is).
   */
  directory(
    path: string,
    mode: number,
    options: { owner: boolean; createOnly?: boolean } = { owner: true },
  ): void {
    if (this.#planned.has(path)) return;
    this.#planned.add(path);
    let stat;
    try {
      stat = statSync(path);
    } catch {
      return this.#try(`create ${path} (mode ${mode.toString(8)})`, () => {
        mkdirSync(path, { recursive: true });
        this.#own(path, mode, options.owner);
      });
    }
    if (options.createOnly) return;
    const owned = !options.owner || (stat.uid === this.uid && stat.gid === this.gid);
    if ((stat.mode & 0o7777) === mode && owned) return;
    this.#try(`set owner and mode ${mode.toString(8)} of ${path}`, () => {
      this.#own(path, mode, options.owner);
    });
  }

  file(path: string, content: Uint8Array, mode: number, options: { owner: boolean }): void {
    if (existsSync(path) && sameBytes(readFileSync(path), content)) return;
    // Through a temporary name: a delivery running now never sees half a binary.
    this.#try(`install ${path}`, () => {
      const tmp = `${path}.install-${process.pid}`;
      writeFileSync(tmp, content, { mode });
      this.#own(tmp, mode, options.owner);
      renameSync(tmp, path);
    });
  }

  link(path: string, target: string): void {
    try {
      if (lstatSync(path).isSymbolicLink() && readlinkSync(path) === target) return;
    } catch { /* absent: create it */ }
    this.#try(`link ${path} -> ${target}`, () => {
      if (existsSync(path) || isLink(path)) unlinkSync(path);
      symlinkSync(target, path);
    });
  }

  controlFile(path: string, text: string): void {
    if (existsSync(path)) {
      const current = readFileSync(path, "utf8");
      if (current === text) return;
      const differing = changedLines(current, text);
      this.io.stdout(
        `kept ${path}: it differs from the built-in default in ${differing} line${
          differing === 1 ? "" : "s"
        }\n`,
      );
      return;
    }
    this.#try(`write ${path}`, () => {
      writeFileSync(path, text, { mode: 0o640 });
      this.#own(path, 0o640, true);
    });
  }

  manPage(path: string, roff: string): void {
    if (existsSync(path) && readFileSync(path, "utf8") === roff) return;
    this.#try(`write ${path}`, () => writeFileSync(path, roff, { mode: 0o644 }));
  }

  #own(path: string, mode: number, owner: boolean): void {
    if (owner) chownSync(path, this.uid, this.gid);
    chmodSync(path, mode);
  }
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  const hash = (x: Uint8Array) => createHash("sha256").update(x).digest("hex");
  return hash(a) === hash(b);
}

/** Lines one text has and the other has not (added, removed or changed). */
function changedLines(a: string, b: string): number {
  const count = (text: string) => {
    const lines = new Map<string, number>();
    for (const line of text.split("\n")) lines.set(line, (lines.get(line) ?? 0) + 1);
    return lines;
  };
  const [x, y] = [count(a), count(b)];
  let n = 0;
  for (const [line, times] of x) n += Math.max(0, times - (y.get(line) ?? 0));
  for (const [line, times] of y) n += Math.max(0, times - (x.get(line) ?? 0));
  return n;
}
