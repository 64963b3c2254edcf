import { u32le } from "./_bytes.ts";

/** A file embedded with the OLE "Package" object (Packager): its name and bytes. */
export interface PackagedFile {
  readonly name: string;
  readonly data: Uint8Array;
}

/**
 * Read the native data of a Package object, as found in a compound file's
 * `\x01Ole10Native` stream (after its 4-byte size) and in an OLE 1.0 object's native data
 * (RTF `\objdata`): 2-byte type, label and source path as NUL-ended strings, two 16-bit
 * words, then the temporary path and the file itself, each behind a 32-bit length.
 * Every length is checked against the bytes at hand; anything else is undefined.
 */
export function readPackagedFile(b: Uint8Array): PackagedFile | undefined {
  let at = 2;
  const cString = (): string | undefined => {
    const end = b.indexOf(0, at);
    if (end < 0) return undefined;
    const text = new TextDecoder("windows-1252").decode(b.subarray(at, end));
    at = end + 1;
    return text;
  };
  const label = cString();
  const source = cString();
  if (label === undefined || source === undefined) return undefined;
  at += 4;
  const tempLength = u32le(b, at);
  if (tempLength === undefined || at + 4 + tempLength > b.length) return undefined;
  const temp = new TextDecoder("windows-1252").decode(b.subarray(at + 4, at + 4 + tempLength - 1));
  at += 4 + tempLength;
  const size = u32le(b, at);
  if (size === undefined || at + 4 + size > b.length) return undefined;
  const name = (label || temp || source).split(/[\\/]/).pop() ?? "";
  return { name, data: b.subarray(at + 4, at + 4 + size) };
}

/**
 * The native data of an OLE 1.0 embedded object (RTF `\objdata`, [MS-OLEDS] 2.2.4):
 * version, format id 2 (embedded), class name, topic and item names as length-prefixed
 * strings, then the native data behind its length. Returns the class and the data.
 */
export function readOle1Object(
  b: Uint8Array,
): { readonly className: string; readonly data: Uint8Array } | undefined {
  if (u32le(b, 4) !== 2) return undefined;
  let at = 8;
  const lengthPrefixed = (): string | undefined => {
    const length = u32le(b, at);
    if (length === undefined || at + 4 + length > b.length) return undefined;
    const raw = b.subarray(at + 4, at + 4 + length);
    at += 4 + length;
    const nul = raw.indexOf(0);
    return new TextDecoder("windows-1252").decode(nul >= 0 ? raw.subarray(0, nul) : raw);
  };
  const className = lengthPrefixed();
  if (className === undefined || lengthPrefixed() === undefined) return undefined;
  if (lengthPrefixed() === undefined) return undefined;
  const size = u32le(b, at);
  if (size === undefined || at + 4 + size > b.length) return undefined;
  return { className, data: b.subarray(at + 4, at + 4 + size) };
}
