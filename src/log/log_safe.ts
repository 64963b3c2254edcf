/**
 * Log fields are tab-separated and lists inside a field are comma-separated, so both
 * separators, every C0 and C1 control character (U+009B is a terminal's CSI) and the
 * escape character itself are written as %XX. The encoding is reversible: readers get back exactly what was seen.
 * An empty value is written as "-", and a literal "-" as "%2D".
 */
export function logSafe(value: string, options: { list?: boolean } = {}): string {
  if (value === "") return "-";
  if (value === "-") return "%2D";
  // deno-lint-ignore no-control-regex
  const unsafe = options.list ? /[\x00-\x1f\x7f-\x9f%,]/g : /[\x00-\x1f\x7f-\x9f%]/g;
  return value.replace(
    unsafe,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`,
  );
}

/** The inverse of logSafe. */
export function logUnsafe(field: string): string {
  if (field === "-") return "";
  return field.replace(
    /%([0-9A-F]{2})/g,
    (_, hex: string) => String.fromCharCode(parseInt(hex, 16)),
  );
}
