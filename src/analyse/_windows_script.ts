/**
 * Windows script heuristics: batch, VBScript, JScript, PowerShell, HTA and WSF written
 * as plain text. Text alone is not enough to call something a script, so a kind needs
 * two points: one tell that only scripts use (weight 2) or two independent ones.
 *
 * Every tell runs in time linear in the text (DESIGN invariant 9). Line tells are
 * sticky regular expressions tried once at the start of each line, after its blanks;
 * text tells are searched in the whole text and contain no nested or overlapping
 * quantifiers; tags are walked in code. No `^\s*` with the `m` flag: `\s` also matches
 * line ends, and a body of newlines then costs quadratic time.
 */
export type WindowsScriptKind = "hta" | "wsf" | "batch" | "vbscript" | "jscript" | "powershell";

/**
 * A tell, and its needles: lower-case strings of which the lower-cased text holds at least
 * one whenever the tell is seen (a literal every match must contain). A text without any
 * of them cannot show the tell, so its expression is not run, nor compiled: compiling all
 * of them cost a small delivery about 1.4 M instructions. Under the `i` flag without `u`
 * a non-ASCII character never matches an ASCII letter, and toLowerCase() maps every
 * ASCII letter to its lower case, so the needle test misses no match.
 */
type Tell =
  & { readonly kind: WindowsScriptKind; readonly weight: number; readonly needles: string[] }
  & (
    | { readonly line: RegExp }
    | { readonly text: RegExp }
    | { readonly code: (text: string) => boolean }
  );

const TELLS: readonly Tell[] = [
  { kind: "hta", weight: 2, text: /<hta:application\b/i, needles: ["<hta:application"] },
  { kind: "wsf", weight: 2, code: hasJobWithScript, needles: ["<job"] },
  { kind: "batch", weight: 2, line: /@?echo[ \t]+off\b/iy, needles: ["echo"] },
  // A shim: a line that hands the work to a Windows program that runs code (cmd /c,
  // powershell -enc, mshta, rundll32, regsvr32, wscript, cscript, bitsadmin, schtasks).
  {
    kind: "batch",
    weight: 2,
    needles: [
      "cmd",
      "powershell",
      "pwsh",
      "wscript",
      "cscript",
      "bitsadmin",
      "schtasks",
      "mshta",
      "rundll32",
      "regsvr32",
    ],
    line:
      /@?(?:start[ \t]+(?:""[ \t]+)?|call[ \t]+)?(?:(?:cmd|powershell|pwsh|wscript|cscript|bitsadmin|schtasks)(?:\.exe)?[ \t]+[-\/][a-z]|(?:mshta|rundll32|regsvr32)(?:\.exe)?[ \t]+\S)/iy,
  },
  // %~dp0, %~f1: the batch file's own path and argument modifiers.
  { kind: "batch", weight: 1, text: /%~[a-z]{0,6}[0-9]/i, needles: ["%~"] },
  { kind: "batch", weight: 1, line: /goto[ \t]+:?[a-z_][\w.-]*[ \t]*$/iy, needles: ["goto"] },
  { kind: "batch", weight: 1, line: /:[a-z_]\w*[ \t]*$/iy, needles: [":"] },
  {
    kind: "batch",
    weight: 1,
    needles: ["start", "call", "set", "cmd", "powershell"],
    line:
      /(?:start[ \t]+(?:""|\/(?:b|min|max|wait)\b|%)|call[ \t]+(?::[a-z_]|%|\S+\.(?:bat|cmd)\b)|set[ \t]+(?:\/[ap][ \t]+)?"?[a-z_][\w.]*=|cmd(?:\.exe)?[ \t]+\/[ck][ \t]|powershell(?:\.exe)?[ \t]+-)/iy,
  },
  {
    kind: "vbscript",
    weight: 2,
    needles: ["createobject"],
    text:
      /\bCreateObject\s*\(\s*"(?:WScript\.Shell|Scripting\.FileSystemObject|MSXML2\.|ADODB\.Stream|Shell\.Application)/i,
  },
  {
    kind: "vbscript",
    weight: 1,
    needles: ["dim", "set", "end"],
    line:
      /(?:Dim[ \t]+[a-z_]\w*[ \t]*(?:,|\(|$|As\b)|Set[ \t]+[a-z_]\w*[ \t]*=[ \t]*(?:CreateObject|GetObject|New\b|Nothing\b)|End[ \t]+(?:Sub|Function)\b)/iy,
  },
  {
    kind: "vbscript",
    weight: 1,
    text: /\bOn[ \t]+Error[ \t]+Resume[ \t]+Next\b/i,
    needles: ["resume"],
  },
  {
    kind: "jscript",
    weight: 2,
    needles: ["activexobject", "wscript.createobject"],
    text: /\bnew[ \t]+ActiveXObject[ \t]*\(|\bWScript\.CreateObject[ \t]*\(/i,
  },
  {
    kind: "jscript",
    weight: 1,
    needles: ["wscript."],
    text: /\bWScript\.(?:Shell|Sleep|Echo|Arguments|ScriptFullName)\b/i,
  },
  {
    kind: "powershell",
    weight: 1,
    needles: [
      "invoke-expression",
      "iex",
      "invoke-webrequest",
      "downloadstring",
      "downloadfile",
      "start-process",
      "-encodedcommand",
      "frombase64string",
    ],
    text:
      /\b(?:Invoke-Expression|IEX|Invoke-WebRequest|DownloadString|DownloadFile|Start-Process|-EncodedCommand|FromBase64String)\b/i,
  },
  {
    kind: "powershell",
    weight: 1,
    needles: ["net.webclient", "[system.", "$env:", "set-executionpolicy"],
    text:
      /\bNew-Object[ \t]+(?:System\.)?Net\.WebClient\b|\[System\.(?:Reflection|Convert|Text\.Encoding)\]|\$env:\w|Set-ExecutionPolicy/i,
  },
];

/** Which Windows script the text is, or undefined. */
export function sniffWindowsScript(text: string): WindowsScriptKind | undefined {
  const lower = text.toLowerCase();
  const needled: Tell[] = [];
  for (const tell of TELLS) if (hasNeedle(tell, lower)) needled.push(tell);
  // Most text holds no needle at all: then no tell can be seen, and the lines need not be cut.
  return needled.length ? scriptKindOf(text, needled) : undefined;
}

function hasNeedle(tell: Tell, lower: string): boolean {
  for (const needle of tell.needles) if (lower.includes(needle)) return true;
  return false;
}

/**
 * For the tests: each tell's needle test and whether the tell is seen when tried anyway.
 * A tell seen without its needle would make the needles unsafe.
 */
export function tellsOf(text: string): { seen: boolean; needled: boolean }[] {
  const lower = text.toLowerCase();
  const lines = lineStarts(text);
  return TELLS.map((tell) => ({
    seen: isSeen(tell, text, lines),
    needled: hasNeedle(tell, lower),
  }));
}

function scriptKindOf(text: string, tells: readonly Tell[]): WindowsScriptKind | undefined {
  const lines = lineStarts(text);
  const scores = new Map<WindowsScriptKind, number>();
  for (const tell of tells) {
    if (isSeen(tell, text, lines)) {
      scores.set(tell.kind, (scores.get(tell.kind) ?? 0) + tell.weight);
    }
  }
  let best: [WindowsScriptKind, number] | undefined;
  for (const entry of scores) if (!best || entry[1] > best[1]) best = entry;
  return best && best[1] >= 2 ? best[0] : undefined;
}

function isSeen(tell: Tell, text: string, lines: readonly string[]): boolean {
  return "line" in tell
    ? lines.some((line) => matchesAtStart(tell.line, line))
    : "text" in tell
    ? tell.text.test(text)
    : tell.code(text);
}

/** Every line without its leading blanks and its CR; one pass over the text. */
function lineStarts(text: string): string[] {
  return text.split("\n").map((line) => {
    let from = 0;
    while (from < line.length && (line[from] === " " || line[from] === "\t")) from++;
    const end = line.endsWith("\r") ? line.length - 1 : line.length;
    return line.slice(from, end);
  });
}

/** A sticky expression tried at index 0 only: never rescanned from later positions. */
function matchesAtStart(pattern: RegExp, line: string): boolean {
  pattern.lastIndex = 0;
  return pattern.test(line);
}

/**
 * A Windows Script File: a `<job ...>` element followed by a `<script ... language=...>`
 * tag. Tags are walked left to right, each `<` to its `>` once, so the cost is linear.
 */
function hasJobWithScript(text: string): boolean {
  const lower = text.toLowerCase();
  let inJob = false;
  // The ">" that ends the tag at `open`; found again only once `open` has passed it,
  // so a text of "<" without ">" is still read once.
  let close = -1;
  for (let open = lower.indexOf("<"); open >= 0; open = lower.indexOf("<", open + 1)) {
    if (close < open) {
      close = lower.indexOf(">", open + 1);
      if (close < 0) return false;
    }
    const next = lower.indexOf("<", open + 1);
    // A "<" before the ">" starts the next tag: this one is not a tag.
    if (next >= 0 && next < close) continue;
    const tag = lower.slice(open + 1, close);
    if (/^job\b/.test(tag)) inJob = true;
    else if (inJob && /^script\b/.test(tag) && /\blanguage\s*=/.test(tag)) return true;
  }
  return false;
}
