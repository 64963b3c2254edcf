/**
 * POSIX path joining and splitting, the same answers as node:path's posix functions
 * (tests/log/paths_test.ts holds them equal): a delivery needs only these three, and
 * importing node:path costs a compiled binary about 0.2 M instructions at every start.
 */

/** `path.posix.join`: the non-empty parts joined with "/", then normalised. */
export function joinPath(...parts: string[]): string {
  let joined = "";
  for (const part of parts) {
    if (part.length > 0) joined = joined.length > 0 ? `${joined}/${part}` : part;
  }
  return joined.length > 0 ? normalisePath(joined) : ".";
}

/** `path.posix.dirname`. */
export function parentDir(path: string): string {
  if (path.length === 0) return ".";
  const absolute = path.charCodeAt(0) === SLASH;
  let end = -1;
  let sawName = false;
  for (let i = path.length - 1; i >= 1; i--) {
    if (path.charCodeAt(i) === SLASH) {
      if (sawName) {
        end = i;
        break;
      }
    } else {
      sawName = true;
    }
  }
  if (end === -1) return absolute ? "/" : ".";
  if (absolute && end === 1) return "//";
  return path.slice(0, end);
}

/** `path.posix.basename` without the suffix argument. */
export function baseName(path: string): string {
  let end = path.length;
  while (end > 0 && path.charCodeAt(end - 1) === SLASH) end--;
  if (end === 0) return "";
  const start = path.lastIndexOf("/", end - 1) + 1;
  return path.slice(start, end);
}

const SLASH = 0x2f;

/** `path.posix.normalize` of a non-empty path. */
function normalisePath(path: string): string {
  const absolute = path.charCodeAt(0) === SLASH;
  const trailing = path.charCodeAt(path.length - 1) === SLASH;
  const kept: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") {
      if (kept.length > 0 && kept[kept.length - 1] !== "..") kept.pop();
      else if (!absolute) kept.push("..");
      continue;
    }
    kept.push(segment);
  }
  let result = kept.join("/");
  if (result.length === 0 && !absolute) result = ".";
  if (result.length > 0 && trailing) result += "/";
  return absolute ? `/${result}` : result;
}
