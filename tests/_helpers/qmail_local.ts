/**
 * Drives dist/qmvc exactly as qmail-local does: the dot-qmail line through `/bin/sh -c`,
 * the working directory set to $HOME, a clean environment holding only qmail's variables
 * (and PATH), and the message on fd 0 as a seekable, read-only file.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { tempDir } from "./temp_dirs.ts";

export const REPO = resolve(dirname(new URL(import.meta.url).pathname), "../..");
export const BINARY = join(REPO, "dist/qmvc");
export const FIXTURES = join(REPO, "tests/fixtures/eml");

export interface Delivery {
  /** The dot-qmail line without the leading "|", e.g. "qmvc -n". */
  readonly line: string;
  /** Path of the message file handed on fd 0. */
  readonly message: string;
  readonly home: string;
  readonly sender?: string;
  readonly recipient?: string;
  /** Extra variables (QMVC_HOME for a test's system profile); undefined removes one. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Directory holding the `qmvc` to run; dist/ by default. */
  readonly binDir?: string;
  /** Run as this uid/gid (qmvc runs as the unprivileged alias user, not root). */
  readonly asUser?: number;
  /** With asUser: run with this gid instead of the uid's number. */
  readonly asGroup?: number;
  /** Shell lines run before the dot-qmail line, e.g. "ulimit -f 1". */
  readonly prelude?: string;
}

export interface DeliveryResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The environment qmail-local builds for a delivery to `recipient` (qmail-command(8)). */
export function qmailEnv(home: string, sender: string, recipient: string): Record<string, string> {
  const [local = "", host = ""] = recipient.split("@");
  const hostParts = host.split(".");
  const dash = local.indexOf("-");
  const ext = dash >= 0 ? local.slice(dash + 1) : "";
  return {
    SENDER: sender,
    NEWSENDER: sender,
    RECIPIENT: recipient,
    USER: dash >= 0 ? local.slice(0, dash) : local,
    HOME: home,
    HOST: host,
    HOST2: hostParts.slice(0, -1).join("."),
    HOST3: hostParts.slice(0, -2).join("."),
    HOST4: hostParts.slice(0, -3).join("."),
    LOCAL: local,
    EXT: ext,
    EXT2: ext.split("-").slice(1).join("-"),
    EXT3: ext.split("-").slice(2).join("-"),
    EXT4: ext.split("-").slice(3).join("-"),
    DEFAULT: ext,
    DTLINE: `Delivered-To: ${recipient}\n`,
    RPLINE: `Return-Path: <${sender}>\n`,
    UFLINE: `From ${sender || "MAILER-DAEMON"} Thu Jan  1 00:00:00 2026\n`,
  };
}

/** Run one delivery and wait for it. */
export async function deliver(d: Delivery): Promise<DeliveryResult> {
  const env: Record<string, string> = {
    PATH: `${d.binDir ?? dirname(BINARY)}:/usr/bin:/bin`,
    ...qmailEnv(d.home, d.sender ?? "alice@example.net", d.recipient ?? "bob@example.org"),
  };
  for (const [key, value] of Object.entries(d.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  // The outer shell only opens the message as fd 0 (seekable, read-only, as
  // qmail-local's) and then runs the dot-qmail line the way qmail-local does.
  const shellArgs = [
    "-c",
    `exec 0<"$1" && ${d.prelude ? `${d.prelude}; ` : ""}exec /bin/sh -c "$0"`,
    d.line,
    d.message,
  ];
  const [program, args] = d.asUser === undefined ? ["/bin/sh", shellArgs] : ["/usr/bin/setpriv", [
    `--reuid=${d.asUser}`,
    `--regid=${d.asGroup ?? d.asUser}`,
    "--clear-groups",
    "--",
    "/bin/sh",
    ...shellArgs,
  ]];
  const command = new Deno.Command(program, {
    args,
    cwd: d.home,
    env,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  });
  const out = await command.output();
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
}

/** A fresh home directory and system profile for one test. */
export function makeSite(): { home: string; system: string; root: string } {
  const root = tempDir("qmvc-e2e-");
  const home = join(root, "home");
  const system = join(root, "var-qmvc");
  Deno.mkdirSync(home, { recursive: true });
  Deno.mkdirSync(join(system, "control"), { recursive: true });
  return { home, system, root };
}

export function writeControl(profileDir: string, name: string, text: string): void {
  Deno.mkdirSync(join(profileDir, "control"), { recursive: true });
  writeFileSync(join(profileDir, "control", name), text);
}

export function readLogLines(profileDir: string): string[] {
  try {
    return readFileSync(join(profileDir, "log/qmvc.log"), "utf8").split("\n").filter((l) =>
      l !== ""
    );
  } catch {
    return [];
  }
}

export function fixture(name: string): string {
  return join(FIXTURES, name);
}

export function listMaildir(dir: string): string[] {
  try {
    return [...Deno.readDirSync(join(dir, "new"))].map((e) => join(dir, "new", e.name));
  } catch {
    return [];
  }
}

export const TEST_INJECTOR = join(REPO, "tests/_helpers/inject_to_maildir.sh");

/** Point the profile's qmailinject at the test injector writing into `outbox`; returns the outbox. */
export function useTestInjector(profileDir: string, outbox = join(profileDir, "outbox")): string {
  writeControl(profileDir, "qmailinject", `${TEST_INJECTOR} ${outbox}\n`);
  return outbox;
}

/** Read back what the test injector stored: envelope and message bytes. */
export function readInjected(
  outbox: string,
): { from: string; to: string[]; message: Uint8Array }[] {
  return listMaildir(outbox).sort().map((path) => {
    const bytes = readFileSync(path);
    const text = new TextDecoder("latin1").decode(bytes.subarray(0, 2000));
    const from = /^X-Test-Envelope-From: <(.*)>\n/m.exec(text)?.[1] ?? "?";
    const to = (/^X-Test-Envelope-To: (.*)\n/m.exec(text)?.[1] ?? "").split(" ");
    const skip = text.indexOf("\n", text.indexOf("X-Test-Envelope-To:")) + 1;
    return { from, to, message: new Uint8Array(bytes.subarray(skip)) };
  });
}

/** A site from makeSite(): its home and its system profile (QMVC_HOME). */
export type Site = ReturnType<typeof makeSite>;

/** The common delivery: `|qmvc -n` in the site's home, with the site's system profile. */
export function deliverToSite(site: Site, message: string): Promise<DeliveryResult> {
  return deliver({ line: "qmvc -n", message, home: site.home, env: { QMVC_HOME: site.system } });
}

/** The exit code qmail-local sees for each action in filters. */
export const ACTION_EXIT = {
  pass: 0,
  tag: 0,
  trash: 99,
  quarantine: 99,
  forward: 99,
  bounce: 100,
} as const;

/** Run dist/qmvc as an admin would at a shell: these arguments, a clean environment. */
export async function runQmvc(
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): Promise<DeliveryResult> {
  const out = await new Deno.Command(BINARY, {
    args: [...args],
    env: { PATH: "/usr/bin:/bin", ...env },
    clearEnv: true,
    stdin: "null",
  }).output();
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
}

/** True while a process runs: not gone, and not a zombie waiting for a parent that does not reap. */
export function isRunning(pid: string | number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}
