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
