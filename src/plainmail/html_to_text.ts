import { decodeHTML, decodeHTMLAttribute } from "entities/decode";
import type { ReadingTurns } from "../message/mod.ts";
import { type HtmlToken, HtmlTokenizer } from "./_html_tokens.ts";

/**
 * Open elements kept at most. Deeper elements still break lines and show their text, but
 * are not tracked: closing a tag searches at most this far, so hostile nesting stays
 * linear in time and bounded in memory.
 */
const MAX_OPEN_ELEMENTS = 256;

/** Elements that never have content. */
const VOID = new Set([
  "area",
  "base",
  "br",
  "col",
  "embed",
  "hr",
  "img",
  "input",
  "link",
  "meta",
  "param",
  "source",
  "track",
  "wbr",
]);

/** Content no reader sees: script and style (raw text), the title, templates, SVG drawings. */
const HIDDEN = new Set(["script", "style", "title", "template", "svg", "iframe", "noembed"]);

/** Blocks set apart by a blank line. */
const PARAGRAPH = new Set([
  "p",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "blockquote",
  "pre",
  "dl",
  "hr",
  "address",
  "figure",
  "xmp",
]);

/** Blocks on lines of their own. */
const BLOCK = new Set([
  "div",
  "section",
  "article",
  "header",
  "footer",
  "main",
  "aside",
  "nav",
  "center",
  "form",
  "fieldset",
  "legend",
  "details",
  "summary",
  "figcaption",
  "dt",
  "dd",
  "table",
  "caption",
  "tr",
  "li",
  "ul",
  "ol",
  "menu",
  "dir",
  "option",
  "textarea",
  "body",
  "html",
]);

/** Start tags that end foreign content (SVG) in HTML parsing, so hidden text cannot run on. */
const BREAKS_OUT_OF_SVG = new Set([
  "b",
  "big",
  "blockquote",
  "body",
  "br",
  "center",
  "code",
  "dd",
  "div",
  "dl",
  "dt",
  "em",
  "embed",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "head",
  "hr",
  "i",
  "img",
  "li",
  "listing",
  "menu",
  "meta",
  "nobr",
  "ol",
  "p",
  "pre",
  "ruby",
  "s",
  "small",
  "span",
  "strong",
  "strike",
  "sub",
  "sup",
  "table",
  "tt",
  "u",
  "ul",
  "var",
]);

/**
 * Widest indentation of nested list items; deeper items line up there. Without it, 256
 * nested items would prefix every later line with hundreds of spaces (output many times
 * the input).
 */
const MAX_INDENT = 24;

/** Item numbers shown up to here; beyond, a "-" (a hostile start= must not widen every line). */
const MAX_ITEM_NUMBER = 99_999;

/** Link text kept to compare with the target; longer text is shown, not compared. */
const MAX_LINK_TEXT = 2048;

const COLLAPSIBLE = /[\t\n\f\r \u00a0]+/g;

/** Text handed on once this many characters are gathered (see TextSink). */
const OUTPUT_PIECE = 64 * 1024;

interface Open {
  readonly name: string;
  /** Its inline style hides it (display:none, font-size:0, ...): its text is not read. */
  readonly invisible?: boolean;
  /** For `a`: the target to show after the text. */
  readonly href?: string;
  linkText?: string;
  /** For `ul`/`ol`: the next item's number (ordered) and the marker style. */
  readonly ordered?: boolean;
  next?: number;
}

/**
 * What the caller may lend the conversion: `collect` is called every COLLECT_EVERY_TOKENS
 * tokens or COLLECT_EVERY_CHARACTERS of markup (the tokens are short-lived and many);
 * `pause` is awaited between pieces of a part, by the readers that feed the converter.
 */
export type HtmlToTextOptions = ReadingTurns;

/** About 400 KB of typical markup between two collections (their garbage is what the peak holds). */
const COLLECT_EVERY_TOKENS = 20_000;

/** Markup between two collections however few tokens it holds (see COLLECT_EVERY_TOKENS). */
const COLLECT_EVERY_CHARACTERS = 4 * 1024 * 1024;

/**
 * HTML as a reader sees it, in one streaming pass (no DOM): headings and paragraphs as
 * blocks set apart by one blank line, `<br>` as a line break, list items with "-" or
 * their number, table rows on lines of their own with cells joined by " | " (a cell that
 * holds blocks or a nested table continues on the next lines, in reading order), links
 * as `text <url>` (the real target, also when the text looks like another address),
 * images by their alt text; script, style, title and SVG vanish, and so does what an
 * inline style hides (display:none, font-size:0, ...: zero-font word splitting). Never
 * more than one blank line in a row. Time linear in the markup's length, whatever its
 * nesting.
 */
export function htmlToText(markup: string, options: HtmlToTextOptions = {}): string {
  const pieces: string[] = [];
  const converter = htmlTextConverter((text) => pieces.push(text), options);
  converter.write(markup);
  converter.end();
  return pieces.join("");
}

/** Converts markup written in pieces; `end()` writes the rest. */
export interface HtmlTextConverter {
  write(markup: string): void;
  end(): void;
}

/**
 * `htmlToText` for markup that arrives in pieces (a big part decoded a piece at a time):
 * the text goes to `write` as it is made, in pieces, and is the same however the markup
 * was cut. Nothing of the size of the markup or of the text is held.
 */
export function htmlTextConverter(
  write: (text: string) => void,
  options: HtmlToTextOptions = {},
): HtmlTextConverter {
  const out = new TextSink(write);
  const open: Open[] = [];
  let hidden = 0;
  let pre = 0;
  /** Open links, innermost last: their text is compared with their target. */
  const links: Open[] = [];

  /** Open lists (ul, ol, menu, dir), innermost last. */
  const lists: Open[] = [];
  /** How many elements of each name are open: a search for a name not open costs nothing. */
  const counts = new Map<string, number>();
  const isOpen = (names: readonly string[]): boolean => {
    for (let i = 0; i < names.length; i++) {
      if ((counts.get(names[i] as string) ?? 0) > 0) return true;
    }
    return false;
  };

  /** Push an element on the open stack, keeping every tally that depends on it. */
  const push = (element: Open): void => {
    const name = element.name;
    if (HIDDEN.has(name) || element.invisible) hidden++;
    if (name === "pre" || name === "xmp" || name === "textarea") pre++;
    if (name === "a") links.push(element);
    if (LIST.has(name)) lists.push(element);
    counts.set(name, (counts.get(name) ?? 0) + 1);
    open.push(element);
  };

  const close = (element: Open): void => {
    const name = element.name;
    if (HIDDEN.has(name) || element.invisible) hidden--;
    if (name === "pre" || name === "xmp" || name === "textarea") pre--;
    if (name === "a") links.pop();
    if (LIST.has(name)) lists.pop();
    counts.set(name, (counts.get(name) ?? 1) - 1);
    if (hidden > 0 || element.invisible) return;
    if (name === "a" && element.href !== undefined) {
      const text = (element.linkText ?? "").trim();
      const href = element.href;
      if (href && href !== text && `mailto:${text}` !== href) out.word(`<${href}>`);
      return;
    }
    if (name === "li") out.popIndent();
    if (name === "td" || name === "th") out.cellEnd();
    if (PARAGRAPH.has(name)) out.blockBreak(2);
    else if ((name === "ul" || name === "ol") && lists.length === 0) out.blockBreak(2);
    else if (BLOCK.has(name)) out.blockBreak(1);
  };

  /** Close the open elements down to index `k` (included). */
  const popTo = (k: number): void => {
    while (open.length > k) close(open.pop() as Open);
  };
  /** Index of the innermost open element named in `names`, not crossing `scope`. */
  const findOpen = (names: readonly string[], scope: ReadonlySet<string>): number => {
    if (!isOpen(names)) return -1;
    for (let k = open.length - 1; k >= 0; k--) {
      const name = (open[k] as Open).name;
      if (names.includes(name)) return k;
      if (scope.has(name)) return -1;
    }
    return -1;
  };

  const start = (name: string, attributes: ReadonlyMap<string, string>, selfClosing: boolean) => {
    if (hidden > 0) {
      // Inside SVG, an HTML block ends the drawing (the parser leaves foreign content).
      const svg = BREAKS_OUT_OF_SVG.has(name) ? findOpen(SVG, NONE) : -1;
      if (svg >= 0) popTo(svg);
      if (hidden > 0) {
        if (!VOID.has(name) && !selfClosing && open.length < MAX_OPEN_ELEMENTS) push({ name });
        return;
      }
    }
    // Implied end tags: a new item, cell or row ends the open one.
    if (name === "li") {
      const k = findOpen(LI, LIST_SCOPE);
      if (k >= 0) popTo(k);
    } else if (name === "dt" || name === "dd") {
      const k = findOpen(DT_DD, DL_SCOPE);
      if (k >= 0) popTo(k);
    } else if (name === "td" || name === "th") {
      const k = findOpen(CELL, TABLE_SCOPE);
      if (k >= 0) popTo(k);
    } else if (name === "tr") {
      const k = findOpen(ROW, TABLE_SCOPE);
      if (k >= 0) popTo(k);
    } else if (CLOSES_P.has(name)) {
      const k = findOpen(P, BUTTON_SCOPE);
      if (k >= 0) popTo(k);
    }

    const invisible = hidesContent(attribute(attributes, "style"));
    if (invisible) {
      // Hidden by its style: no line breaks, no alt text, and its content is not read.
      if (!VOID.has(name) && !selfClosing && open.length < MAX_OPEN_ELEMENTS) {
        push({ name, invisible });
      }
      return;
    }
    switch (name) {
      case "br":
        out.lineBreak();
        return;
      case "img": {
        const alt = attribute(attributes, "alt").replace(COLLAPSIBLE, " ").trim();
        if (alt) out.text(`[${alt}]`, { verbatim: true });
        return;
      }
      case "hr":
        out.blockBreak(2);
        return;
      case "li": {
        out.blockBreak(1);
        const list = lists.at(-1);
        let marker = "- ";
        if (list?.ordered) {
          const value = Number.parseInt(attribute(attributes, "value"), 10);
          const n = Number.isSafeInteger(value) ? value : list.next ?? 1;
          list.next = n + 1;
          if (Math.abs(n) <= MAX_ITEM_NUMBER) marker = `${n}. `;
        }
        // An item past the open-element limit is never closed: it gets a line, no indent.
        if (open.length < MAX_OPEN_ELEMENTS) out.pushIndent(marker);
        else out.text(marker, { verbatim: true });
        break;
      }
      case "td":
      case "th":
        out.cellStart();
        break;
      default:
        if (PARAGRAPH.has(name)) out.blockBreak(2);
        else if ((name === "ul" || name === "ol") && lists.length === 0) out.blockBreak(2);
        else if (BLOCK.has(name)) out.blockBreak(1);
    }
    if (VOID.has(name)) return;
    // A self-closing SVG is empty; elsewhere "/>" on a non-void element means nothing.
    if (selfClosing && name === "svg") return;
    if (open.length >= MAX_OPEN_ELEMENTS) return;
    if (name === "a") {
      push({ name, href: linkTarget(attributes), linkText: "" });
    } else if (name === "ol" || name === "ul") {
      const first = Number.parseInt(attribute(attributes, "start"), 10);
      push({ name, ordered: name === "ol", next: Number.isSafeInteger(first) ? first : 1 });
    } else {
      push({ name });
    }
  };

  const end = (name: string): void => {
    if (name === "br") {
      // "</br>" is a line break (WHATWG).
      if (hidden === 0) out.lineBreak();
      return;
    }
    if ((counts.get(name) ?? 0) > 0) {
      for (let k = open.length - 1; k >= 0; k--) {
        if ((open[k] as Open).name === name) {
          popTo(k);
          return;
        }
      }
    }
    // "</p>" with no open paragraph still ends one (WHATWG inserts an empty <p>).
    if (name === "p" && hidden === 0) out.blockBreak(2);
  };

  const text = (raw: string): void => {
    if (hidden > 0 || raw === "") return;
    const decoded = raw.includes("&") ? decodeHTML(raw) : raw;
    if (pre > 0) out.preformatted(decoded);
    else out.text(decoded);
    const link = links.at(-1);
    if (link?.linkText !== undefined && link.linkText.length < MAX_LINK_TEXT) {
      link.linkText += decoded.replace(COLLAPSIBLE, " ");
    }
  };

  let tokens = 0;
  let written = 0;
  const tokenizer = new HtmlTokenizer((token: HtmlToken) => {
    if (options.collect && ++tokens % COLLECT_EVERY_TOKENS === 0) options.collect();
    switch (token.kind) {
      case "text":
        text(token.text);
        break;
      case "start":
        start(token.name, token.attributes, token.selfClosing);
        break;
      case "end":
        end(token.name);
        break;
      default: {
        const never: never = token;
        return never;
      }
    }
  });
  return {
    write: (markup) => {
      tokenizer.write(markup);
      // Few tokens can be many megabytes (text without tags, "&amp;" after "&amp;"):
      // the collector also gets a turn every COLLECT_EVERY_CHARACTERS of markup.
      written += markup.length;
      if (options.collect && written >= COLLECT_EVERY_CHARACTERS) {
        written = 0;
        options.collect();
      }
    },
    end: () => {
      tokenizer.end();
      popTo(0);
      out.finish();
    },
  };
}

const NONE: ReadonlySet<string> = new Set();
const LIST: ReadonlySet<string> = new Set(["ul", "ol", "menu", "dir"]);
const SVG: readonly string[] = ["svg"];
const LI: readonly string[] = ["li"];
const LIST_SCOPE: ReadonlySet<string> = new Set(["ul", "ol", "menu", "dir", "table", "td", "th"]);
const DT_DD: readonly string[] = ["dt", "dd"];
const DL_SCOPE: ReadonlySet<string> = new Set(["dl", "table", "td", "th"]);
const CELL: readonly string[] = ["td", "th"];
const ROW: readonly string[] = ["tr"];
const TABLE_SCOPE: ReadonlySet<string> = new Set(["table"]);
const P: readonly string[] = ["p"];
/** WHATWG's "button scope": a paragraph outside it is not closed from inside. */
const BUTTON_SCOPE: ReadonlySet<string> = new Set([
  "html",
  "table",
  "td",
  "th",
  "caption",
  "marquee",
  "object",
  "template",
  "button",
]);
/** Start tags that close an open paragraph first (WHATWG "in body"). */
const CLOSES_P: ReadonlySet<string> = new Set([
  "address",
  "article",
  "aside",
  "blockquote",
  "center",
  "details",
  "dialog",
  "dir",
  "div",
  "dl",
  "fieldset",
  "figcaption",
  "figure",
  "footer",
  "form",
  "header",
  "hgroup",
  "hr",
  "listing",
  "main",
  "menu",
  "nav",
  "ol",
  "p",
  "pre",
  "section",
  "summary",
  "table",
  "ul",
  "xmp",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "dd",
  "dt",
  "li",
]);

/**
 * An inline style that makes an element's text invisible: `display:none`,
 * `visibility:hidden`, `font-size:0` or `opacity:0`. Phishing writes "wi<span
 * style="font-size:0">x</span>re" so that filters read "wixre" where people read "wire".
 */
function hidesContent(style: string): boolean {
  if (style === "") return false;
  for (const declaration of style.toLowerCase().split(";")) {
    const colon = declaration.indexOf(":");
    if (colon < 0) continue;
    const property = declaration.slice(0, colon).trim();
    const value = declaration.slice(colon + 1).replace("!important", "").trim();
    if (property === "display" && value === "none") return true;
    if (property === "visibility" && value === "hidden") return true;
    if ((property === "font-size" || property === "opacity") && ZERO.test(value)) return true;
  }
  return false;
}

/** "0", "0px", "0.0em", "0%": a length or number that is zero. */
const ZERO = /^[+-]?0*\.?0+[a-z%]*$/;

/** A link's target as shown; "" (not shown) for script and data targets. */
function linkTarget(attributes: ReadonlyMap<string, string>): string {
  const href = attribute(attributes, "href").replace(/[\t\n\r]/g, "").trim();
  return /^(javascript|data|vbscript):/i.test(href) ? "" : href;
}

function attribute(attributes: ReadonlyMap<string, string>, name: string): string {
  const value = attributes.get(name);
  return value === undefined ? "" : decodeHTMLAttribute(value);
}

/**
 * Where the text goes: lines built left to right, line breaks and blank lines requested
 * by blocks and applied only when more text follows (so empty blocks leave no trace and
 * blank lines never pile up), cell separators likewise. Finished text is handed on in
 * pieces of a few thousand strings joined; line breaks are held until text follows them,
 * so the text ends in exactly one.
 */
class TextSink {
  private readonly output: (text: string) => void;
  private pieces: string[] = [];
  /** Characters in `pieces`. */
  private piecesLength = 0;
  private heldNewlines = 0;
  /** Spaces at the end of a `<pre>` line so far: written only if the line goes on. */
  private preSpaces = "";
  private lineHasText = false;
  private anyText = false;
  private lastLineBlank = true;
  private pendingBreak = 0;
  private pendingSpace = false;
  private pendingSeparator = false;
  private readonly indents: { readonly continuation: string; marker: string | undefined }[] = [];

  constructor(output: (text: string) => void) {
    this.output = output;
  }

  /** Request a line break (1) or a blank line (2) before the next text. */
  blockBreak(lines: 1 | 2): void {
    if (this.anyText && lines > this.pendingBreak) this.pendingBreak = lines;
    this.pendingSpace = false;
    this.preSpaces = "";
  }

  /** `<br>`: end the line; on an empty line, a blank line (never two in a row). */
  lineBreak(): void {
    this.preSpaces = "";
    this.flushBreak();
    if (this.lineHasText) this.endLine();
    else if (this.anyText) this.blankLine();
    this.pendingSpace = false;
    this.pendingSeparator = false;
  }

  cellStart(): void {
    if (this.lineHasText && this.pendingBreak === 0) this.pendingSeparator = true;
  }

  cellEnd(): void {
    this.pendingSpace = false;
  }

  /** A list item: its marker, then its lines indented under its text (nested items too). */
  pushIndent(marker: string): void {
    const outer = (this.indents.at(-1)?.continuation ?? "").slice(0, MAX_INDENT);
    this.indents.push({ continuation: outer + " ".repeat(marker.length), marker: outer + marker });
  }

  popIndent(): void {
    this.indents.pop();
  }

  /** Inline text: whitespace runs become one space; `verbatim` text is written as given. */
  text(text: string, options: { verbatim?: boolean } = {}): void {
    const collapsed = options.verbatim ? text : text.replace(COLLAPSIBLE, " ");
    if (collapsed === "") return;
    let content = collapsed;
    if (!options.verbatim) {
      if (content.startsWith(" ")) {
        this.pendingSpace = true;
        content = content.slice(1);
      }
      const endsWithSpace = content.endsWith(" ");
      if (endsWithSpace) content = content.slice(0, -1);
      if (content !== "") this.write(content);
      if (endsWithSpace) this.pendingSpace = true;
      return;
    }
    this.write(content);
  }

  /** A word set apart from the text before it by a space (a link's target). */
  word(word: string): void {
    if (this.lineHasText) this.pendingSpace = true;
    this.write(word);
  }

  /**
   * Text inside `<pre>`: its own line breaks and spaces are kept, but for spaces that end
   * a line (held until the line goes on, which may be in the next piece of markup).
   */
  preformatted(text: string): void {
    const lines = text.replace(/\r\n?/g, "\n").split("\n");
    lines.forEach((line, index) => {
      if (index > 0) {
        this.preSpaces = "";
        if (this.lineHasText) this.endLine();
        else if (this.anyText) this.blankLine();
      }
      const kept = line.slice(0, endOfText(line));
      if (kept !== "") {
        this.write(this.preSpaces + kept);
        this.preSpaces = line.slice(kept.length);
      } else {
        this.preSpaces += line;
      }
    });
  }

  /** The end: the last line ended, held line breaks dropped, the rest handed on. */
  finish(): void {
    if (this.lineHasText) this.endLine();
    this.heldNewlines = 0;
    this.pieces.push("\n");
    this.output(this.pieces.join(""));
    this.pieces = [];
    this.piecesLength = 0;
  }

  private write(content: string): void {
    this.flushBreak();
    if (!this.lineHasText) {
      const indent = this.indents.at(-1);
      if (indent) {
        this.push(indent.marker ?? indent.continuation);
        indent.marker = undefined;
      }
      this.pendingSpace = false;
      this.pendingSeparator = false;
    } else if (this.pendingSeparator) {
      this.push(" | ");
    } else if (this.pendingSpace) {
      this.push(" ");
    }
    this.pendingSpace = false;
    this.pendingSeparator = false;
    this.preSpaces = "";
    this.push(content);
    this.lineHasText = true;
    this.anyText = true;
    this.lastLineBlank = false;
  }

  private flushBreak(): void {
    if (this.pendingBreak === 0) return;
    if (this.lineHasText) this.endLine();
    if (this.pendingBreak === 2) this.blankLine();
    this.pendingBreak = 0;
    this.pendingSeparator = false;
  }

  private endLine(): void {
    this.heldNewlines++;
    this.lineHasText = false;
  }

  private blankLine(): void {
    if (this.lastLineBlank) return;
    this.heldNewlines++;
    this.lastLineBlank = true;
  }

  private push(piece: string): void {
    if (this.heldNewlines > 0) {
      this.pieces.push("\n".repeat(this.heldNewlines));
      this.heldNewlines = 0;
    }
    this.pieces.push(piece);
    this.piecesLength += piece.length;
    // Handed on by count (many short strings) and by size: a text token can be a whole
    // megabyte piece of markup, and 4096 of those would be the whole text held at once.
    if (this.pieces.length >= 4096 || this.piecesLength >= OUTPUT_PIECE) {
      this.output(this.pieces.join(""));
      this.pieces = [];
      this.piecesLength = 0;
    }
  }
}

/**
 * Where the white space at the end of `text` begins (what trimEnd() would cut), in one
 * backward walk: /\s+$/ is quadratic on a long run of blanks followed by a word.
 */
export function endOfText(text: string): number {
  let end = text.length;
  while (end > 0 && WHITE_SPACE.test(text.charAt(end - 1))) end--;
  return end;
}

const WHITE_SPACE = /\s/;
