/**
 * A streaming HTML tokenizer for turning mail into text. The markup arrives in pieces
 * (`write`, then `end`) and every character is looked at a bounded number of times, so
 * hostile HTML of any size or nesting costs time linear in its length; what is carried from
 * one piece to the next is a few characters (a tag's start, a partial character reference,
 * the tail of a comment or raw text), never the construct itself, so memory stays bounded
 * whatever a comment, tag or script holds. It follows the WHATWG tokenizer where that changes
 * what a reader sees (comments, quoted attribute values holding ">", raw-text elements such
 * as script and style, `<!-->`) and keeps only the attributes the text needs. Character
 * references are left to the caller (decoded once per text token; a text token never ends
 * inside one).
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

/** Tag names are kept up to this length (no element's name is longer; the rest is skipped). */
const MAX_TAG_NAME = 1024;

/** Attribute names are kept up to this length: longer ones are none the text needs. */
const MAX_ATTRIBUTE_NAME = 16;

/**
 * The longest character reference ("&CounterClockwiseContourIntegral;" is 33): text ending
 * in a "&" this close to the end of a piece waits for the next piece.
 */
const MAX_REFERENCE = 40;

function isAsciiAlpha(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0c || code === 0x0d;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** Where the tokenizer stands between two pieces. */
type Mode =
  | "data"
  | "comment"
  | "bogus"
  | "tag"
  | "raw"
  | "rawEnd";

/** Where the attribute reader stands inside a tag. */
type TagState =
  | "name"
  | "beforeAttribute"
  | "attributeName"
  | "afterAttributeName"
  | "beforeValue"
  | "quotedValue"
  | "unquotedValue";

/** A tag being read, possibly across pieces. */
interface TagBuilder {
  isEnd: boolean;
  name: string;
  state: TagState;
  attributes: Map<string, string>;
  selfClosing: boolean;
  /** The previous character was a "/" outside any value (so "/>" closes the tag itself). */
  slash: boolean;
  attributeName: string;
  value: string;
  quote: string;
}

/** Call `emit` for each token of the whole markup, in document order. */
export function tokenizeHtml(html: string, emit: (token: HtmlToken) => void): void {
  const tokenizer = new HtmlTokenizer(emit);
  tokenizer.write(html);
  tokenizer.end();
}

/** Tokens of markup written in pieces: the same tokens however the markup is cut. */
export class HtmlTokenizer {
  private readonly emit: (token: HtmlToken) => void;
  private carried = "";
  private mode: Mode = "data";
  private readonly tag: TagBuilder = {
    isEnd: false,
    name: "",
    state: "name",
    attributes: NO_ATTRIBUTES,
    selfClosing: false,
    slash: false,
    attributeName: "",
    value: "",
    quote: "",
  };
  /** In raw text: the element's name, and whether any of its text was seen. */
  /** In a comment: where in the input a "--!>" may start (after its own "<!--"). */
  private bangFrom = 0;
  private rawName = "";
  private rawSeen = false;

  constructor(emit: (token: HtmlToken) => void) {
    this.emit = emit;
  }

  write(piece: string): void {
    if (piece === "") return;
    const input = this.carried === "" ? piece : this.carried + piece;
    this.carried = "";
    this.run(input, false);
  }

  end(): void {
    const input = this.carried;
    this.carried = "";
    this.run(input, true);
    if (this.mode === "tag") this.finishTag();
    else if (this.mode === "raw" && this.rawSeen) this.emit({ kind: "end", name: this.rawName });
    else if (this.mode === "rawEnd") this.emit({ kind: "end", name: this.rawName });
    this.mode = "data";
  }

  /** Tokens of `input`; what cannot be decided before more markup arrives is carried. */
  private run(input: string, final: boolean): void {
    const n = input.length;
    let i = 0;
    while (i < n) {
      switch (this.mode) {
        case "comment": {
          // A comment ends at "-->" or, as browsers read it, at "--!>" (not one that
          // reuses the dashes of its own "<!--": "<!--!>" goes on).
          const dashes = input.indexOf("-->", i);
          const bang = input.indexOf("--!>", Math.max(i, this.bangFrom));
          if (dashes < 0 && bang < 0) {
            // Only "--" or "--!" can begin the terminator across the cut.
            if (!final) {
              const from = Math.max(i, n - 3);
              this.carried = input.slice(from);
              this.bangFrom = Math.max(0, this.bangFrom - from);
            }
            return;
          }
          i = bang < 0 || (dashes >= 0 && dashes < bang) ? dashes + 3 : bang + 4;
          this.mode = "data";
          break;
        }
        case "bogus": {
          const end = input.indexOf(">", i);
          if (end < 0) return;
          i = end + 1;
          this.mode = "data";
          break;
        }
        case "tag":
          i = this.readTag(input, i);
          break;
        case "raw":
          i = this.readRawText(input, i, final);
          if (i < 0) return;
          break;
        case "rawEnd": {
          const end = input.indexOf(">", i);
          if (end < 0) return;
          i = end + 1;
          this.emit({ kind: "end", name: this.rawName });
          this.mode = "data";
          break;
        }
        case "data":
          i = this.readData(input, i, final);
          if (i < 0) return;
          break;
        default: {
          const never: never = this.mode;
          return never;
        }
      }
    }
  }

  /** Text up to the next markup, and the kind of that markup; -1 when the rest is carried. */
  private readData(input: string, from: number, final: boolean): number {
    const n = input.length;
    const lt = input.indexOf("<", from);
    if (lt < 0) {
      this.text(input, from, final ? n : textCut(input, from), final);
      return -1;
    }
    if (lt > from) this.emit({ kind: "text", text: input.slice(from, lt) });
    // "<!--" needs four characters to be told from "<!-" text of a bogus comment.
    if (!final && lt + 4 > n) {
      this.carried = input.slice(lt);
      return -1;
    }
    const next = input.charCodeAt(lt + 1);
    if (next === 0x21 /* ! */) {
      if (input.startsWith("<!--", lt)) {
        // "-->" searched from the first "-", so "<!-->" and "<!--->" end at once.
        this.mode = "comment";
        this.bangFrom = lt + 4;
        return lt + 2;
      }
      this.mode = "bogus";
      return lt + 2;
    }
    if (next === 0x3f /* ? */) {
      this.mode = "bogus";
      return lt + 2;
    }
    const isEnd = next === 0x2f; /* / */
    const nameStart = isEnd ? lt + 2 : lt + 1;
    if (!isAsciiAlpha(input.charCodeAt(nameStart))) {
      if (isEnd) {
        // "</>" vanishes; "</ 3>" is a bogus comment up to ">".
        this.mode = "bogus";
        return lt + 2;
      }
      this.emit({ kind: "text", text: "<" });
      return lt + 1;
    }
    // One builder, reset for each tag: a page has millions of tags.
    const tag = this.tag;
    tag.isEnd = isEnd;
    tag.name = "";
    tag.state = "name";
    tag.attributes = NO_ATTRIBUTES;
    tag.selfClosing = false;
    tag.slash = false;
    tag.attributeName = "";
    tag.value = "";
    this.mode = "tag";
    return nameStart;
  }

  /** Emit text `input[from, cut)` and carry the rest (a partial character reference). */
  private text(input: string, from: number, cut: number, final: boolean): void {
    if (final) {
      if (cut > from) this.emit({ kind: "text", text: input.slice(from, cut) });
      return;
    }
    // A numeric reference may run on for any number of digits ("&#000...0119;" is "w"):
    // it is carried, without the leading zeros that do not change its value.
    const numeric = numericReferenceAtEnd(input, from);
    if (numeric >= 0) cut = Math.min(cut, numeric);
    if (cut > from) this.emit({ kind: "text", text: input.slice(from, cut) });
    this.carried = numeric >= 0 ? shortNumericReference(input.slice(cut)) : input.slice(cut);
  }

  /** The tag's name and attributes up to its ">"; returns where reading stopped. */
  private readTag(input: string, from: number): number {
    const tag = this.tag;
    const n = input.length;
    let i = from;
    while (i < n) {
      const c = input.charCodeAt(i);
      switch (tag.state) {
        case "name": {
          let j = i;
          while (j < n) {
            const d = input.charCodeAt(j);
            if (isSpace(d) || d === 0x2f || d === 0x3e) break;
            j++;
          }
          if (tag.name.length < MAX_TAG_NAME) {
            tag.name += input.slice(i, Math.min(j, i + MAX_TAG_NAME - tag.name.length));
          }
          i = j;
          if (j < n) tag.state = "beforeAttribute";
          continue;
        }
        case "beforeAttribute":
          if (c === 0x3e) {
            if (tag.slash) tag.selfClosing = true;
            return this.finishTag(i + 1, input);
          }
          if (isSpace(c)) {
            tag.slash = false;
            i++;
            continue;
          }
          if (c === 0x2f) {
            tag.selfClosing = false;
            tag.slash = true;
            i++;
            continue;
          }
          tag.slash = false;
          // The first character belongs to the name even when it is "=" (WHATWG).
          tag.attributeName = input[i] as string;
          tag.state = "attributeName";
          i++;
          continue;
        case "attributeName": {
          let j = i;
          while (j < n) {
            const d = input.charCodeAt(j);
            if (isSpace(d) || d === 0x2f || d === 0x3e || d === 0x3d) break;
            j++;
          }
          if (tag.attributeName.length <= MAX_ATTRIBUTE_NAME) {
            tag.attributeName += input.slice(i, Math.min(j, i + MAX_ATTRIBUTE_NAME + 1));
          }
          i = j;
          if (j < n) tag.state = "afterAttributeName";
          continue;
        }
        case "afterAttributeName":
          if (isSpace(c)) {
            i++;
            continue;
          }
          if (c === 0x3d /* = */) {
            tag.state = "beforeValue";
            i++;
            continue;
          }
          this.keepAttribute("");
          continue;
        case "beforeValue":
          if (isSpace(c)) {
            i++;
            continue;
          }
          if (c === 0x22 || c === 0x27) {
            tag.quote = c === 0x22 ? '"' : "'";
            tag.state = "quotedValue";
            i++;
            continue;
          }
          tag.state = "unquotedValue";
          continue;
        case "quotedValue": {
          const close = input.indexOf(tag.quote, i);
          const end = close < 0 ? n : close;
          this.addToValue(input, i, end);
          if (close < 0) return n;
          this.keepAttribute(tag.value);
          i = close + 1;
          continue;
        }
        case "unquotedValue": {
          let e = i;
          while (e < n) {
            const d = input.charCodeAt(e);
            if (isSpace(d) || d === 0x3e) break;
            e++;
          }
          this.addToValue(input, i, e);
          i = e;
          if (e < n) this.keepAttribute(tag.value);
          continue;
        }
        default: {
          const never: never = tag.state;
          return never;
        }
      }
    }
    return n;
  }

  private addToValue(input: string, from: number, to: number): void {
    const tag = this.tag;
    const room = MAX_ATTRIBUTE_VALUE - tag.value.length;
    if (room > 0 && to > from) tag.value += input.slice(from, Math.min(to, from + room));
  }

  /** The attribute read so far is complete; back to looking for the next one. */
  private keepAttribute(value: string): void {
    const tag = this.tag;
    const name = tag.attributeName.toLowerCase();
    // The first of two attributes with one name counts (WHATWG).
    if (KEPT_ATTRIBUTES.has(name) && !tag.attributes.has(name)) {
      // Most tags keep no attribute: they share one empty map instead of each making one.
      if (tag.attributes === NO_ATTRIBUTES) tag.attributes = new Map();
      tag.attributes.set(name, value);
    }
    tag.attributeName = "";
    tag.value = "";
    tag.state = "beforeAttribute";
  }

  /** Emit the tag read; for a raw-text element, read its text next. */
  private finishTag(next = 0, input = ""): number {
    const tag = this.tag;
    // Markup that ends inside a tag still has that tag (with what its attributes held).
    if (tag.state === "attributeName" || tag.state === "afterAttributeName") {
      this.keepAttribute("");
    } else if (tag.state !== "name" && tag.state !== "beforeAttribute") {
      this.keepAttribute(tag.value);
    }
    this.mode = "data";
    const name = lowerCase(tag.name);
    if (tag.isEnd) {
      this.emit({ kind: "end", name });
      return next;
    }
    this.emit({ kind: "start", name, attributes: tag.attributes, selfClosing: tag.selfClosing });
    if (RAW_TEXT.has(name) && input !== "") {
      this.mode = "raw";
      this.rawName = name;
      this.rawSeen = false;
    }
    return next;
  }

  /** Raw text up to its end tag; -1 when the rest of `input` was used or carried. */
  private readRawText(input: string, from: number, final: boolean): number {
    const n = input.length;
    const name = this.rawName;
    if (from < n) this.rawSeen = true;
    let i = from;
    while (i < n) {
      const lt = input.indexOf("</", i);
      if (lt < 0) break;
      const after = lt + 2 + name.length;
      if (after >= n && !final) {
        // The end tag may be cut: carry from "</" (at most the name's length and three).
        if (lt > from) this.emit({ kind: "text", text: input.slice(from, lt) });
        this.carried = input.slice(lt);
        return -1;
      }
      const terminator = input.charCodeAt(after);
      if (
        input.slice(lt + 2, after).toLowerCase() === name &&
        (after >= n || isSpace(terminator) || terminator === 0x2f || terminator === 0x3e)
      ) {
        this.emit({ kind: "text", text: input.slice(from, lt) });
        this.mode = "rawEnd";
        return after;
      }
      i = lt + 2;
    }
    // No end tag yet: the text is given on, but for a "<" at the very end (an end tag may
    // start there) and what `textCut` keeps.
    let cut = final ? n : textCut(input, from);
    if (!final && cut === n && input.charCodeAt(n - 1) === 0x3c) cut = n - 1;
    this.text(input, from, cut, final);
    return -1;
  }
}

/**
 * Where a numeric character reference that the end of `input` may cut begins ("&#", "&#x"
 * and digits up to the end), at `from` or later; -1 when there is none. Found by walking
 * back over the digits from the end.
 */
function numericReferenceAtEnd(input: string, from: number): number {
  let i = input.length;
  while (i > 0 && isHexDigit(input.charCodeAt(i - 1))) i--;
  if (i > 0 && (input.charCodeAt(i - 1) === 0x78 || input.charCodeAt(i - 1) === 0x58)) i--;
  if (i < 2 || input.charCodeAt(i - 1) !== 0x23 || input.charCodeAt(i - 2) !== 0x26) return -1;
  const amp = i - 2;
  if (amp < from) return -1;
  // Hex digits that are not decimal end a decimal reference before the end.
  const hex = input.charCodeAt(amp + 2) === 0x78 || input.charCodeAt(amp + 2) === 0x58;
  if (!hex && /[^0-9]/.test(input.slice(amp + 2))) return -1;
  return amp;
}

function isHexDigit(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || ((code | 0x20) >= 0x61 && (code | 0x20) <= 0x66);
}

/**
 * A cut numeric reference ("&#", an "x", digits) with the same value and a bounded length:
 * leading zeros dropped (one kept), and digits past the eighth dropped, as eight
 * significant digits are already past U+10FFFF and the reference stays U+FFFD however
 * many more follow.
 */
function shortNumericReference(reference: string): string {
  const hex = reference.charCodeAt(2) === 0x78 || reference.charCodeAt(2) === 0x58;
  const prefix = reference.slice(0, hex ? 3 : 2);
  const digits = reference.slice(prefix.length);
  if (digits === "") return prefix;
  const significant = digits.replace(/^0+/, "");
  return prefix + (significant === "" ? "0" : significant.slice(0, 8));
}

/**
 * Where text at the end of a piece may be cut: before a "&" near the end (its character
 * reference may go on in the next piece), before a trailing "\r" (a "\n" may follow) or a
 * lone high surrogate.
 */
function textCut(input: string, from: number): number {
  const n = input.length;
  const amp = input.lastIndexOf("&");
  if (amp >= from && amp > n - MAX_REFERENCE) return amp;
  const last = input.charCodeAt(n - 1);
  if (n > from && (last === 0x0d || isHighSurrogate(last))) return n - 1;
  return n;
}

/** A tag name in lower case; most are already, and are kept as they are. */
function lowerCase(name: string): string {
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if ((code >= 0x41 && code <= 0x5a) || code > 0x7f) return name.toLowerCase();
  }
  return name;
}

/** The attributes of a tag that keeps none; never written to. */
const NO_ATTRIBUTES: Map<string, string> = new Map();
