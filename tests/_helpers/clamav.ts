/**
 * Real ClamAV from Debian's packages for tests: a signature database the tests write
 * themselves (the official EICAR test string as an .ndb body signature and as an .hdb
 * hash), and clamd started in the foreground on a private socket and TCP port, stopped
 * by its pid.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { tempDir } from "./temp_dirs.ts";

/** The official 68-byte EICAR anti-virus test file. */
export const EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";
/** What our database calls it; clamd adds ".UNOFFICIAL" to signatures outside its own databases. */
export const EICAR_NAME = "Qmvc-Test-EICAR.UNOFFICIAL";

export const CLAMD = "/usr/sbin/clamd";
export const CLAMSCAN = "/usr/bin/clamscan";
export const CLAMDSCAN = "/usr/bin/clamdscan";
export const HAVE_CLAMAV = existsSync(CLAMD) && existsSync(CLAMSCAN);

/** Write a database directory with the EICAR signature in two forms. */
export function writeSignatureDb(dir = tempDir("qmvc-clamdb-")): string {
  const bytes = new TextEncoder().encode(EICAR);
  writeFileSync(
    join(dir, "qmvc.ndb"),
    `Qmvc-Test-EICAR:0:*:${[...bytes].map((b) => b.toString(16).padStart(2, "0")).join("")}\n`,
  );
  writeFileSync(
    join(dir, "qmvc.hdb"),
    `${createHash("md5").update(bytes).digest("hex")}:${bytes.length}:Qmvc-Test-EICAR-Hash\n`,
  );
  return dir;
}

export interface Clamd {
  readonly socket: string;
  readonly port: number;
  readonly pid: number;
  readonly config: string;
  stop(): Promise<void>;
}

/** A TCP port nobody listens on right now (the kernel's choice), for clamd's TCPSocket. */
function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** Start clamd on a fresh socket and port; resolves when it answers PING. */
export async function startClamd(): Promise<Clamd> {
  const dir = tempDir("qmvc-clamd-");
  const db = writeSignatureDb(mkdtempSync(join(dir, "db-")));
  const socket = join(dir, "clamd.sock");
  const port = freePort();
  const config = join(dir, "clamd.conf");
  writeFileSync(
    config,
    [
      `LocalSocket ${socket}`,
      `TCPSocket ${port}`,
      "TCPAddr 127.0.0.1",
      `DatabaseDirectory ${db}`,
      "Foreground yes",
      `LogFile ${join(dir, "clamd.log")}`,
      "StreamMaxLength 10M",
      "",
    ].join("\n"),
  );
  const child = new Deno.Command(CLAMD, { args: ["-c", config], stdout: "null", stderr: "null" })
    .spawn();
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (await ping(socket)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  if (!(await ping(socket))) {
    child.kill("SIGKILL");
    throw new Error(`clamd did not answer on ${socket} within 60 s`);
  }
  return {
    socket,
    port,
    pid: child.pid,
    config,
    async stop() {
      try {
        child.kill("SIGTERM");
      } catch { /* already gone */ }
      await child.status;
    },
  };
}

function ping(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ path });
    const timer = setTimeout(() => {
      s.destroy();
      resolve(false);
    }, 1000);
    s.on("error", () => {
      clearTimeout(timer);
      resolve(false);
    });
    s.on("connect", () => s.write("zPING\0"));
    s.on("data", (d: Uint8Array) => {
      clearTimeout(timer);
      s.destroy();
      resolve(new TextDecoder().decode(d).startsWith("PONG"));
    });
  });
}
