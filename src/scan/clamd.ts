import { createHash } from "node:crypto";
import { connect, type Socket } from "node:net";
import { concatBytes } from "../message/mod.ts";
import type { ScanResult, VirusHit } from "../rules/mod.ts";
import { combineResults, type ScanInput, type Scanner, type ScanPart } from "./scanner.ts";

/** A clamd endpoint: a unix socket path, or host:port for TCP. */
export type ClamdEndpoint = { readonly path: string } | {
  readonly host: string;
  readonly port: number;
};

/** INSTREAM chunk size; clamd reads each chunk into memory. */
const CHUNK_BYTES = 64 * 1024;
/** Longest reply qmvc reads; a clamd reply is one short line. */
const MAX_REPLY_BYTES = 64 * 1024;

/** Parse "/run/clamav/clamd.ctl" or "127.0.0.1:3310" (or "[::1]:3310"). */
export function parseEndpoint(text: string): ClamdEndpoint | undefined {
  if (text.startsWith("/")) return { path: text };
  const match = /^(?:\[([0-9a-f:]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/.exec(text);
  if (!match) return undefined;
  const port = Number(match[3]);
  if (port < 1 || port > 65535) return undefined;
  return { host: match[1] ?? match[2] ?? "", port };
}

export function describeEndpoint(e: ClamdEndpoint): string {
  return "path" in e ? e.path : `${e.host.includes(":") ? `[${e.host}]` : e.host}:${e.port}`;
}

class ClamdError extends Error {
  constructor(message: string, readonly connectFailed = false) {
    super(message);
  }
}

/** Talk to clamd: send `command` (and for INSTREAM the data in chunks), read one NUL-ended reply. */
function talk(
  endpoint: ClamdEndpoint,
  command: string,
  data: Uint8Array | undefined,
  signal: AbortSignal,
): Promise<string> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new ClamdError("timed out before connecting", true));
    let connected = false;
    const socket: Socket = "path" in endpoint
      ? connect({ path: endpoint.path })
      : connect({ host: endpoint.host, port: endpoint.port });
    const chunks: Uint8Array[] = [];
    let size = 0;
    const done = (error?: ClamdError, reply?: string): void => {
      signal.removeEventListener("abort", onAbort);
      socket.destroy();
      if (error) reject(error);
      else resolve(reply ?? "");
    };
    const onAbort = (): void =>
      done(new ClamdError(connected ? "no answer in time" : "connect timed out", !connected));
    signal.addEventListener("abort", onAbort);
    socket.on("error", (error: Error & { code?: string }) => {
      done(
        new ClamdError(`${describeEndpoint(endpoint)}: ${error.code ?? error.message}`, !connected),
      );
    });
    socket.on("connect", () => {
      connected = true;
      socket.write(new TextEncoder().encode(`z${command}\0`));
      if (data) void stream(socket, data);
    });
    socket.on("data", (chunk: Uint8Array) => {
      chunks.push(chunk);
      size += chunk.length;
      const all = concatBytes(chunks);
      const nul = all.indexOf(0);
      if (nul >= 0) done(undefined, new TextDecoder().decode(all.subarray(0, nul)));
      else if (size > MAX_REPLY_BYTES) done(new ClamdError("reply too long"));
    });
    socket.on("end", () => {
      const all = concatBytes(chunks);
      if (all.length) done(undefined, new TextDecoder().decode(all).replace(/\0.*$/s, ""));
      else {done(
          new ClamdError(`${describeEndpoint(endpoint)} closed the connection without an answer`),
        );}
    });
  });
}

/**
 * Send `data` as INSTREAM chunks, each once the socket has taken the one before: written
 * all at once, the socket would buffer a copy of the whole message while clamd reads.
 */
async function stream(socket: Socket, data: Uint8Array): Promise<void> {
  for (let at = 0; at < data.length; at += CHUNK_BYTES) {
    if (socket.destroyed) return;
    const chunk = data.subarray(at, at + CHUNK_BYTES);
    const length = new Uint8Array(4);
    new DataView(length.buffer).setUint32(0, chunk.length, false);
    socket.write(length);
    if (!socket.write(chunk)) await drained(socket);
  }
  if (!socket.destroyed) socket.write(new Uint8Array(4));
}

/** Resolves when the socket can take more, or is gone (its error ends the request). */
function drained(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    const finish = (): void => {
      socket.off("drain", finish);
      socket.off("close", finish);
      resolve();
    };
    socket.on("drain", finish);
    socket.on("close", finish);
  });
}

/** Read clamd's INSTREAM reply strictly (clamd's docs: "stream: OK", "stream: NAME FOUND", "... ERROR"). */
export function parseInstreamReply(reply: string): ScanResult {
  const text = reply.trim();
  if (text === "stream: OK") return { kind: "clean" };
  const found = /^stream: (.+) FOUND$/.exec(text);
  if (found) {
    const name = found[1] ?? "";
    return /^Heuristics\.Encrypted\./.test(name)
      ? { kind: "encrypted", detail: name }
      : { kind: "infected", names: [name] };
  }
  // StreamMaxLength reached: clamd saw only part of the data. Retrying cannot help (the
  // part stays as large), and it is not clean: qmvc's unchecked condition.
  if (/^INSTREAM size limit exceeded\. ERROR$/.test(text)) {
    return { kind: "unchecked", detail: "INSTREAM size limit exceeded" };
  }
  if (/ERROR$/.test(text)) return { kind: "failed", reason: `clamd: ${text}` };
  return { kind: "failed", reason: `clamd: unexpected reply "${text.slice(0, 120)}"` };
}

/**
 * The native clamd adapter: zINSTREAM over unix or TCP sockets with failover to the next
 * endpoint when one cannot be reached. Each decoded part is scanned on its own, so every
 * finding names its part; an infected archive's members are then scanned one by one to
 * name the member. The raw message is scanned last, only when no part was infected, for
 * what clamd reads in the message that the parts do not show.
 */
export function clamdScanner(endpoints: readonly ClamdEndpoint[]): Scanner {
  const withFailover = async (
    command: string,
    data: Uint8Array | undefined,
    signal: AbortSignal,
  ): Promise<string> => {
    const errors: string[] = [];
    for (const endpoint of endpoints) {
      try {
        return await talk(endpoint, command, data, signal);
      } catch (error) {
        if (!(error instanceof ClamdError) || !error.connectFailed || signal.aborted) throw error;
        errors.push(error.message);
      }
    }
    throw new ClamdError(`no clamd reachable (${errors.join("; ")})`);
  };
  const ask = async (bytes: Uint8Array, signal: AbortSignal): Promise<ScanResult> => {
    try {
      return parseInstreamReply(await withFailover("INSTREAM", bytes, signal));
    } catch (error) {
      return {
        kind: "failed",
        reason: `clamd: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
  };
  return {
    name: "clamd",
    async scan(input: ScanInput, { signal }): Promise<ScanResult> {
      const results: ScanResult[] = [];
      for (const part of input.parts) {
        const result = await ask(part.content, signal);
        if (result.kind === "failed") {
          results.push(result);
          return combineResults(results);
        }
        results.push(
          result.kind === "infected"
            ? await locateMembers(part, result.names, ask, signal)
            : result,
        );
      }
      if (!results.some((r) => r.kind === "infected")) {
        const whole = await ask(input.message, signal);
        results.push(
          whole.kind === "infected"
            ? { ...whole, hits: whole.names.map((name) => ({ name, part: "0" })) }
            : whole,
        );
      }
      return combineResults(results);
    },
    async check({ signal }) {
      try {
        const pong = await withFailover("PING", undefined, signal);
        if (pong.trim() !== "PONG") return { ok: false, detail: `PING answered "${pong.trim()}"` };
        return { ok: true, detail: (await withFailover("VERSION", undefined, signal)).trim() };
      } catch (error) {
        return { ok: false, detail: error instanceof Error ? error.message : String(error) };
      }
    },
  };
}

/**
 * Name the members of an infected archive part that carry each virus; a name no single
 * member carries (a signature on the archive itself) stays on the part. Of a nested
 * archive and its infected member, the member is named.
 */
async function locateMembers(
  part: ScanPart,
  names: readonly string[],
  ask: (bytes: Uint8Array, signal: AbortSignal) => Promise<ScanResult>,
  signal: AbortSignal,
): Promise<ScanResult> {
  const hits: VirusHit[] = [];
  if (part.members) {
    for await (const member of part.members()) {
      if (signal.aborted) break;
      const result = await ask(member.content, signal);
      if (result.kind !== "infected") continue;
      const sha256 = createHash("sha256").update(member.content).digest("hex");
      for (const name of result.names) {
        hits.push({
          name,
          part: part.path,
          member: { path: member.path, size: member.content.length, sha256 },
        });
      }
    }
  }
  const deepest = hits.filter((hit) =>
    !hits.some((other) =>
      other !== hit && other.name === hit.name &&
      other.member?.path.startsWith(`${hit.member?.path}/`)
    )
  );
  const named = new Set(deepest.map((h) => h.name));
  const onPart = names.filter((n) => !named.has(n)).map((name) => ({ name, part: part.path }));
  return {
    kind: "infected",
    names: [...new Set([...names, ...deepest.map((h) => h.name)])],
    hits: [...deepest, ...onPart],
  };
}
