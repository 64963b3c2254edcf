/**
 * docs/*.md as man pages: the small Markdown the docs are written in (headings,
 * paragraphs, "-" lists, tables, indented or fenced code, `code`, **bold**, _italic_)
 * turned into roff for man(1), with tables for tbl(1).
 */

/** A man page from one doc: its file name (qmvc.8) and its roff text. */
export interface ManPage {
  readonly name: string;
  readonly roff: string;
}

/**
 * Convert a doc whose first line is `# NAME(SECTION): what it is`. Returns undefined
 * for a document without such a title.
 */
export function markdownToMan(
  markdown: string,
  version: string,
  date: string,
): ManPage | undefined {
  const lines = markdown.replace(/\r\n/g, "\n").split("\n");
  const title = /^# ([a-z0-9-]+)\((\d)\): (.+)$/.exec(lines[0] ?? "");
  if (!title) return undefined;
  const [, name, section, what] = title as unknown as [string, string, string, string];
  const out: string[] = [
    `'\\" t`,
    `.TH ${name.toUpperCase()} ${section} "${date}" "qmvc ${version}" "qmvc"`,
    ".SH NAME",
    `${escapeText(name)} \\- ${inline(what)}`,
  ];
  let i = 1;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === "") {
      i++;
    } else if (line.startsWith("## ")) {
      out.push(`.SH ${escapeText(line.slice(3).toUpperCase())}`);
      i++;
    } else if (line.startsWith("### ")) {
      out.push(`.SS ${escapeText(line.slice(4))}`);
      i++;
    } else if (line.startsWith("```")) {
      const code: string[] = [];
      for (i++; i < lines.length && !lines[i]!.startsWith("```"); i++) code.push(lines[i]!);
      i++;
      out.push(...codeBlock(code));
    } else if (line.startsWith("    ")) {
      const code: string[] = [];
      for (; i < lines.length && (lines[i]!.startsWith("    ") || lines[i]!.trim() === ""); i++) {
        code.push(lines[i]!.slice(4));
      }
      while (code.at(-1)?.trim() === "") code.pop();
      out.push(...codeBlock(code));
    } else if (line.startsWith("|")) {
      const rows: string[][] = [];
      for (; i < lines.length && lines[i]!.startsWith("|"); i++) {
        const cells = lines[i]!.trim().replace(/^\||\|$/g, "").split(/(?<!\\)\|/).map((c) =>
          c.trim()
        );
        if (!cells.every((c) => /^:?-+:?$/.test(c))) rows.push(cells);
      }
      out.push(...table(rows));
    } else if (/^- /.test(line)) {
      for (; i < lines.length && /^- /.test(lines[i]!); i++) {
        let item = lines[i]!.slice(2);
        for (i++; i < lines.length && /^ {2}\S/.test(lines[i]!); i++) {
          item += ` ${lines[i]!.trim()}`;
        }
        i--;
        out.push(".IP \\(bu 2", inline(item));
      }
    } else {
      const paragraph: string[] = [];
      for (; i < lines.length && isParagraphLine(lines[i]!); i++) paragraph.push(lines[i]!.trim());
      out.push(".PP", inline(paragraph.join(" ")));
    }
  }
  return { name: `${name}.${section}`, roff: `${out.join("\n")}\n` };
}

function isParagraphLine(line: string): boolean {
  return line.trim() !== "" && !/^(#|```|\||- | {4})/.test(line);
}

function codeBlock(code: readonly string[]): string[] {
  return [".PP", ".RS 4", ".nf", ...code.map(escapeText), ".fi", ".RE"];
}

function table(rows: readonly string[][]): string[] {
  const columns = Math.max(...rows.map((r) => r.length));
  const format = Array.from({ length: columns }, () => "lx").join(" ");
  return [
    ".TS",
    "allbox tab(\t);",
    `${format}.`,
    ...rows.map((row) =>
      row.map((cell) => `T{\n${inline(cell.replace(/\\\|/g, "|"))}\nT}`).join("\t") +
      "\t".repeat(Math.max(0, columns - row.length))
    ),
    ".TE",
  ];
}

/** Text with roff's special characters escaped; a leading . or ' cannot become a request. */
function escapeText(text: string): string {
  return text.replace(/\\/g, "\\e").replace(/-/g, "\\-").replace(/^([.'])/, "\\&$1");
}

/** Inline Markdown: `code` and **bold** in bold, _italic_ in italics. */
function inline(text: string): string {
  const parts = text.split(/(`[^`]*`|\*\*[^*]+\*\*|\b_[^_]+_\b)/);
  return parts.map((part) => {
    if (part.startsWith("`") && part.endsWith("`") && part.length >= 2) {
      return `\\fB${escapeText(part.slice(1, -1))}\\fR`;
    }
    if (part.startsWith("**") && part.endsWith("**")) {
      return `\\fB${escapeText(part.slice(2, -2))}\\fR`;
    }
    if (/^_.+_$/.test(part)) return `\\fI${escapeText(part.slice(1, -1))}\\fR`;
    return escapeText(part);
  }).join("").replace(/^([.'])/, "\\&$1");
}
