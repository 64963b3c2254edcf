import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { deflateRawSync, deflateSync } from "node:zlib";
import { loaderSignatures, sniffBytes } from "../../src/analyse/mod.ts";
import { plainSignatures, SIGNATURE_HEADS } from "../../src/analyse/loader_signatures.ts";
import { BIN_FIXTURES } from "../_helpers/eml_builder.ts";
import { concatBytes } from "../../src/message/mod.ts";

/**
 * One real file per detection-table row (built by scripts/make_fixtures.sh), with the row
 * that must decide, the loader type and the variant. "-" means inert: no loader type.
 */
const EXPECTED: Readonly<Record<string, readonly [row: string, loader: string]>> = {
  "pe_exe.exe": ["pe", "pe exe"],
  "pe_dll.dll": ["pe", "pe dll"],
  "pe_efi.efi": ["pe", "pe efi"],
  "pe_dotnet.exe": ["pe", "pe dotnet"],
  "msdos.exe": ["pe", "msdos mz"],
  "elf_exe.elf": ["elf", "elf exe"],
  "elf_pie.elf": ["elf", "elf pie"],
  "elf_so.so": ["elf", "elf so"],
  "macho_32le.o": ["macho-32le", "macho thin"],
  "macho_64le.o": ["macho-64le", "macho thin"],
  "macho_fat.o": ["cafebabe", "macho fat"],
  "macho_fat64.o": ["macho-fat64", "macho fat"],
  "java_class.class": ["cafebabe", "java-class class v55"],
  "jar.jar": ["zip", "archive zip"],
  "script_sh.sh": ["script-sh", "script-sh shebang"],
  "script_win_batch.bat": ["text", "script-win batch"],
  "script_win_vbs.vbs": ["text", "script-win vbscript"],
  "script_win_jscript.js": ["text", "script-win jscript"],
  "script_win_wsf.wsf": ["text", "script-win wsf"],
  "script_win_hta.hta": ["text", "script-win hta"],
  "script_win_ps1.ps1": ["text", "script-win powershell"],
  "lnk.lnk": ["lnk", "lnk shell-link"],
  "chm.chm": ["chm", "chm itsf"],
  "msi.msi": ["ole", "msi installer"],
  "ole_macro.doc": ["ole", "ole-macro Macros"],
  "ole_plain.doc": ["ole", "-"],
  "ole_xlm.xls": ["ole", "ole-macro Excel 4.0 macro sheet"],
  "ole_plain.xls": ["ole", "-"],
  "ooxml_macro.docm": ["zip", "archive zip"],
  "ooxml_plain.docm": ["zip", "archive zip"],
  "ooxml_xlm.xlsm": ["zip", "archive zip"],
  "pdf_js.pdf": ["pdf", "pdf-js JavaScript"],
  "pdf_plain.pdf": ["pdf", "-"],
  "pdf_js_objstm.pdf": ["pdf", "pdf-js JS"],
  "rtf_object.rtf": ["rtf", "rtf-object objemb"],
  "rtf_plain.rtf": ["rtf", "-"],
  "zip.zip": ["zip", "archive zip"],
  "zip_empty.zip": ["zip-empty", "archive zip"],
  "zip_spanned.z01": ["zip-spanned", "archive zip"],
  "zip_encrypted.zip": ["zip", "archive zip"],
  "zip_nested_exe.zip": ["zip", "archive zip"],
  "zip_bomb.zip": ["zip", "archive zip"],
  "zip_prefixed.png": ["png", "-"],
  "rar5.rar": ["rar", "archive rar"],
  "7z.7z": ["7z", "archive 7z"],
  "cab.cab": ["cab", "archive cab"],
  "gz.gz": ["gz", "archive gz"],
  "gz_named.gz": ["gz", "archive gz"],
  "tar_gz_exe.tar.gz": ["gz", "archive gz"],
  "bz2.bz2": ["bz2", "archive bz2"],
  "xz.xz": ["xz", "archive xz"],
  "arj.arj": ["arj", "archive arj"],
  "tnef.dat": ["tnef", "archive tnef"],
  "iso9660.iso": ["volume", "disk-image iso9660"],
  "udf.img": ["volume", "disk-image udf"],
  "vhd_fixed.vhd": ["trailer", "disk-image vhd"],
  "vhd_dynamic.vhd": ["vhd", "disk-image vhd"],
  "vhdx.vhdx": ["vhdx", "disk-image vhdx"],
  "dmg.dmg": ["trailer", "disk-image dmg"],
  "zip_unsafe_member_name.zip": ["zip", "archive zip"],
  "ole_encrypted.docx": ["ole", "-"],
  "ole_encrypted.doc": ["ole", "-"],
  "ole_encrypted.xls": ["ole", "-"],
  "ole_package_exe.doc": ["ole", 'pe exe, packaged "invoice.exe"'],
  "rtf_package_exe.rtf": ["rtf", 'pe exe, packaged "invoice.exe"'],
  "rtf_escaped_object_words.rtf": ["rtf", "-"],
  "sylk_xlm.slk": ["sylk", "ole-macro Excel 4.0 macro in SYLK"],
  "ole_macro.ppt": ["ole", "ole-macro PowerPoint VBA project"],
  "image_png.png": ["png", "-"],
  "image_jpeg.jpg": ["jpeg", "-"],
  "image_gif.gif": ["gif", "-"],
  "tar_exe.tar": ["tar", "archive tar"],
  "7z_exe.7z": ["7z", "archive 7z"],
  "rar5_exe.rar": ["rar", "archive rar"],
  "7z_encrypted.7z": ["7z", "archive 7z"],
  "7z_encrypted_names.7z": ["7z", "archive 7z"],
  "cab_exe.cab": ["cab", "archive cab"],
  "tar_bz2_exe.tar.bz2": ["bz2", "archive bz2"],
  "tar_xz_exe.tar.xz": ["xz", "archive xz"],
  "bz2_bomb.bz2": ["bz2", "archive bz2"],
  "7z_bomb.7z": ["7z", "archive 7z"],
  "zip_tgz_exe.zip": ["zip", "archive zip"],
};

Deno.test("loaderSignatures(): every table row has a real fixture that it decides", () => {
  const rowsWithFixture = new Set(Object.values(EXPECTED).map(([row]) => row));
  const missing = loaderSignatures().map((r) => r.id).filter((id) => !rowsWithFixture.has(id));
  assert.deepEqual(missing, []);
});

Deno.test("SIGNATURE_HEADS: the offset and first two bytes of every row of both tables, and no others", () => {
  const head = (offset: number, magic: readonly number[]) => `${offset}:${magic[0]},${magic[1]}`;
  const heads = new Set<string>();
  for (let i = 0; i < SIGNATURE_HEADS.length; i += 3) {
    heads.add(head(SIGNATURE_HEADS[i]!, SIGNATURE_HEADS.slice(i + 1, i + 3)));
  }
  const rows = new Set(
    [...loaderSignatures(), ...plainSignatures()].map((r) => head(r.offset, r.magic)),
  );
  assert.deepEqual([...heads].sort(), [...rows].sort());
});

Deno.test("tests/fixtures/bin: every fixture file has an expectation", () => {
  const files = readdirSync(BIN_FIXTURES).filter((f) => f !== "README.md").sort();
  assert.deepEqual(files, Object.keys(EXPECTED).sort());
});

for (const [file, [row, loader]] of Object.entries(EXPECTED)) {
  Deno.test(`sniffBytes() detects ${file} as ${loader} by row ${row}`, () => {
    const sniff = sniffBytes(readFileSync(join(BIN_FIXTURES, file)));
    assert.equal(sniff.loader ? `${sniff.loader.type} ${sniff.loader.detail}` : "-", loader);
    assert.equal(sniff.row, row);
  });
}

Deno.test("sniffBytes() tells a fat Mach-O from a Java class although both start 0xCAFEBABE", () => {
  const fat = sniffBytes(readFileSync(join(BIN_FIXTURES, "macho_fat.o")));
  const java = sniffBytes(readFileSync(join(BIN_FIXTURES, "java_class.class")));
  assert.equal(fat.loader?.type, "macho");
  assert.equal(java.loader?.type, "java-class");
});

Deno.test("sniffBytes() tells a password-protected Office document by its EncryptionInfo stream", () => {
  const sniff = sniffBytes(readFileSync(join(BIN_FIXTURES, "ole_encrypted.docx")));
  assert.equal(sniff.signature, "ole-encrypted");
  assert.equal(sniff.mime, "application/x-ole-storage");
});

Deno.test("sniffBytes() calls ordinary prose text, not a script", () => {
  const text = new TextEncoder().encode(
    "Dear Bob,\n\nplease set the table and start the meeting at ten.\n",
  );
  assert.equal(sniffBytes(text).loader, undefined);
  assert.equal(sniffBytes(text).mime, "text/plain");
});

Deno.test("sniffBytes() never throws on truncated executables", () => {
  for (const file of ["pe_exe.exe", "elf_pie.elf", "msi.msi", "macho_fat.o", "ole_macro.doc"]) {
    const bytes = readFileSync(join(BIN_FIXTURES, file));
    for (const cut of [1, 2, 4, 8, 16, 64, 100, 300, 600]) sniffBytes(bytes.subarray(0, cut));
  }
});

Deno.test("sniffBytes() reads a PDF of 100,000 /FlateDecode names that no stream follows as a plain PDF", () => {
  const pdf = `%PDF-1.5\n${"/FlateDecode stream ".repeat(100_000)}\n%%EOF\n`;
  const sniff = sniffBytes(new TextEncoder().encode(pdf));
  assert.equal(sniff.mime, "application/pdf");
  assert.equal(sniff.loader, undefined);
});

Deno.test("sniffBytes() finds JavaScript in an object stream after 20,000 stream-less names", () => {
  const script = deflateSync(new TextEncoder().encode("<< /S /JavaScript /JS (app.alert(1)) >>"));
  const head = new TextEncoder().encode(
    `%PDF-1.5\n${"/FlateDecode ".repeat(20_000)}\n` +
      "1 0 obj << /Type /ObjStm /Filter /FlateDecode >> stream\n",
  );
  const tail = new TextEncoder().encode("\nendstream endobj\n%%EOF\n");
  const pdf = new Uint8Array([...head, ...script, ...tail]);
  assert.equal(sniffBytes(pdf).loader?.type, "pdf-js");
});

/** A PDF of `streams` (dictionary, data) in objects 1, 2, ..., and `trailer`. */
function pdfOf(streams: [dictionary: string, data: Uint8Array][], trailer = ""): Uint8Array {
  const text = (t: string) => new TextEncoder().encode(t);
  const parts: Uint8Array[] = [text("%PDF-1.7\n")];
  streams.forEach(([dictionary, data], i) => {
    parts.push(
      text(`${i + 1} 0 obj\n${dictionary}\nstream\n`),
      data,
      text("\nendstream\nendobj\n"),
    );
  });
  parts.push(text(`trailer\n<< /Root 1 0 R ${trailer}>>\n%%EOF\n`));
  return concatBytes(parts);
}

const SCRIPT_OBJECTS = new TextEncoder().encode("1 0 << /S /JavaScript /JS (app.alert(1)) >>");
const PAGE = deflateSync(new TextEncoder().encode("BT /F1 12 Tf (a page) Tj ET"));

Deno.test("sniffBytes() searches every object stream of a PDF, after 300 page streams too", () => {
  const pages = Array.from(
    { length: 300 },
    (): [string, Uint8Array] => ["<< /Filter /FlateDecode >>", PAGE],
  );
  const pdf = pdfOf([...pages, [
    "<< /Type /ObjStm /Filter /FlateDecode >>",
    deflateSync(SCRIPT_OBJECTS),
  ]]);
  assert.equal(sniffBytes(pdf).loader?.detail, "JavaScript");
});

Deno.test("sniffBytes() reads 300 page streams and no object stream as a plain PDF", () => {
  const pages = Array.from(
    { length: 300 },
    (): [string, Uint8Array] => ["<< /Filter /FlateDecode >>", PAGE],
  );
  assert.equal(sniffBytes(pdfOf(pages)).loader, undefined);
});

Deno.test("sniffBytes() knows an object stream whose dictionary holds a string with 'obj' before its type", () => {
  const dictionary = "<< /Subject (the obj of it) /Type /ObjStm /Filter /FlateDecode >>";
  assert.equal(
    sniffBytes(pdfOf([[dictionary, deflateSync(SCRIPT_OBJECTS)]])).loader?.type,
    "pdf-js",
  );
});

/** A zlib stream whose first block stores `head` as it is, then deflates `tail`. */
function zlibStoredThenDeflated(head: Uint8Array, tail: Uint8Array): Uint8Array {
  const stored = [
    0,
    head.length & 0xff,
    head.length >> 8,
    ~head.length & 0xff,
    (~head.length >> 8) & 0xff,
  ];
  let a = 1;
  let b = 0;
  for (const byte of [...head, ...tail]) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  const adler = [b >> 8, b & 0xff, a >> 8, a & 0xff];
  return new Uint8Array([0x78, 0x01, ...stored, ...head, ...deflateRawSync(tail), ...adler]);
}

Deno.test("sniffBytes() inflates an object stream to its end, past an 'endstream' in its data", () => {
  const data = zlibStoredThenDeflated(
    new TextEncoder().encode("endstream\n"),
    new TextEncoder().encode("1 0 << /S /JavaScript /JS (app.alert(1)) >>"),
  );
  assert.equal(
    sniffBytes(pdfOf([["<< /Type /ObjStm /Filter /FlateDecode >>", data]])).loader?.type,
    "pdf-js",
  );
});

Deno.test("sniffBytes() calls a PDF whose object stream has filters other than FlateDecode alone pdf-js: fail closed", () => {
  const hex = new TextEncoder().encode(
    Array.from(deflateSync(SCRIPT_OBJECTS), (x) => x.toString(16).padStart(2, "0")).join("") + ">",
  );
  const dictionary = "<< /Type /ObjStm /Filter [/ASCIIHexDecode /FlateDecode] >>";
  assert.equal(sniffBytes(pdfOf([[dictionary, hex]])).loader?.type, "pdf-js");
});

Deno.test("sniffBytes() calls an encrypted PDF with an object stream pdf-js: fail closed", () => {
  // The stream's bytes as encryption leaves them: nothing that inflates.
  const encrypted = new Uint8Array(64).map((_, i) => (i * 151 + 7) & 0xff);
  const pdf = pdfOf([["<< /Type /ObjStm /Filter /FlateDecode >>", encrypted]], "/Encrypt 9 0 R ");
  assert.equal(sniffBytes(pdf).loader?.type, "pdf-js");
});

Deno.test("sniffBytes() finds an object stream behind a '%stream' comment", () => {
  const text = (t: string) => new TextEncoder().encode(t);
  const pdf = concatBytes([
    text(
      "%PDF-1.5\n%stream\n1 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode >>\nstream\n",
    ),
    deflateSync(SCRIPT_OBJECTS),
    text("\nendstream\nendobj\n%%EOF\n"),
  ]);
  assert.equal(sniffBytes(pdf).loader?.type, "pdf-js");
});

Deno.test("sniffBytes() knows an object stream whose dictionary has comments between its tokens", () => {
  const dictionary = "<< /Type %c\n/ObjStm /N %c\n1 /First %c\n4 /Filter /FlateDecode >>";
  assert.equal(
    sniffBytes(pdfOf([[dictionary, deflateSync(SCRIPT_OBJECTS)]])).loader?.type,
    "pdf-js",
  );
});

Deno.test("sniffBytes() searches an object stream that has no /Type (some readers do without it)", () => {
  const pdf = pdfOf([["<< /N 1 /First 4 /Filter /FlateDecode >>", deflateSync(SCRIPT_OBJECTS)]]);
  assert.equal(sniffBytes(pdf).loader?.type, "pdf-js");
});

Deno.test("sniffBytes() takes an outline's /First reference for no object stream", () => {
  const image = new Uint8Array(64).map((_, i) => (i * 151 + 7) & 0xff);
  const pdf = pdfOf([["<< /First 5 0 R /Last 6 0 R /N 2 /Filter /DCTDecode >>", image]]);
  assert.equal(sniffBytes(pdf).loader, undefined);
});

Deno.test("sniffBytes() calls a PDF of more object streams than it searches pdf-js: fail closed", () => {
  const empty = deflateSync(new Uint8Array(0));
  const streams = Array.from(
    { length: 1001 },
    (): [string, Uint8Array] => ["<< /Type /ObjStm /Filter /FlateDecode >>", empty],
  );
  assert.equal(sniffBytes(pdfOf(streams)).loader?.detail, "more object streams than are searched");
});

for (const file of ["ole_encrypted.docx", "ole_encrypted.doc", "ole_encrypted.xls"]) {
  Deno.test(`sniffBytes() tells the password-protected ${file} as ole-encrypted`, () => {
    assert.equal(sniffBytes(readFileSync(join(BIN_FIXTURES, file))).signature, "ole-encrypted");
  });
}

Deno.test("sniffBytes() reads a Package in a Word document's mini stream and types the executable", () => {
  const sniff = sniffBytes(readFileSync(join(BIN_FIXTURES, "ole_package_exe.doc")));
  assert.equal(sniff.signature, "ole-package");
  assert.deepEqual(sniff.loader?.type, "pe");
});

Deno.test("sniffBytes() does not call RTF text about \\objdata an object", () => {
  const sniff = sniffBytes(readFileSync(join(BIN_FIXTURES, "rtf_escaped_object_words.rtf")));
  assert.equal(sniff.signature, "rtf");
  assert.equal(sniff.loader, undefined);
});

Deno.test("sniffBytes() calls an MZ whose e_lfanew points inside the DOS header a PE", () => {
  const tiny = new Uint8Array(readFileSync(join(BIN_FIXTURES, "pe_exe.exe")));
  const offset = new DataView(tiny.buffer).getUint32(0x3c, true);
  // Move the PE header (signature, file header, optional header) to offset 4.
  const moved = new Uint8Array(tiny.length);
  moved.set(tiny.subarray(0, 4));
  moved.set(tiny.subarray(offset, offset + 0x200), 4);
  new DataView(moved.buffer).setUint32(0x3c, 4, true);
  assert.equal(sniffBytes(moved).loader?.type, "pe");
});

Deno.test("sniffBytes() calls a SYLK sheet without program-running formulas plain SYLK", () => {
  const sylk = new TextEncoder().encode("ID;PWXL;N;E\r\nC;Y1;X1;K1;ESUM(1,2)\r\nE\r\n");
  const sniff = sniffBytes(sylk);
  assert.equal(sniff.mime, "application/x-sylk");
  assert.equal(sniff.loader, undefined);
});
