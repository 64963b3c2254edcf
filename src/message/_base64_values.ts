/**
 * Base64 alphabet values by byte, -1 for every other byte: built on first use, not at
 * module load for every delivery (in the interpreter a typed-array write costs about a
 * thousand instructions). Shared by the MIME body decoder and uuencode's begin-base64.
 */
let table: Int8Array | undefined;

export function base64Values(): Int8Array {
  if (table) return table;
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  table = new Int8Array(256).fill(-1);
  for (let i = 0; i < alphabet.length; i++) table[alphabet.charCodeAt(i)] = i;
  return table;
}
