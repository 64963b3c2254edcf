import assert from "node:assert/strict";
import { markdownToMan } from "../../src/delivery/man_page.ts";

const DOC = `# qmvc-demo(5): a demo page

## files

A paragraph with \`code\`, **bold** and _italic_, and a -dash.
.starts with a dot

- an item
  that continues
- another

| key | value |
| --- | ----- |
| a\\|b | \`c\` |

    |qmvc -n
    ./Maildir/
`;

Deno.test("markdownToMan() writes the title, NAME and sections", () => {
  const page = markdownToMan(DOC, "1.2.3", "2026-11-25")!;
  assert.equal(page.name, "qmvc-demo.5");
  const lines = page.roff.split("\n");
  assert.deepEqual(lines.slice(0, 4), [
    `'\\" t`,
    '.TH QMVC-DEMO 5 "2026-11-25" "qmvc 1.2.3" "qmvc"',
    ".SH NAME",
    "qmvc\\-demo \\- a demo page",
  ]);
  assert.ok(lines.includes(".SH FILES"));
});

Deno.test("markdownToMan() marks code and emphasis, escapes dashes and a leading dot", () => {
  const roff = markdownToMan(DOC, "1", "d")!.roff;
  assert.match(
    roff,
    /with \\fBcode\\fR, \\fBbold\\fR and \\fIitalic\\fR, and a \\-dash\. \.starts/,
  );
  assert.doesNotMatch(roff, /^\.starts/m);
});

Deno.test("markdownToMan() turns lists into .IP, tables into tbl and code into .nf", () => {
  const roff = markdownToMan(DOC, "1", "d")!.roff;
  assert.match(roff, /\.IP \\\(bu 2\nan item that continues\n\.IP \\\(bu 2\nanother/);
  assert.match(
    roff,
    /\.TS\nallbox tab\(\t\);\nlx lx\.\nT\{\nkey\nT\}\tT\{\nvalue\nT\}\nT\{\na\|b\nT\}/,
  );
  assert.match(roff, /\.nf\n\|qmvc \\-n\n\\&\.\/Maildir\/\n\.fi/);
});

Deno.test("markdownToMan() refuses a document without a NAME(SECTION) title", () => {
  assert.equal(markdownToMan("# Notes\n", "1", "d"), undefined);
});
