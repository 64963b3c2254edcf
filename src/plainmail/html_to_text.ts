import { parseHTML } from "linkedom";

const SKIP = new Set([
  "script",
  "style",
  "head",
  "noscript",
  "template",
  "title",
  "svg",
  "object",
  "iframe",
]);
const BLOCK = new Set([
  "p",
  "div",
  "section",
  "article",
  "header",
  "footer",
  "main",
  "aside",
  "nav",
  "blockquote",
  "address",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "ul",
  "ol",
  "dl",
  "dt",
  "dd",
  "table",
  "form",
  "fieldset",
  "hr",
  "center",
]);
/** Nesting below this is flattened: hostile HTML cannot exhaust the stack. */
const MAX_DEPTH = 200;

interface DomNode {
  readonly nodeType: number;
  readonly nodeName: string;
  readonly textContent: string | null;
  readonly childNodes: ArrayLike<DomNode>;
  getAttribute?(name: string): string | null;
}

/**
 * HTML as readable text, from a real DOM (linkedom): paragraphs and headings on their
 * own lines, list items with "-" or numbers, links as `text <url>`, table rows with
 * cells joined by " | ", images by their alt text; script, style and head vanish.
 */
export function htmlToText(markup: string): string {
  const { document } = parseHTML(
    `<!DOCTYPE html><html><body>${markup}</body></html>`,
  ) as unknown as {
    document: { body: DomNode };
  };
  const out: string[] = [];
  walk(document.body, out, { depth: 0, pre: false, list: [] });
  // Blanks before a line end are cut line by line: /[ \t]+\n/ would retry from every
  // blank of a long run that no line end follows, in quadratic time.
  const lines = out.join("").split("\n").map((line) => {
    let end = line.length;
    while (end > 0 && (line[end - 1] === " " || line[end - 1] === "\t")) end--;
    return line.slice(0, end);
  });
  return lines.join("\n").replace(/\n{3,}/g, "\n\n").trim() + "\n";
}

interface Walk {
  depth: number;
  pre: boolean;
  list: { ordered: boolean; n: number }[];
}

function walk(node: DomNode, out: string[], state: Walk): void {
  for (const child of Array.from(node.childNodes)) {
    if (child.nodeType === 3) {
      const text = child.textContent ?? "";
      out.push(state.pre ? text : text.replace(/\s+/g, " "));
      continue;
    }
    if (child.nodeType !== 1) continue;
    const name = child.nodeName.toLowerCase();
    if (SKIP.has(name)) continue;
    if (state.depth > MAX_DEPTH) {
      out.push((child.textContent ?? "").replace(/\s+/g, " "));
      continue;
    }
    const inner = (extra: Partial<Walk> = {}): string => {
      const parts: string[] = [];
      walk(child, parts, { ...state, depth: state.depth + 1, ...extra });
      return parts.join("");
    };
    switch (name) {
      case "br":
        out.push("\n");
        break;
      case "a": {
        const text = inner().trim();
        const href = child.getAttribute?.("href") ?? "";
        const shown =
          href && !/^(javascript|data):/i.test(href) && href !== text && `mailto:${text}` !== href
            ? (text ? `${text} <${href}>` : `<${href}>`)
            : text;
        out.push(shown);
        break;
      }
      case "img": {
        const alt = child.getAttribute?.("alt");
        if (alt) out.push(`[${alt}]`);
        break;
      }
      case "li": {
        const list = state.list.at(-1);
        const marker = list?.ordered ? `${++list.n}. ` : "- ";
        out.push(`\n${"  ".repeat(Math.max(0, state.list.length - 1))}${marker}${inner().trim()}`);
        break;
      }
      case "ul":
      case "ol":
        out.push(`\n${inner({ list: [...state.list, { ordered: name === "ol", n: 0 }] })}\n`);
        break;
      case "tr": {
        const cells = Array.from(child.childNodes).filter((c) =>
          c.nodeType === 1 && /^t[dh]$/i.test(c.nodeName)
        );
        out.push(`\n${
          cells.map((c) => {
            const parts: string[] = [];
            walk(c, parts, { ...state, depth: state.depth + 1 });
            return parts.join("").replace(/\s+/g, " ").trim();
          }).join(" | ")
        }`);
        break;
      }
      case "pre":
        out.push(`\n${inner({ pre: true })}\n`);
        break;
      default:
        if (BLOCK.has(name)) out.push(`\n${inner()}\n`);
        else out.push(inner());
    }
  }
}
