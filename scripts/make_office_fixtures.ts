// deno-lint-ignore-file no-console
/**
 * Office fixtures from real writers: OLE2 compound files by the `cfb` package (SheetJS's
 * CFB writer, the one its spreadsheet writer uses) and OOXML containers by
 * @zip.js/zip.js. Called by scripts/make_fixtures.sh with the output directory.
 */
import CFB from "cfb";
import { BlobWriter, TextReader, Uint8ArrayReader, ZipWriter } from "@zip.js/zip.js";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const out = Deno.args[0] ?? "tests/fixtures/bin";
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

function compound(streams: Record<string, Uint8Array>): Uint8Array {
  const cfb = CFB.utils.cfb_new();
  for (const [path, content] of Object.entries(streams)) CFB.utils.cfb_add(cfb, path, content);
  return new Uint8Array(CFB.write(cfb, { type: "array" }) as number[]);
}

// A Word 97 document with a VBA project (Macros/VBA), one without, and a vbaProject.bin.
const vbaSource = bytes(
  'Attribute VB_Name = "ThisDocument"\r\nSub AutoOpen()\r\nShell "calc.exe"\r\nEnd Sub\r\n',
);
writeFileSync(
  join(out, "ole_macro.doc"),
  compound({
    "/WordDocument": bytes("word document stream"),
    "/1Table": bytes("table stream"),
    "/Macros/PROJECT": bytes(
      'ID="{00000000-0000-0000-0000-000000000000}"\r\nDocument=ThisDocument/&H00000000\r\n',
    ),
    "/Macros/VBA/_VBA_PROJECT": new Uint8Array([0xcc, 0x61, 0xff, 0xff, 0x00, 0x00, 0x00]),
    "/Macros/VBA/dir": bytes("dir stream"),
    "/Macros/VBA/ThisDocument": vbaSource,
  }),
);
writeFileSync(
  join(out, "ole_plain.doc"),
  compound({ "/WordDocument": bytes("word document stream"), "/1Table": bytes("table stream") }),
);
const vbaProject = compound({
  "/PROJECT": bytes('ID="{00000000-0000-0000-0000-000000000000}"\r\n'),
  "/VBA/_VBA_PROJECT": new Uint8Array([0xcc, 0x61, 0xff, 0xff, 0x00, 0x00, 0x00]),
  "/VBA/dir": bytes("dir stream"),
  "/VBA/ThisDocument": vbaSource,
});

/**
 * An Excel 97 workbook stream (BIFF8): BOF, one BOUNDSHEET per sheet (sheet type 0 for
 * a worksheet, 1 for an Excel 4.0 macro sheet), EOF; padded past 4096 bytes so it is a
 * regular stream, as real workbooks are.
 */
function workbook(sheets: readonly [name: string, type: number][], password = false): Uint8Array {
  const records: number[] = [];
  const record = (type: number, data: number[]): void => {
    records.push(type & 0xff, type >> 8, data.length & 0xff, data.length >> 8, ...data);
  };
  record(0x0809, [
    0x00,
    0x06,
    0x05,
    0x00,
    0xaf,
    0x18,
    0xcd,
    0x07,
    0xc1,
    0x00,
    0x01,
    0x00,
    0x06,
    0x04,
    0x00,
    0x00,
  ]);
  // FILEPASS with RC4 CryptoAPI encryption (type 1, version 4.2), as Excel writes it
  // right after BOF when a workbook has a password to open.
  if (password) record(0x002f, [0x01, 0x00, 0x04, 0x00, 0x02, 0x00, ...new Array(48).fill(0)]);
  for (const [name, type] of sheets) {
    record(0x0085, [
      0,
      0,
      0,
      0,
      0x00,
      type,
      name.length,
      0x00,
      ...[...name].map((c) => c.charCodeAt(0)),
    ]);
  }
  record(0x000a, []);
  const out = new Uint8Array(8192);
  out.set(records);
  return out;
}
writeFileSync(
  join(out, "ole_xlm.xls"),
  compound({ "/Workbook": workbook([["Sheet1", 0], ["Macro1", 1]]) }),
);
writeFileSync(
  join(out, "ole_plain.xls"),
  compound({ "/Workbook": workbook([["Sheet1", 0], ["Sheet2", 0]]) }),
);

async function ooxml(name: string, files: Record<string, string | Uint8Array>): Promise<void> {
  const writer = new ZipWriter(new BlobWriter("application/zip"));
  for (const [path, content] of Object.entries(files)) {
    await writer.add(
      path,
      typeof content === "string" ? new TextReader(content) : new Uint8ArrayReader(content),
    );
  }
  const blob = await writer.close();
  writeFileSync(join(out, name), new Uint8Array(await blob.arrayBuffer()));
}

const contentTypes = (main: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
  `<Default Extension="xml" ContentType="application/xml"/><Override PartName="/${main}" ContentType="application/xml"/></Types>`;
const rels = (main: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
  `<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="${main}"/></Relationships>`;
const document =
  `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Hello</w:t></w:r></w:p></w:body></w:document>`;

await ooxml("ooxml_macro.docm", {
  "[Content_Types].xml": contentTypes("word/document.xml"),
  "_rels/.rels": rels("word/document.xml"),
  "word/document.xml": document,
  "word/vbaProject.bin": vbaProject,
});
await ooxml("ooxml_plain.docm", {
  "[Content_Types].xml": contentTypes("word/document.xml"),
  "_rels/.rels": rels("word/document.xml"),
  "word/document.xml": document,
});
await ooxml("ooxml_xlm.xlsm", {
  "[Content_Types].xml": contentTypes("xl/workbook.xml"),
  "_rels/.rels": rels("xl/workbook.xml"),
  "xl/workbook.xml":
    `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>`,
  "xl/macrosheets/sheet1.xml":
    `<?xml version="1.0" encoding="UTF-8"?><xm:macrosheet xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"/>`,
});
/**
 * A password-protected Word document as Office saves it ([MS-OFFCRYPTO] 2.3.4.10, agile
 * encryption): a compound file with an EncryptionInfo stream (version 4.4, flags 0x40,
 * then the XML descriptor) and an EncryptedPackage stream (the package size as a 64-bit
 * number, then the ciphertext, here random bytes: nothing can be read without the key).
 */
const encryptionXml = bytes(
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<encryption xmlns="http://schemas.microsoft.com/office/2006/encryption"><keyData saltSize="16" blockSize="16" keyBits="256" hashSize="64" cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512" saltValue="AAAAAAAAAAAAAAAAAAAAAA=="/></encryption>',
);
const encryptionInfo = new Uint8Array(8 + encryptionXml.length);
encryptionInfo.set([4, 0, 4, 0, 0x40, 0, 0, 0]);
encryptionInfo.set(encryptionXml, 8);
const ciphertext = crypto.getRandomValues(new Uint8Array(8192));
const encryptedPackage = new Uint8Array(8 + ciphertext.length);
new DataView(encryptedPackage.buffer).setBigUint64(0, BigInt(ciphertext.length), true);
encryptedPackage.set(ciphertext, 8);
writeFileSync(
  join(out, "ole_encrypted.docx"),
  compound({ "/EncryptionInfo": encryptionInfo, "/EncryptedPackage": encryptedPackage }),
);
writeFileSync(
  join(out, "ole_encrypted.xls"),
  compound({ "/Workbook": workbook([["Sheet1", 0]], true) }),
);

/** A Word 97 FIB start: wIdent 0xA5EC, nFib 0x00C1, and the flags word at 0x0A. */
function wordDocument(flags: number): Uint8Array {
  const fib = new Uint8Array(1024);
  const view = new DataView(fib.buffer);
  view.setUint16(0, 0xa5ec, true);
  view.setUint16(2, 0x00c1, true);
  view.setUint16(0x0a, flags, true);
  return fib;
}
// fEncrypted (0x0100) with fObfuscated clear: RC4 encryption, as Word's "password to open".
writeFileSync(
  join(out, "ole_encrypted.doc"),
  compound({ "/WordDocument": wordDocument(0x0100), "/1Table": bytes("encrypted table") }),
);

/**
 * The native data of an OLE Package object (the Packager's format, as in
 * [MS-OLEDS] Ole10Native streams): type 2, label, source path, two words, the temporary
 * path behind its length, the file behind its length.
 */
function packageNative(label: string, path: string, data: Uint8Array): Uint8Array {
  const text = (s: string): number[] => [...bytes(s), 0];
  const u32 = (n: number): number[] => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24];
  const temp = text(`C:\\Users\\user\\AppData\\Local\\Temp\\${label}`);
  return Uint8Array.from([
    2,
    0,
    ...text(label),
    ...text(path),
    0,
    0,
    3,
    0,
    ...u32(temp.length),
    ...temp,
    ...u32(data.length),
    ...data,
  ]);
}
const exe = new Uint8Array(readFileSync(join(out, "pe_exe.exe")));
const native = packageNative("invoice.exe", "C:\\invoice.exe", exe);
// A Word document with an embedded Package holding an executable (2 KiB: in the mini stream).
const ole10Native = new Uint8Array(4 + native.length);
new DataView(ole10Native.buffer).setUint32(0, native.length, true);
ole10Native.set(native, 4);
writeFileSync(
  join(out, "ole_package_exe.doc"),
  compound({
    "/WordDocument": wordDocument(0),
    "/1Table": bytes("table stream"),
    "/ObjectPool/_1700000001/\u0001Ole10Native": ole10Native,
  }),
);

// The same Package as an OLE 1.0 object in RTF \objdata (hex), as Word saves it.
const ole1 = Uint8Array.from([
  0x01,
  0x05,
  0,
  0,
  2,
  0,
  0,
  0,
  8,
  0,
  0,
  0,
  ...bytes("Package"),
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  ...[native.length & 0xff, (native.length >> 8) & 0xff, (native.length >> 16) & 0xff, 0],
  ...native,
]);
const hex = [...ole1].map((b) => b.toString(16).padStart(2, "0")).join("").replace(
  /.{128}/g,
  "$&\r\n",
);
writeFileSync(
  join(out, "rtf_package_exe.rtf"),
  `{\\rtf1\\ansi See the invoice.\\par{\\object\\objemb{\\*\\objclass Package}{\\*\\objdata\r\n${hex}}}}\r\n`,
);
// Text about RTF: the control words are escaped (\\objdata), so no object is embedded.
writeFileSync(
  join(out, "rtf_escaped_object_words.rtf"),
  "{\\rtf1\\ansi The \\\\objdata and \\\\objemb control words hold an object.\\par}\r\n",
);
/**
 * A PowerPoint 97-2003 presentation with a VBA project ([MS-PPT]): the "PowerPoint
 * Document" stream holds a DocumentContainer (0x03E8) with a DocumentAtom and a
 * VBAInfoContainer (0x03FF) whose VBAInfoAtom (0x0400) refers to the persisted,
 * compressed VBA storage.
 */
function pptRecord(version: number, instance: number, type: number, body: number[]): number[] {
  const verInst = version | (instance << 4);
  const n = body.length;
  return [
    verInst & 0xff,
    verInst >> 8,
    type & 0xff,
    type >> 8,
    n & 0xff,
    (n >> 8) & 0xff,
    0,
    0,
    ...body,
  ];
}
const documentAtom = pptRecord(0x1, 0, 0x03e9, new Array(40).fill(0));
const vbaInfo = pptRecord(
  0xf,
  0,
  0x03ff,
  pptRecord(0x2, 0, 0x0400, [1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0]),
);
const presentation = new Uint8Array(8192);
presentation.set(pptRecord(0xf, 0, 0x03e8, [...documentAtom, ...vbaInfo]));
writeFileSync(
  join(out, "ole_macro.ppt"),
  compound({ "/PowerPoint Document": presentation, "/Current User": bytes("current user") }),
);

// SYLK as Excel writes it (ID, cell records, E): a formula that runs a program on
// opening, Excel 4.0 style; no free writer on Debian emits SYLK macros.
writeFileSync(
  join(out, "sylk_xlm.slk"),
  'ID;PWXL;N;E\r\nP;PGeneral\r\nC;Y1;X1;K0;EEXEC("calc.exe")\r\nC;Y2;X1;K0;EHALT()\r\nE\r\n',
);
console.log("office fixtures written");
