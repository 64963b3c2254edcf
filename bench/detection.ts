import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { base64Lines } from "../tests/_helpers/eml_builder.ts";
import { benignTexts } from "../tests/_helpers/benign_texts.ts";

/**
 * Windows threats among the project's fixtures (tests/fixtures/bin): executables,
 * scripts, shortcuts, installers, macro documents, packaged objects, and archives or
 * images that carry one. Each is delivered under its own name and under two misleading
 * ones.
 */
const THREATS = [
  "pe_exe.exe",
  "pe_dll.dll",
  "pe_dotnet.exe",
  "msdos.exe",
  "script_win_batch.bat",
  "script_win_vbs.vbs",
  "script_win_jscript.js",
  "script_win_wsf.wsf",
  "script_win_hta.hta",
  "script_win_ps1.ps1",
  "lnk.lnk",
  "chm.chm",
  "msi.msi",
  "jar.jar",
  "ole_macro.doc",
  "ole_xlm.xls",
  "ole_macro.ppt",
  "ooxml_macro.docm",
  "ooxml_xlm.xlsm",
  "ole_package_exe.doc",
  "rtf_package_exe.rtf",
  "sylk_xlm.slk",
  "iso9660.iso",
  "zip_nested_exe.zip",
  "zip_tgz_exe.zip",
  "zip_unsafe_member_name.zip",
  "tar_exe.tar",
  "tar_gz_exe.tar.gz",
  "tar_bz2_exe.tar.bz2",
  "tar_xz_exe.tar.xz",
  "7z_exe.7z",
  "rar5_exe.rar",
  "cab_exe.cab",
];

/** Benign files that must pass, under their own names. */
const BENIGN = [
  "image_png.png",
  "image_jpeg.jpg",
  "image_gif.gif",
  "pdf_plain.pdf",
  "rtf_plain.rtf",
  "rtf_escaped_object_words.rtf",
  "ole_plain.doc",
  "ole_plain.xls",
  "ooxml_plain.docm",
  "zip.zip",
  "gz.gz",
  "7z.7z",
  "cab.cab",
  "rar5.rar",
  "bz2.bz2",
  "xz.xz",
];

const DISGUISES = [
  ["report.pdf", "application/pdf"],
  ["photo.jpg", "image/jpeg"],
] as const;

function message(file: string, name: string, type: string): string {
  const bytes = readFileSync(
    join(new URL("..", import.meta.url).pathname, "tests/fixtures/bin", file),
  );
  return [
    "From: Sender <sender@example.net>",
    "To: bob@example.org",
    "Subject: the file",
    "Date: Wed, 25 Nov 2026 08:00:00 +0000",
    "Message-ID: <detection@bench.qmvc.invalid>",
    "MIME-Version: 1.0",
    'Content-Type: multipart/mixed; boundary="b"',
    "",
    "--b",
    "Content-Type: text/plain",
    "",
    "Here it is.",
    "--b",
    `Content-Type: ${type}; name="${name}"`,
    `Content-Disposition: attachment; filename="${name}"`,
    "Content-Transfer-Encoding: base64",
    "",
    base64Lines(new Uint8Array(bytes)),
    "--b--",
    "",
  ].join("\n");
}

async function verdict(binary: string, dir: string, text: string): Promise<string> {
  const path = join(dir, "m.eml");
  writeFileSync(path, text);
  const out = await new Deno.Command(binary, {
    args: ["check", path],
    env: { QMVC_HOME: dir },
    clearEnv: true,
  }).output();
  return /^verdict: (\S+)/m.exec(new TextDecoder().decode(out.stdout))?.[1] ?? `exit ${out.code}`;
}

/** Plain-text files of this machine flagged as Windows scripts (the unit test's benign set). */
function benignTextFigures(limit: number): { samples: number; flagged: string[] } {
  const texts = benignTexts(limit);
  return { samples: texts.length, flagged: texts.filter((t) => t.script).map((t) => t.path) };
}

/** Detection figures with the built-in control files: threats blocked, benign files passed. */
export async function benchDetection(binary: string): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), "qmvc-bench-detect-"));
  try {
    return await detectionFigures(binary, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function detectionFigures(binary: string, dir: string): Promise<string[]> {
  let ownBlocked = 0;
  let disguisedBlocked = 0;
  const missed: string[] = [];
  for (const file of THREATS) {
    if ((await verdict(binary, dir, message(file, file, "application/octet-stream"))) !== "pass") {
      ownBlocked++;
    } else missed.push(file);
    for (const [name, type] of DISGUISES) {
      if ((await verdict(binary, dir, message(file, name, type))) !== "pass") disguisedBlocked++;
      else missed.push(`${file} as ${name}`);
    }
  }
  const falsePositives: string[] = [];
  for (const file of BENIGN) {
    const v = await verdict(binary, dir, message(file, file, "application/octet-stream"));
    if (v !== "pass") falsePositives.push(`${file} (${v})`);
  }
  const text = benignTextFigures(30_000);
  const pct = (n: number, of: number): string => `${((100 * n) / of).toFixed(1)} %`;
  return [
    "detection with the built-in control files (dist/qmvc check)",
    `threats blocked under their own names      ${ownBlocked}/${THREATS.length}  ${
      pct(ownBlocked, THREATS.length)
    }`,
    `threats blocked under misleading names     ${disguisedBlocked}/${THREATS.length * 2}  ${
      pct(disguisedBlocked, THREATS.length * 2)
    }`,
    ...missed.map((m) => `  missed: ${m}`),
    `benign fixtures blocked                    ${falsePositives.length}/${BENIGN.length}`,
    ...falsePositives.map((f) => `  blocked: ${f}`),
    `benign text files called Windows scripts   ${text.flagged.length}/${text.samples}`,
    ...text.flagged.map((f) => `  flagged: ${f}`),
  ];
}
