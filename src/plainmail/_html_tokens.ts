/**
 * A streaming HTML tokenizer for turning mail into text: one pass over the markup, each
 * step moving forward, so hostile HTML of any size or nesting costs time linear in its
 * length and no memory beyond the tokens handed on. It follows the WHATWG tokenizer where
 * that changes what a reader sees (comments, quoted attribute values holding ">", raw-text
 * elements such as script and style, `<!-->`) and keeps only the attributes the text
 * needs. Character references are left to the caller (they are decoded once, per token).
 */

/** A token: text (character references not yet decoded), a start tag or an end tag. */
export type HtmlToken =
  | { readonly kind: "text"; readonly text: string }
  | {
    readonly kind: "start";
    readonly name: string;
    readonly attributes: ReadonlyMap<string, string>;
    readonly selfClosing: boolean;
  }
  | { readonly kind: "end"; readonly name: string };

/** Elements whose content is text up to their end tag, never markup. */
const RAW_TEXT = new Set([
  "script",
  "style",
  "xmp",
  "iframe",
  "noembed",
  "noframes",
  "title",
  "textarea",
]);

/** Attributes the text needs; the rest are skipped without being kept. */
const KEPT_ATTRIBUTES = new Set(["href", "alt", "start", "value", "style"]);

/** Attribute values are kept up to this length (a link target, alt text); the rest is skipped. */
const MAX_ATTRIBUTE_VALUE = 8192;

function isAsciiAlpha(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0c || code === 0x0d;
}

/** Call `emit` for each token of the markup, in document order. */
export function tokenizeHtml(html: string, emit: (token: HtmlToken) => void): void {
  const n = html.length;
  let i = 0;
  while (i < n) {
    const lt = html.indexOf("<", i);
    if (lt < 0) {
      emit({ kind: "text", text: html.slice(i) });
      return;
    }
    if (lt > i) emit({ kind: "text", text: html.slice(i, lt) });
    const next = html.charCodeAt(lt + 1);
    if (next === 0x21 /* ! */) {
      if (html.startsWith("<!--", lt)) {
        // "-->" searched from the first "-", so "<!-->" and "<!--->" end at once.
        const end = html.indexOf("-->", lt + 2);
        i = end < 0 ? n : end + 3;
      } else {
        const end = html.indexOf(">", lt + 2);
        i = end < 0 ? n : end + 1;
      }
      continue;
    }
    if (next === 0x3f /* ? */) {
      const end = html.indexOf(">", lt + 2);
      i = end < 0 ? n : end + 1;
      continue;
    }
    const isEnd = next === 0x2f; /* / */
    const nameStart = isEnd ? lt + 2 : lt + 1;
    if (!isAsciiAlpha(html.charCodeAt(nameStart))) {
      if (isEnd) {
        // "</>" vanishes; "</ 3>" is a bogus comment up to ">".
        const end = html.indexOf(">", lt + 2);
        i = end < 0 ? n : end + 1;
      } else {
        emit({ kind: "text", text: "<" });
        i = lt + 1;
      }
      continue;
    }
    let j = nameStart;
    while (j < n) {
      const c = html.charCodeAt(j);
      if (isSpace(c) || c === 0x2f || c === 0x3e) break;
      j++;
    }
    const name = html.slice(nameStart, j).toLowerCase();
    const tag = readAttributes(html, j);
    i = tag.end;
    if (isEnd) {
      emit({ kind: "end", name });
      continue;
    }
    emit({ kind: "start", name, attributes: tag.attributes, selfClosing: tag.selfClosing });
    if (RAW_TEXT.has(name) && i < n) {
      const close = findEndTag(html, i, name);
      emit({ kind: "text", text: html.slice(i, close.start) });
      emit({ kind: "end", name });
      i = close.end;
    }
  }
}

/** Attributes from `from` up to the tag's ">" (or the end of the markup). */
function readAttributes(
  html: string,
  from: number,
): { attributes: Map<string, string>; selfClosing: boolean; end: number } {
  const n = html.length;
  // Most tags keep no attribute: they share one empty map instead of each making one.
  let attributes: Map<string, string> = NO_ATTRIBUTES;
  const keep = (name: string, value: string): void => {
    if (attributes === NO_ATTRIBUTES) attributes = new Map();
    if (!attributes.has(name)) attributes.set(name, value);
  };
  let selfClosing = false;
  let i = from;
  while (i < n) {
    const c = html.charCodeAt(i);
    if (c === 0x3e) return { attributes, selfClosing, end: i + 1 };
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (c === 0x2f) {
      selfClosing = html.charCodeAt(i + 1) === 0x3e;
      i++;
      continue;
    }
    const nameStart = i;
    // The first character belongs to the name even when it is "=" (WHATWG).
    i++;
    while (i < n) {
      const d = html.charCodeAt(i);
      if (isSpace(d) || d === 0x2f || d === 0x3e || d === 0x3d) break;
      i++;
    }
    const name = html.slice(nameStart, i).toLowerCase();
    let k = i;
    while (k < n && isSpace(html.charCodeAt(k))) k++;
    if (html.charCodeAt(k) !== 0x3d /* = */) {
      if (KEPT_ATTRIBUTES.has(name)) keep(name, "");
      i = k;
      continue;
    }
    k++;
    while (k < n && isSpace(html.charCodeAt(k))) k++;
    const quote = html.charCodeAt(k);
    let value: string;
    if (quote === 0x22 || quote === 0x27) {
      const close = html.indexOf(quote === 0x22 ? '"' : "'", k + 1);
      const valueEnd = close < 0 ? n : close;
      value = html.slice(k + 1, Math.min(valueEnd, k + 1 + MAX_ATTRIBUTE_VALUE));
      i = close < 0 ? n : close + 1;
    } else {
      let e = k;
      while (e < n) {
        const d = html.charCodeAt(e);
        if (isSpace(d) || d === 0x3e) break;
        e++;
      }
      value = html.slice(k, Math.min(e, k + MAX_ATTRIBUTE_VALUE));
      i = e;
    }
    // The first of two attributes with one name counts (WHATWG).
    if (KEPT_ATTRIBUTES.has(name)) keep(name, value);
  }
  return { attributes, selfClosing, end: n };
}

/** The attributes of a tag that keeps none; never written to. */
const NO_ATTRIBUTES: Map<string, string> = new Map();

/** Where the raw text of `name` ends: its end tag, or the end of the markup. */
function findEndTag(html: string, from: number, name: string): { start: number; end: number } {
  const n = html.length;
  let i = from;
  while (i < n) {
    const lt = html.indexOf("</", i);
    if (lt < 0) break;
    const after = lt + 2 + name.length;
    const terminator = html.charCodeAt(after);
    if (
      html.slice(lt + 2, after).toLowerCase() === name &&
      (after >= n || isSpace(terminator) || terminator === 0x2f || terminator === 0x3e)
    ) {
      const close = html.indexOf(">", after);
      return { start: lt, end: close < 0 ? n : close + 1 };
    }
    i = lt + 2;
  }
  return { start: n, end: n };
}
