import assert from "node:assert/strict";
import fc from "fast-check";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseMessage, removeInvisible } from "../../src/message/mod.ts";
import { htmlTextConverter, htmlToText } from "../../src/plainmail/mod.ts";
import { everyMessageFile } from "../_helpers/message_files.ts";
import { fixture } from "../_helpers/qmail_local.ts";
import { tempDir } from "../_helpers/temp_dirs.ts";

/** The HTML of a fixture's first text/html part, decoded. */
async function htmlOf(name: string): Promise<string> {
  const message = await parseMessage(readFileSync(fixture(name)));
  const part = message.parts.find((p) => p.declaredType === "text/html");
  assert.ok(part?.text !== undefined, `${name} has an HTML part`);
  return part.text;
}

Deno.test("htmlToText() flattens a newsletter's nested layout tables in reading order", async () => {
  assert.equal(
    htmlToText(await htmlOf("html_newsletter_nested_tables.eml")),
    [
      "[Harbour Books] | View in browser <https://books.example/view?id=42>",
      "",
      "November picks",
      "",
      "Dear reader,",
      "our autumn list is in.",
      "",
      "Three titles stood out.",
      "",
      "Title | Author | Price",
      "The Quiet Harbour | Ann Lee | \u20ac 18.00",
      "Salt and Stone | Per Holm | \u20ac 22.50",
      "Night Ferries | Jo Marsh | \u20ac 15.00",
      "",
      "Events",
      "",
      "- Reading with Ann Lee, 3 December",
      "- Signing day, 10 December",
      "",
      "1. Book online",
      "2. Collect in store",
      "",
      "Opening hours",
      "",
      "Mon-Sat 9-18",
      "",
      "You receive this mail because you subscribed at books.example.",
      "Unsubscribe <https://books.example/unsubscribe?u=7>",
      "",
    ].join("\n"),
  );
});

/**
 * Lines as words only: no list markers, link targets, alt brackets, cell separators or
 * invisible characters (w3m drops a soft hyphen, plainmail keeps what was sent).
 */
function lineStructure(text: string): string[] {
  return removeInvisible(text).split("\n")
    .map((line) =>
      line.replace(/ ?<(https?|mailto):[^>]*>/g, "")
        .replace(/\[([^\]]*)\]/g, "$1")
        .replace(/ \| /g, " ")
        .replace(/^\s*(?:[-\u2022*]|\d+\.)\s+/, "")
        .replace(/\s+/g, " ")
        .trim()
    )
    .filter((line) => line !== "");
}

function hasW3m(): boolean {
  try {
    return new Deno.Command("w3m", { args: ["-version"], stdout: "null", stderr: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
}

for (
  const name of [
    "html_newsletter_nested_tables.eml",
    "html_newsletter.eml",
    "html_meta_charset_windows1252.eml",
    "html_meta_charset_iso8859_15.eml",
    "body_invisible_characters.eml",
  ]
) {
  Deno.test({
    name: `htmlToText() breaks ${name} into the same lines as w3m -dump`,
    ignore: !hasW3m(), // w3m is a Debian package that .ci/run installs
    fn: async () => {
      const html = await htmlOf(name);
      const file = join(tempDir("qmvc-w3m-"), "page.html");
      writeFileSync(file, html);
      const dump = await new Deno.Command("w3m", {
        args: ["-dump", "-cols", "400", "-T", "text/html", "-I", "UTF-8", "-O", "UTF-8", file],
      }).output();
      assert.equal(dump.code, 0);
      assert.deepEqual(
        lineStructure(htmlToText(html)),
        lineStructure(new TextDecoder().decode(dump.stdout)),
      );
    },
  });
}

Deno.test("htmlToText() never writes more than one blank line in a row", () => {
  const text = htmlToText(
    "<p>a</p><p></p><br><br><br><div><p> </p></div><h1>b</h1>\n\n<table><tr><td></td></tr></table><br><br>c",
  );
  assert.equal(text, "a\n\nb\n\nc\n");
});

Deno.test("htmlToText() continues a cell holding blocks on the next lines, then the next cell", () => {
  assert.equal(
    htmlToText(
      "<table><tr><td><h2>Story</h2><p>Text</p></td><td>Sidebar</td></tr><tr><td>a</td><td>b</td></tr></table>",
    ),
    "Story\n\nText\n\nSidebar\na | b\n",
  );
});

Deno.test("htmlToText() leaves empty spacer cells out of a row", () => {
  assert.equal(
    htmlToText("<table><tr><td>&nbsp;</td><td>Name</td><td> </td><td>Price</td></tr></table>"),
    "Name | Price\n",
  );
});

Deno.test("htmlToText() numbers ordered lists from start= and indents nested lists", () => {
  assert.equal(
    htmlToText('<ol start="3"><li>three<ul><li>inner</li></ul></li><li>four</li></ol>'),
    "3. three\n   - inner\n4. four\n",
  );
});

Deno.test("htmlToText() keeps the line breaks and spaces of <pre>", () => {
  assert.equal(htmlToText("<p>x</p><pre>a  b\n\n  c</pre>y"), "x\n\na  b\n\n  c\n\ny\n");
});

Deno.test("htmlToText() decodes character references once, keeping what they stand for", () => {
  assert.equal(
    htmlToText("wi&shy;re mo&#8203;ney &amp;amp; &euro;&#x20AC;&#128; &notit; &lt;b&gt;"),
    "wi\u00adre mo\u200bney &amp; \u20ac\u20ac\u20ac \u00acit; <b>\n",
  );
});

Deno.test("htmlToText() shows a link's real target, and hides javascript: targets", () => {
  assert.equal(
    htmlToText(
      '<a href="https://evil.example/">https://bank.example/</a> <a href="javascript:x()">go</a> <a href="mailto:a@b.example">a@b.example</a>',
    ),
    "https://bank.example/ <https://evil.example/> go a@b.example\n",
  );
});

Deno.test("htmlToText() reads tags as a browser does: comments, quoted '>', raw text", () => {
  assert.equal(
    htmlToText(
      '<!-- <p>hidden</p> --><!--><a title="x>y" href=u>t</a><script>document.write("<p>no</p>")</script></SCRIPT >1 < 2<style>p{}',
    ),
    "t <u>1 < 2\n",
  );
});

Deno.test("htmlToText() ends a comment at --!> as browsers do, but not at the <!-- of its own <!--!>", () => {
  assert.equal(
    htmlToText("<p>Hello <!-- x --!> please wire money now <!-- --> bye</p>"),
    "Hello please wire money now bye\n",
  );
  assert.equal(htmlToText("a<!--!> hidden -->b<!----!>c"), "abc\n");
});

Deno.test("htmlToText() hides SVG drawings, but an HTML block after an unclosed <svg> shows", () => {
  assert.equal(htmlToText("<svg><text>drawn</text><p>shown</p>"), "shown\n");
  assert.equal(htmlToText("a<svg/>b"), "ab\n");
});

Deno.test("htmlToText() converts deep nesting and a large page whole (bounded, no DOM)", () => {
  const depth = 100_000;
  const deep = `${"<div><table><tr><td><span>".repeat(depth)}bottom${
    "</span></td></tr></table></div>".repeat(depth)
  }after`;
  assert.equal(htmlToText(deep), "bottom\nafter\n");
  const rows = 50_000;
  const big = `<table>${
    Array.from({ length: rows }, (_, i) => `<tr><td>row ${i}</td><td><b>${i * 2}</b></td></tr>`)
      .join("")
  }</table>`;
  const lines = htmlToText(big).trimEnd().split("\n");
  assert.equal(lines.length, rows);
  assert.equal(lines[rows - 1], `row ${rows - 1} | ${(rows - 1) * 2}`);
});

/** Pieces of markup, well-formed or not, that hostile HTML is made of. */
const MARKUP = fc.constantFrom(
  "<p>",
  "</p>",
  "<br>",
  "<table>",
  "<tr>",
  "<td>",
  "</td>",
  "</tr>",
  "</table>",
  "<ul>",
  "<ol start=x>",
  "<li>",
  "</ul>",
  '<a href="https://x.example/">',
  "</a>",
  "<pre>",
  "</pre>",
  "<svg>",
  "<script>",
  "</script>",
  "<!--",
  "-->",
  "<",
  ">",
  "&",
  "&amp",
  "&#x;",
  '"',
  "\n\n",
  " ",
  "\u00a0",
  "word",
  "<div/>",
  "</br>",
  "<h1>",
);

Deno.test("htmlToText() on any mix of markup pieces returns text with one final newline and no two blank lines in a row", () => {
  fc.assert(
    fc.property(fc.array(MARKUP, { maxLength: 200 }), (pieces) => {
      const text = htmlToText(pieces.join(""));
      assert.ok(text.endsWith("\n"));
      assert.ok(!text.includes("\n\n\n"), JSON.stringify(text));
    }),
    { numRuns: 500 },
  );
});

Deno.test("htmlToText() keeps deeply nested list items to a bounded indentation", () => {
  const depth = 2000;
  const text = htmlToText(`${"<ul><li>x".repeat(depth)}<br>end`);
  const lines = text.trimEnd().split("\n");
  assert.equal(lines.length, depth + 1);
  assert.ok(lines.every((line) => line.length <= 40), lines.at(-1));
  assert.ok(text.length < 40 * (depth + 1));
});

Deno.test("htmlToText() leaves out text an inline style hides (zero-font word splitting)", () => {
  assert.equal(
    htmlToText(
      'wi<span style="font-size:0px">x</span>re mo<b style="FONT-SIZE: 0 !important">q</b>ney' +
        '<div style="display:none">preheader</div> <i style="visibility: hidden">h</i>' +
        '<img alt="a" style="display:none"><span style="font-size:0.5em">small</span>',
    ),
    "wire money small\n",
  );
});

/** htmlToText() of markup handed over cut at `cuts` (positions in the markup). */
function htmlToTextCut(markup: string, cuts: readonly number[]): string {
  const out: string[] = [];
  const converter = htmlTextConverter((text) => out.push(text));
  let from = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    converter.write(markup.slice(from, Math.max(from, cut)));
    from = Math.max(from, cut);
  }
  converter.write(markup.slice(from));
  converter.end();
  return out.join("");
}

/** What pieces of markup may be cut inside: references, CRLF, tags, comments, raw text. */
const CUTTABLE = fc.constantFrom(
  "&eacute;",
  "&eacute",
  "&#x20AC;",
  "&CounterClockwiseContourIntegral;",
  "a&b",
  "\r\n",
  "\r",
  "\ud83d\ude00",
  "<textarea>",
  "</textarea>",
  "<title>",
  "</TITLE >",
  "<script>",
  "</scr",
  "<!-->",
  "--!>",
  "<!--!>",
  "--!",
  "<!-",
  "<!x",
  "<?x",
  "</ 3>",
  "<a href=u x='y>'>",
  '<img alt="a &amp; b"/>',
  "<br/>",
  '<span style="font-size:0">',
  "</span>",
  "  ",
);

Deno.test("htmlToText() gives the same text however the markup is cut into pieces", () => {
  fc.assert(
    fc.property(
      fc.array(fc.oneof(MARKUP, CUTTABLE), { maxLength: 60 }),
      fc.array(fc.nat(), { maxLength: 12 }),
      (pieces, cuts) => {
        const markup = pieces.join("");
        const at = cuts.map((c) => c % (markup.length + 1));
        assert.equal(htmlToTextCut(markup, at), htmlToText(markup), JSON.stringify({ markup, at }));
      },
    ),
    { numRuns: 2000 },
  );
});

Deno.test("htmlToText() gives every fixture's and corpus message's HTML the same text cut in pieces", async () => {
  let pages = 0;
  for (const path of everyMessageFile()) {
    const message = await parseMessage(readFileSync(path));
    for (const part of message.parts) {
      if (part.declaredType !== "text/html" || !part.text) continue;
      const html = part.text;
      const whole = htmlToText(html);
      for (const size of [1, 7, 4096]) {
        const cuts = Array.from({ length: Math.ceil(html.length / size) }, (_, i) => i * size);
        assert.ok(
          htmlToTextCut(html, cuts) === whole,
          `${path} part ${part.path}, pieces of ${size}`,
        );
      }
      pages++;
    }
  }
  assert.ok(pages >= 20, `only ${pages} HTML parts read`);
});
