import { isTarHeader, TAR_BLOCK, tarNumber } from "./_tar_header.ts";

/** A member that tar readers unpack as a file: its name, size and bytes (cut short where the archive is). */
export interface TarFile {
  readonly name: string;
  readonly size: number;
  readonly content: Uint8Array;
}

/**
 * A tar archive read as GNU tar, bsdtar and Python's tarfile read it: the files, and why
 * one of them may unpack what this reading did not see (`otherwise`), after which the
 * rest is not read.
 */
export interface TarReading {
  readonly files: TarFile[];
  readonly otherwise?: string;
}

/**
 * Types that carry no file: links, devices, directories, FIFOs, and GNU's volume label,
 * whose data libarchive does not skip (it reads the next header inside it).
 */
const NO_FILE_TYPES = "123456V";

/**
 * Read a tar archive, POSIX (pax), GNU or V7. pax records and GNU long names give the
 * next member its name and size; every type but the links, devices, directories and
 * FIFOs is a file, as GNU tar and bsdtar unpack unknown types and Python those it does
 * not support. What readers read otherwise stops the reading with `otherwise`: a header
 * whose checksum fails (GNU tar skips ahead to the next valid one), a size no reader
 * reads alike, a directory or link that carries data (Python reads its data as the next
 * header, GNU tar skips it), sparse members, and a header after the end-of-archive block.
 */
export function readTar(b: Uint8Array, maxFiles: number): TarReading {
  const files: TarFile[] = [];
  const global = new Map<string, string>();
  let next: Map<string, string> | undefined;
  let longName: string | undefined;
  for (let at = 0; at + TAR_BLOCK <= b.length;) {
    const header = at;
    if (isZeroBlock(b, header)) {
      const after = readAfterEnd(b, header + TAR_BLOCK);
      return after ? { files, otherwise: after } : { files };
    }
    if (!isTarHeader(b, header)) {
      return { files, otherwise: "a header whose checksum fails, which GNU tar skips to read on" };
    }
    const type = String.fromCharCode(b[header + 156]!);
    const extension = EXTENSION_TYPES.includes(type);
    const records = extension ? new Map<string, string>() : new Map([...global, ...(next ?? [])]);
    const paxSize = records.get("size");
    const size = paxSize === undefined ? tarNumber(b, header + 124, 12) : decimal(paxSize);
    if (size === undefined) return { files, otherwise: "a member size that cannot be read" };
    const start = header + TAR_BLOCK;
    if (start + size > b.length) return { files, otherwise: "a member cut short" };
    const data = b.subarray(start, start + size);
    at = start + Math.ceil(size / TAR_BLOCK) * TAR_BLOCK;
    if (type === "x" || type === "X" || type === "g") {
      const parsed = paxRecords(data);
      if (!parsed) return { files, otherwise: "a pax header that cannot be read" };
      // Readers apply a second header for one member, and a global size, each their own way.
      if (type !== "g" && next) return { files, otherwise: "two pax headers for one member" };
      if (type === "g" && (parsed.has("size") || parsed.has("path"))) {
        return { files, otherwise: "a global pax header that gives a size or a path" };
      }
      if (type === "g") { for (const [key, value] of parsed) global.set(key, value); }
      else next = parsed;
      continue;
    }
    if (type === "L") {
      if (longName !== undefined) return { files, otherwise: "two long names for one member" };
      longName = cString(data);
      continue;
    }
    if (type === "K") continue;
    // Readers take one or the other (Python and bsdtar the long name, GNU tar the pax path).
    if (longName !== undefined && records.has("path")) {
      return { files, otherwise: "a long name and a pax path for one member" };
    }
    const name = records.get("path") ?? longName ?? headerName(b, header);
    next = undefined;
    longName = undefined;
    if (type === "S" || [...records.keys()].some((key) => key.startsWith("GNU.sparse."))) {
      return { files, otherwise: `${name}: a sparse member` };
    }
    // A regular file named like a directory is one to tar readers: they skip no data.
    const directory = NO_FILE_TYPES.includes(type) ||
      ((type === "0" || type === "\0") && name.endsWith("/"));
    if (directory) {
      if (size > 0) return { files, otherwise: `${name}: a link or directory that carries data` };
      continue;
    }
    if (files.length < maxFiles) files.push({ name, size, content: data });
  }
  return { files };
}

/** Headers that describe the next member: pax (and Solaris's X), global pax, GNU long names. */
const EXTENSION_TYPES = "xXgLK";

/**
 * What follows the end-of-archive block that another reader unpacks: a tar header (tar -i,
 * readers of concatenated archives), or a zip's record (a zip appended to the tar, which
 * zip readers open). Padding is zeros.
 */
function readAfterEnd(b: Uint8Array, from: number): string | undefined {
  if (headerAfter(b, from)) return "a member after the end-of-archive block";
  for (let at = b.indexOf(0x50, from); at >= 0 && at + 3 < b.length; at = b.indexOf(0x50, at + 1)) {
    if (b[at + 1] === 0x4b && (b[at + 2] === 3 || b[at + 2] === 5)) {
      return "a zip after the end-of-archive block";
    }
  }
  return undefined;
}

function isZeroBlock(b: Uint8Array, at: number): boolean {
  for (let i = at; i < at + TAR_BLOCK; i++) if (b[i] !== 0) return false;
  return true;
}

/** True when a block after `from` is a valid header: `tar -i`, or a reader of concatenated archives, unpacks it. */
function headerAfter(b: Uint8Array, from: number): boolean {
  for (let at = from; at + TAR_BLOCK <= b.length; at += TAR_BLOCK) {
    if (isTarHeader(b, at)) return true;
  }
  return false;
}

/**
 * The header's name: POSIX ustar's prefix, a slash, and name; GNU's format (magic
 * "ustar ") keeps other fields where the prefix would be.
 */
function headerName(b: Uint8Array, at: number): string {
  const name = cString(b.subarray(at, at + 100));
  const posix = b[at + 257] === 0x75 && b[at + 258] === 0x73 && b[at + 259] === 0x74 &&
    b[at + 260] === 0x61 && b[at + 261] === 0x72 && b[at + 262] === 0;
  const prefix = posix ? cString(b.subarray(at + 345, at + 500)) : "";
  return prefix ? `${prefix}/${name}` : name;
}

function cString(bytes: Uint8Array): string {
  const nul = bytes.indexOf(0);
  return new TextDecoder().decode(nul >= 0 ? bytes.subarray(0, nul) : bytes);
}

function decimal(text: string): number | undefined {
  return /^[0-9]{1,15}$/.test(text) ? Number(text) : undefined;
}

/** A pax header's "LENGTH KEY=VALUE\n" records, or undefined when one does not read so. */
function paxRecords(data: Uint8Array): Map<string, string> | undefined {
  const records = new Map<string, string>();
  for (let at = 0; at < data.length;) {
    if (data[at] === 0 && data.subarray(at).every((x) => x === 0)) break;
    const space = data.indexOf(0x20, at);
    if (space < 0) return undefined;
    const length = decimal(new TextDecoder().decode(data.subarray(at, space)));
    if (!length || at + length > data.length || data[at + length - 1] !== 0x0a) return undefined;
    const record = new TextDecoder().decode(data.subarray(space + 1, at + length - 1));
    const eq = record.indexOf("=");
    if (eq <= 0) return undefined;
    records.set(record.slice(0, eq), record.slice(eq + 1));
    at += length;
  }
  return records;
}
