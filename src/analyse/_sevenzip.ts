import { concatBytes } from "../message/mod.ts";
import type { ArchiveListing, ArchiveMember, ArchiveProblem } from "./archive_member.ts";
import { normaliseFilename } from "./filename.ts";
import { findZipEndRecord, type Sniff, sniffBytes } from "./loader_signatures.ts";
import {
  type ExpansionBudget,
  innerArchiveKind,
  type ReaderOptions,
  ZIP_NAMED,
} from "./_archive_reader.ts";

/** Archives with members, listed and unpacked by 7-Zip. */
const CONTAINER_KINDS: ReadonlySet<string> = new Set(["7z", "rar", "cab", "arj", "iso9660", "udf"]);
/** Single-stream compressors, unpacked by 7-Zip to a counted stream. */
const STREAM_KINDS: ReadonlySet<string> = new Set(["bz2", "xz"]);

/** The kinds 7-Zip reads for qmvc. */
export const SEVENZIP_KINDS: ReadonlySet<string> = new Set([...CONTAINER_KINDS, ...STREAM_KINDS]);

/** Archives unpacked by 7-Zip per message: each costs a fresh WebAssembly instance. */
export const MAX_SEVENZIP_ARCHIVES = 32;

interface EmscriptenFs {
  open(path: string, flags: string): unknown;
  write(stream: unknown, data: Uint8Array, offset: number, length: number): number;
  read(stream: unknown, into: Uint8Array, offset: number, length: number, at: number): number;
  close(stream: unknown): void;
  stat(path: string): { size: number };
  readFile(path: string): Uint8Array;
}

/** Bytes of an unpacked member read to sniff it, as for zip members. */
const SNIFF_BYTES = 64 * 1024;

/** The first `max` bytes of a file in 7-Zip's memory file system. */
function readHead(fs: EmscriptenFs, path: string, max: number): Uint8Array {
  const head = new Uint8Array(max);
  const stream = fs.open(path, "r");
  try {
    return head.subarray(0, fs.read(stream, head, 0, max, 0));
  } finally {
    fs.close(stream);
  }
}

interface SevenZipInstance {
  readonly FS: EmscriptenFs;
  callMain(args: string[]): number | undefined;
}

/**
 * Run 7-Zip's main. Emscripten's exit path sets `process.exitCode` where a Node-like
 * `process` exists (Deno and Bun both have one) and this build offers no hook to stop
 * it, so 7-Zip's status would leak into qmvc's own exit code. The value the library
 * overwrote is put back: qmvc reads nothing from `process` here, it undoes a write.
 */
function runMain(instance: SevenZipInstance, args: string[]): number {
  const host = globalThis as { process?: { exitCode?: number | string | undefined } };
  const saved = host.process?.exitCode;
  try {
    return instance.callMain(args) ?? 0;
  } finally {
    if (host.process) host.process.exitCode = saved;
  }
}

type Factory = (options: Record<string, unknown>) => Promise<SevenZipInstance>;

let loaded: Promise<{ factory: Factory; module: WebAssembly.Module }> | undefined;

/**
 * 7-Zip compiled to WebAssembly (npm 7z-wasm), loaded on the first archive that needs
 * it and compiled once; the module bytes come from src/analyse/_sevenzip_wasm.ts, so
 * the single binary needs no file beside it.
 */
function loadSevenZip(): Promise<{ factory: Factory; module: WebAssembly.Module }> {
  loaded ??= (async () => {
    // node:buffer too on first need: loading it costs every delivery about 0.3 M instructions.
    const [{ default: factory }, { SEVENZIP_WASM_BASE64 }, { Buffer }] = await Promise.all([
      import("7z-wasm"),
      import("./_sevenzip_wasm.ts"),
      import("node:buffer"),
    ]);
    const module = await WebAssembly.compile(Buffer.from(SEVENZIP_WASM_BASE64, "base64"));
    return { factory: factory as unknown as Factory, module };
  })();
  return loaded;
}

/**
 * A fresh 7-Zip holding `bytes` as /a; `stdout` takes what it prints there byte by byte
 * (the listing, or -so data). Its console lines (the extraction's summary, what it says on
 * standard error) are read by nobody.
 */
async function sevenZipWith(
  budget: ExpansionBudget,
  bytes: Uint8Array,
  stdout?: (byte: number) => void,
): Promise<SevenZipInstance> {
  const { factory, module } = await loadSevenZip();
  // The previous instance's memory (tens of MiB) goes before this one takes its own.
  budget.collect?.();
  const instance = await factory({
    // Instantiated synchronously from the module compiled once: a failure throws here,
    // into walkWithSevenZip's catch, instead of leaving the factory waiting forever.
    instantiateWasm(
      imports: WebAssembly.Imports,
      done: (instance: WebAssembly.Instance) => void,
    ): WebAssembly.Exports {
      const instance = new WebAssembly.Instance(module, imports);
      done(instance);
      return instance.exports;
    },
    print: ignoreLine,
    printErr: ignoreLine,
    // A password prompt reads end of input: encrypted data is reported, never waited on.
    stdin: () => null,
    ...(stdout ? { stdout } : {}),
  });
  const file = instance.FS.open("/a", "w+");
  instance.FS.write(file, bytes, 0, bytes.length);
  instance.FS.close(file);
  return instance;
}

class OverBudget extends Error {}

interface Entry {
  readonly path: string;
  readonly size: number;
  readonly packed: number;
  readonly encrypted: boolean;
  readonly directory: boolean;
}

function ignoreLine(): void {}

/**
 * What a 7-Zip run prints on standard output, kept as bytes and read as text once at the
 * end. Emscripten's console would hand each line over as a string built one character at
 * a time, with a file call per line: the 90,000 lines that list 10,000 members were some
 * 100 MB of strings and garbage that way.
 */
function printedBytes(): { add(byte: number): void; text(): string } {
  let bytes = new Uint8Array(64 * 1024);
  let used = 0;
  return {
    add(byte: number): void {
      if (used === bytes.length) {
        const larger = new Uint8Array(bytes.length * 2);
        larger.set(bytes);
        bytes = larger;
      }
      bytes[used++] = byte;
    },
    text(): string {
      return new TextDecoder().decode(bytes.subarray(0, used));
    },
  };
}

/**
 * The entries of `7z l -slt`: blocks of "Key = value" lines after the "----------" line;
 * undefined when that line never came.
 */
function parseListing(text: string): Entry[] | undefined {
  const lines = text.split("\n");
  const start = lines.indexOf("----------");
  if (start < 0) return undefined;
  const entries: Entry[] = [];
  let block = new Map<string, string>();
  const flush = (): void => {
    const path = block.get("Path");
    if (path !== undefined) {
      entries.push({
        path,
        size: Number(block.get("Size") || NaN),
        packed: Number(block.get("Packed Size") || NaN),
        encrypted: block.get("Encrypted") === "+",
        directory: block.get("Folder") === "+" || (block.get("Attributes") ?? "").startsWith("D"),
      });
    }
    block = new Map();
  };
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === "") {
      flush();
      continue;
    }
    const eq = line.indexOf(" = ");
    if (eq > 0) block.set(line.slice(0, eq), line.slice(eq + 3));
  }
  flush();
  return entries;
}

/**
 * List and unpack an archive with 7-Zip, within the message's limits and its one
 * expansion budget: names, sizes and encryption from the listing; the bytes of every
 * member read and sniffed when the declared sizes fit the budget and no ratio says
 * bomb; archives inside opened through `options.nested`. Returns undefined when 7-Zip
 * cannot list the archive, so the caller falls back to reading headers itself.
 */
export async function walkWithSevenZip(
  kind: string,
  bytes: Uint8Array,
  options: ReaderOptions,
): Promise<ArchiveListing | undefined> {
  if (options.budget.archivesOpened >= MAX_SEVENZIP_ARCHIVES) {
    return {
      members: [],
      problems: [{
        code: "ARCHIVE_NOT_LISTED",
        evidence: `${
          label(kind, options)
        }: more than ${MAX_SEVENZIP_ARCHIVES} archives in one message`,
      }],
    };
  }
  options.budget.archivesOpened++;
  try {
    return STREAM_KINDS.has(kind)
      ? await unpackStream(kind, bytes, options)
      : await unpackContainer(kind, bytes, options);
  } catch {
    return undefined;
  }
}

function label(kind: string, options: ReaderOptions): string {
  return options.prefix ? `${options.prefix.slice(0, -1)} (${kind})` : kind;
}

async function unpackContainer(
  kind: string,
  bytes: Uint8Array,
  options: ReaderOptions,
): Promise<ArchiveListing | undefined> {
  const { limits, budget, depth, prefix } = options;
  const where = label(kind, options);
  const printed = printedBytes();
  const lister = await sevenZipWith(budget, bytes, printed.add);
  // "-pqmvc": a wrong password, so 7-Zip never asks for one.
  if (runMain(lister, ["l", "-slt", "-pqmvc", "--", "/a"]) !== 0) return undefined;
  const entries = parseListing(printed.text());
  if (!entries) return undefined;
  const files = entries.filter((e) => !e.directory);
  const problems: { code: ArchiveProblem; evidence: string }[] = [];
  if (files.length > limits.maxArchiveMembers) {
    problems.push({
      code: "ARCHIVE_TOO_MANY_MEMBERS",
      evidence: `${where}: ${files.length} members, ${limits.maxArchiveMembers} listed`,
    });
  }
  const shown = files.slice(0, limits.maxArchiveMembers);
  const declared = shown.reduce((n, e) => n + (Number.isFinite(e.size) ? e.size : 0), 0);
  const bomb = shown.find((e) => e.packed > 0 && e.size / e.packed > limits.maxCompressionRatio);
  let unpack = files.length <= limits.maxArchiveMembers;
  if (bomb) {
    problems.push({
      code: "ARCHIVE_BOMB",
      evidence: `${prefix}${bomb.path}: ${bomb.size} bytes from ${bomb.packed}`,
    });
    unpack = false;
  } else if (declared / Math.max(1, bytes.length) > limits.maxCompressionRatio) {
    problems.push({
      code: "ARCHIVE_BOMB",
      evidence: `${where}: members declare ${declared} bytes from ${bytes.length}`,
    });
    unpack = false;
  } else if (declared > budget.remaining || shown.some((e) => !Number.isFinite(e.size))) {
    problems.push({
      code: "ARCHIVE_NOT_LISTED",
      evidence: `${where}: ${declared} bytes exceed the expansion budget or are not declared`,
    });
    unpack = false;
  }
  // Each member's first bytes (to sniff) and, for archives inside, the whole member: only
  // those are copied out of 7-Zip's memory, which goes away with the instance.
  const sniffs = new Map<string, Sniff>();
  const inner: { path: string; kind: string; content: Uint8Array }[] = [];
  if (unpack && shown.some((e) => !e.encrypted)) {
    const extractor = await sevenZipWith(budget, bytes);
    runMain(extractor, ["x", "-o/out", "-y", "-pqmvc", "--", "/a"]);
    for (const entry of shown) {
      if (entry.encrypted) continue;
      const file = `/out/${entry.path}`;
      try {
        const size = extractor.FS.stat(file).size;
        budget.remaining -= size;
        const head = readHead(extractor.FS, file, Math.min(size, SNIFF_BYTES));
        const sniff = sniffBytes(head);
        sniffs.set(entry.path, sniff);
        let nestedKind = innerArchiveKind(sniff, head, head.length === size);
        let content: Uint8Array | undefined;
        if (!nestedKind && head.length < size && ZIP_NAMED.test(entry.path)) {
          // Named like a zip: a zip may stand behind its first bytes (charged already).
          content = extractor.FS.readFile(file);
          if (findZipEndRecord(content) > 0) nestedKind = "zip";
        }
        if (nestedKind) {
          inner.push({
            path: `${prefix}${entry.path}`,
            kind: nestedKind,
            content: content ?? extractor.FS.readFile(file),
          });
        }
      } catch { /* not unpacked: counted below */ }
    }
  }
  const members: ArchiveMember[] = [];
  for (const entry of shown) {
    const path = `${prefix}${entry.path}`;
    const sniff = sniffs.get(entry.path);
    members.push({
      path,
      name: normaliseFilename(entry.path).name,
      size: Number.isFinite(entry.size) ? entry.size : 0,
      compressedSize: Number.isFinite(entry.packed) ? entry.packed : 0,
      encrypted: entry.encrypted,
      depth,
      sniff,
    });
    if (entry.encrypted) problems.push({ code: "ARCHIVE_ENCRYPTED", evidence: path });
  }
  const unread = shown.filter((e) => !e.encrypted && e.size !== 0 && !sniffs.has(e.path));
  if (unpack && unread.length) {
    problems.push({
      code: "ARCHIVE_CONTENT_NOT_READ",
      evidence: `${where}: ${unread.length} member(s) could not be unpacked`,
    });
  }
  for (const archive of inner) {
    if (depth >= limits.maxArchiveDepth) {
      problems.push({
        code: "ARCHIVE_TOO_DEEP",
        evidence: `${archive.path}: more than ${limits.maxArchiveDepth} nested archives`,
      });
      continue;
    }
    const nested = await options.nested(archive.kind, archive.content, {
      depth: depth + 1,
      prefix: `${archive.path}/`,
    });
    members.push(...nested.members);
    problems.push(...nested.problems);
  }
  return { members, problems };
}

/** A zip member's bytes as 7-Zip unpacks them: its size, and a reader of its first bytes or all. */
export interface UnpackedMember {
  readonly size: number;
  read(max: number): Uint8Array;
}

/**
 * The members of a zip named in `names` as 7-Zip unpacks them (for the compression methods
 * zip.js does not read: bzip2, LZMA, PPMd, Deflate64), or undefined when 7-Zip cannot
 * unpack the zip or the message has opened its share of 7-Zip instances. A name missing
 * from the result was not unpacked, as is a name 7-Zip's own listing gives more than one
 * member. Names are read as 7-Zip's wildcards, one a line: the caller gives plain names,
 * without * or ?. The instance's memory goes with the last reader.
 */
export async function unpackZipMembers(
  bytes: Uint8Array,
  names: readonly string[],
  budget: ExpansionBudget,
): Promise<Map<string, UnpackedMember> | undefined> {
  if (budget.archivesOpened >= MAX_SEVENZIP_ARCHIVES) return undefined;
  budget.archivesOpened++;
  try {
    const printed = printedBytes();
    const sevenZip = await sevenZipWith(budget, bytes, printed.add);
    // 7-Zip names members its own way (it takes Unicode Path fields zip.js refuses): a
    // name it gives to more than one member would unpack one over another.
    if (runMain(sevenZip, ["l", "-slt", "-pqmvc", "-tzip", "--", "/a"]) !== 0) return undefined;
    const listed = parseListing(printed.text()) ?? [];
    const count = new Map<string, number>();
    for (const entry of listed) count.set(entry.path, (count.get(entry.path) ?? 0) + 1);
    const single = names.filter((name) => count.get(name) === 1);
    // Only these members (the others are zip.js's, and a bomb among them is not unpacked),
    // named in a list file: names are 7-Zip's data, never its arguments.
    const list = sevenZip.FS.open("/list", "w+");
    const text = new TextEncoder().encode(single.map((name) => `${name}\n`).join(""));
    sevenZip.FS.write(list, text, 0, text.length);
    sevenZip.FS.close(list);
    runMain(sevenZip, [
      "x",
      "-o/out",
      "-y",
      "-pqmvc",
      "-tzip",
      "-scsUTF-8",
      "-i@/list",
      "--",
      "/a",
    ]);
    const unpacked = new Map<string, UnpackedMember>();
    for (const name of single) {
      const file = `/out/${name}`;
      try {
        const size = sevenZip.FS.stat(file).size;
        unpacked.set(name, {
          size,
          read: (max) =>
            max >= size ? sevenZip.FS.readFile(file) : readHead(sevenZip.FS, file, max),
        });
      } catch { /* not unpacked */ }
    }
    return unpacked;
  } catch {
    return undefined;
  }
}

/** bzip2 and xz hold one stream: unpacked to a counted sink that stops at the budget. */
async function unpackStream(
  kind: string,
  bytes: Uint8Array,
  options: ReaderOptions,
): Promise<ArchiveListing | undefined> {
  const { limits, budget, prefix } = options;
  const where = label(kind, options);
  const limit = Math.min(budget.remaining, bytes.length * limits.maxCompressionRatio);
  const chunks: Uint8Array[] = [];
  let chunk = new Uint8Array(64 * 1024);
  let filled = 0;
  let total = 0;
  let over = false;
  const sink = (byte: number): void => {
    if (total >= limit) {
      over = true;
      throw new OverBudget();
    }
    chunk[filled++] = byte;
    total++;
    if (filled === chunk.length) {
      chunks.push(chunk);
      chunk = new Uint8Array(chunk.length);
      filled = 0;
    }
  };
  const sevenZip = await sevenZipWith(budget, bytes, sink);
  const status = runMain(sevenZip, ["x", "-so", "-pqmvc", "--", "/a"]);
  chunks.push(chunk.subarray(0, filled));
  const name = `(${kind === "bz2" ? "bzip2" : kind} content)`;
  const path = `${prefix}${name}`;
  /** The stream's one member: what came out of it, and its sniff once read. */
  const content = (sniff: Sniff | undefined): ArchiveMember => ({
    path,
    name,
    size: total,
    compressedSize: bytes.length,
    encrypted: false,
    depth: options.depth,
    sniff,
  });
  if (over) {
    const bomb = limit < budget.remaining;
    return {
      members: [content(undefined)],
      problems: [{
        code: bomb ? "ARCHIVE_BOMB" : "ARCHIVE_NOT_LISTED",
        evidence: bomb
          ? `${where}: more than ${total} bytes from ${bytes.length}`
          : `${where}: content exceeds the expansion budget`,
      }],
    };
  }
  if (status !== 0) return undefined;
  budget.remaining -= total;
  const inner = concatBytes(chunks);
  const sniff = sniffBytes(inner);
  // A tar in the stream (tar.bz2, tar.xz) is one archive with it, as tar.gz is.
  if (sniff.loader?.detail === "tar") return await options.nested("tar", inner, options);
  const member = content(sniff);
  const kindInside = innerArchiveKind(sniff, inner, true);
  if (!kindInside) return { members: [member], problems: [] };
  if (options.depth >= limits.maxArchiveDepth) {
    return {
      members: [member],
      problems: [{
        code: "ARCHIVE_TOO_DEEP",
        evidence: `${path}: more than ${limits.maxArchiveDepth} nested archives`,
      }],
    };
  }
  const nested = await options.nested(kindInside, inner, {
    depth: options.depth + 1,
    prefix: `${path}/`,
  });
  return { members: [member, ...nested.members], problems: [...nested.problems] };
}
