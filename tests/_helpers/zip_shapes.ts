/**
 * Zip shapes built byte by byte, for tests of hostile archives: what a zip library would
 * refuse to write.
 */
import { crc32, deflateRawSync } from "node:zlib";

/** A zip whose `copies` central entries all name one member, stored once at offset 0. */
export function overlappingZip(
  name: string,
  data: Uint8Array,
  copies: number,
  options: { deflate: boolean; extra?: Uint8Array },
): Uint8Array {
  const le16 = (n: number) => [n & 0xff, (n >> 8) & 0xff];
  const le32 = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24];
  const nameBytes = new TextEncoder().encode(name);
  const extra = options.extra ?? new Uint8Array(0);
  const stored = options.deflate ? deflateRawSync(data) : data;
  // version, flags, method, time, date, CRC-32, sizes, name length
  const common = [
    ...le16(20),
    ...le16(0),
    ...le16(options.deflate ? 8 : 0),
    ...le16(0),
    ...le16(0x21),
    ...le32(crc32(data)),
    ...le32(stored.length),
    ...le32(data.length),
    ...le16(nameBytes.length),
  ];
  const local = [0x50, 0x4b, 3, 4, ...common, ...le16(extra.length), ...nameBytes, ...extra];
  const central = [0x50, 0x4b, 1, 2, ...le16(20), ...common, ...Array(16).fill(0), ...nameBytes];
  const directory = local.length + stored.length;
  const out = new Uint8Array(directory + central.length * copies + 22);
  out.set(local, 0);
  out.set(stored, local.length);
  for (let i = 0; i < copies; i++) out.set(central, directory + i * central.length);
  out.set(
    [0x50, 0x4b, 5, 6, 0, 0, 0, 0, ...le16(copies), ...le16(copies)]
      .concat(le32(central.length * copies), le32(directory), [0, 0]),
    directory + central.length * copies,
  );
  return out;
}

/**
 * A zip of `outer` entries that all point at one stored inner zip of `inner` entries, all
 * of one empty member: `outer` x `inner` members to list from a few kilobytes. Noise in
 * the inner zip's extra field keeps the outer entries under the compression ratio.
 */
export function nestedOverlappingZip(outer: number, inner: number): Uint8Array {
  let seed = 1;
  const noise = new Uint8Array(2600).map(() => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24);
  const innerZip = overlappingZip("a", new Uint8Array(0), inner, { deflate: false, extra: noise });
  return overlappingZip("in.zip", innerZip, outer, { deflate: true });
}

/** A mail with `zip` attached as r.zip (base64), after a short text part. */
export function mailWithZip(zip: Uint8Array): string {
  const base64 = btoa(Array.from(zip, (byte) => String.fromCharCode(byte)).join(""))
    .replace(/.{76}/g, "$&\n");
  return "From: a@example.net\nTo: b@example.org\nSubject: report\n" +
    "Message-ID: <zip@example.net>\nMIME-Version: 1.0\n" +
    'Content-Type: multipart/mixed; boundary="B"\n\n' +
    "--B\nContent-Type: text/plain\n\nsee attached\n" +
    '--B\nContent-Type: application/zip; name="r.zip"\n' +
    'Content-Disposition: attachment; filename="r.zip"\nContent-Transfer-Encoding: base64\n\n' +
    `${base64}\n--B--\n`;
}
