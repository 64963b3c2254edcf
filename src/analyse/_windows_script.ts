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

type Tell =
  | { readonly kind: WindowsScriptKind; readonly weight: number; readonly line: RegExp }
  | { readonly kind: WindowsScriptKind; readonly weight: number; readonly text: RegExp }
  | {
    readonly kind: WindowsScriptKind;
    readonly weight: number;
    readonly code: (text: string) => boolean;
  };

const TELLS: readonly Tell[] = [
  { kind: "hta", weight: 2, text: /<hta:application\b/i },
  { kind: "wsf", weight: 2, code: hasJobWithScript },
  { kind: "batch", weight: 2, line: /@?echo[ \t]+off\b/iy },
  // A shim: a line that hands the work to a Windows program that runs code (cmd /c,
  // powershell -enc, mshta, rundll32, regsvr32, wscript, cscript, bitsadmin, schtasks).
  {
    kind: "batch",
    weight: 2,
    line:
      /@?(?:start[ \t]+(?:""[ \t]+)?|call[ \t]+)?(?:(?:cmd|powershell|pwsh|wscript|cscript|bitsadmin|schtasks)(?:\.exe)?[ \t]+[-\/][a-z]|(?:mshta|rundll32|regsvr32)(?:\.exe)?[ \t]+\S)/iy,
  },
  // %~dp0, %~f1: the batch file's own path and argument modifiers.
  { kind: "batch", weight: 1, text: /%~[a-z]{0,6}[0-9]/i },
  { kind: "batch", weight: 1, line: /goto[ \t]+:?[a-z_][\w.-]*[ \t]*$/iy },
  { kind: "batch", weight: 1, line: /:[a-z_]\w*[ \t]*$/iy },
  {
    kind: "batch",
    weight: 1,
    line:
      /(?:start[ \t]+(?:""|\/(?:b|min|max|wait)\b|%)|call[ \t]+(?::[a-z_]|%|\S+\.(?:bat|cmd)\b)|set[ \t]+(?:\/[ap][ \t]+)?"?[a-z_][\w.]*=|cmd(?:\.exe)?[ \t]+\/[ck][ \t]|powershell(?:\.exe)?[ \t]+-)/iy,
  },
  {
    kind: "vbscript",
    weight: 2,
    text:
      /\bCreateObject\s*\(\s*"(?:WScript\.Shell|Scripting\.FileSystemObject|MSXML2\.|ADODB\.Stream|Shell\.Application)/i,
  },
  {
    kind: "vbscript",
    weight: 1,
    line:
      /(?:Dim[ \t]+[a-z_]\w*[ \t]*(?:,|\(|$|As\b)|Set[ \t]+[a-z_]\w*[ \t]*=[ \t]*(?:CreateObject|GetObject|New\b|Nothing\b)|End[ \t]+(?:Sub|Function)\b)/iy,
  },
  { kind: "vbscript", weight: 1, text: /\bOn[ \t]+Error[ \t]+Resume[ \t]+Next\b/i },
  {
    kind: "jscript",
    weight: 2,
    text: /\bnew[ \t]+ActiveXObject[ \t]*\(|\bWScript\.CreateObject[ \t]*\(/i,
  },
  {
    kind: "jscript",
    weight: 1,
    text: /\bWScript\.(?:Shell|Sleep|Echo|Arguments|ScriptFullName)\b/i,
  },
  {
    kind: "powershell",
    weight: 1,
    text:
      /\b(?:Invoke-Expression|IEX|Invoke-WebRequest|DownloadString|DownloadFile|Start-Process|-EncodedCommand|FromBase64String)\b/i,
  },
  {
    kind: "powershell",
    weight: 1,
    text:
      /\bNew-Object[ \t]+(?:System\.)?Net\.WebClient\b|\[System\.(?:Reflection|Convert|Text\.Encoding)\]|\$env:\w|Set-ExecutionPolicy/i,
  },
];

/** Which Windows script the text is, or undefined. */
export function sniffWindowsScript(text: string): WindowsScriptKind | undefined {
  const lines = lineStarts(text);
  const scores = new Map<WindowsScriptKind, number>();
  for (const tell of TELLS) {
    const seen = "line" in tell
      ? lines.some((line) => matchesAtStart(tell.line, line))
      : "text" in tell
      ? tell.text.test(text)
      : tell.code(text);
    if (seen) scores.set(tell.kind, (scores.get(tell.kind) ?? 0) + tell.weight);
  }
  let best: [WindowsScriptKind, number] | undefined;
  for (const entry of scores) if (!best || entry[1] > best[1]) best = entry;
  return best && best[1] >= 2 ? best[0] : undefined;
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
