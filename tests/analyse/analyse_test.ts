import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { analyseMessage, type Analysis, normaliseFilename } from "../../src/analyse/mod.ts";
import { DEFAULT_LIMITS, parseMessage } from "../../src/message/mod.ts";
import { fixture } from "../_helpers/qmail_local.ts";
import {
  attachFixture,
  type Attachment,
  base64Lines,
  BIN_FIXTURES,
  multipartMessage,
} from "../_helpers/eml_builder.ts";
import { Uint8ArrayReader, Uint8ArrayWriter, ZipWriter } from "@zip.js/zip.js";
import { overlappingZip } from "../_helpers/zip_shapes.ts";

async function analyseFixture(name: string, limits = DEFAULT_LIMITS): Promise<Analysis> {
  return await analyseMessage(await parseMessage(readFileSync(fixture(name)), { limits }), {
    limits,
  });
}

async function analyseRaw(raw: string): Promise<Analysis> {
  return await analyseMessage(await parseMessage(new TextEncoder().encode(raw)));
}

function attachBytes(name: string, bytes: Uint8Array): Attachment {
  return {
    headers: `Content-Type: application/octet-stream; name="${name}"`,
    body: base64Lines(bytes),
  };
}

/** A zip written by zip.js holding the given files. */
async function zipOf(files: Record<string, Uint8Array>): Promise<Uint8Array> {
  const writer = new ZipWriter(new Uint8ArrayWriter(), { useWebWorkers: false });
  for (const [name, bytes] of Object.entries(files)) {
    await writer.add(name, new Uint8ArrayReader(bytes));
  }
  return await writer.close();
}

function findings(a: Analysis): string[] {
  return a.findings.map((f) => `${f.code} ${f.part}: ${f.evidence}`);
}

Deno.test("analyseMessage() judges an executable by its bytes, whatever its name and declared type", async () => {
  const a = await analyseFixture("attach_pe_named_txt.eml");
  const part = a.parts[1]!;
  assert.equal(part.filename, "notes.txt");
  assert.equal(part.declaredType, "text/plain");
  assert.equal(part.sniffedType, "application/vnd.microsoft.portable-executable");
  assert.deepEqual(part.loader, {
    type: "pe",
    detail: "exe",
    mime: "application/vnd.microsoft.portable-executable",
  });
  assert.equal(part.isBody, false);
});

Deno.test("analyseMessage() reports a double extension once per name", async () => {
  const a = await analyseFixture("attach_pe_double_extension.eml");
  assert.deepEqual(findings(a), ["FILENAME_DOUBLE_EXTENSION 2: invoice.pdf.exe"]);
});

Deno.test("analyseMessage() removes a right-to-left override from the name and reports it", async () => {
  const a = await analyseFixture("attach_rfc2231_bidi_filename.eml");
  assert.equal(a.parts[1]?.filename, "photogpj.scr");
  assert.deepEqual(findings(a), ["FILENAME_BIDI_CONTROL 2: photo\\u{202E}gpj.scr"]);
});

Deno.test("analyseMessage() strips trailing dots and spaces, as Windows does", async () => {
  const a = await analyseFixture("attach_trailing_dots_nul.eml");
  assert.equal(a.parts[1]?.filename, "report.exe");
  assert.deepEqual(findings(a), ["FILENAME_TRAILING_DOTS 2: report.exe. . "]);
});

Deno.test("analyseMessage() lists a zip in a zip and sniffs the executable inside", async () => {
  const a = await analyseFixture("attach_zip_nested_exe.eml");
  const members = a.parts[1]!.members.map((m) => [m.path, m.depth, m.sniff?.loader?.type ?? "-"]);
  assert.deepEqual(members, [["inner.zip", 1, "archive"], ["inner.zip/setup.exe", 2, "pe"], [
    "hello.txt",
    1,
    "-",
  ]]);
});

Deno.test("analyseMessage() stops opening nested zips at limits.maxArchiveDepth", async () => {
  const a = await analyseFixture("attach_zip_nested_exe.eml", {
    ...DEFAULT_LIMITS,
    maxArchiveDepth: 1,
  });
  assert.deepEqual(findings(a), ["ARCHIVE_TOO_DEEP 2: inner.zip: more than 1 nested archives"]);
  assert.deepEqual(a.parts[1]!.members.map((m) => m.path), ["inner.zip", "hello.txt"]);
});

Deno.test("analyseMessage() holds archive-members for the message's archives together, not for each", async () => {
  // Ten entries of one zip that all point at one inner zip of 100 members: listed once,
  // then the inner zip is not opened again.
  const limits = { ...DEFAULT_LIMITS, maxArchiveMembers: 100 };
  const inner = overlappingZip("a", new Uint8Array(0), 100, { deflate: false });
  const outer = overlappingZip("in.zip", inner, 10, { deflate: true });
  const raw = multipartMessage("Report", "overlapping", [attachBytes("r.zip", outer)]);
  const message = await parseMessage(new TextEncoder().encode(raw), { limits });
  const a = await analyseMessage(message, { limits });
  const members = a.parts.flatMap((p) => p.members);
  assert.equal(members.filter((m) => m.path === "in.zip/a").length, 100);
  assert.ok(members.length <= 110, `${members.length} members listed`);
  assert.ok(
    a.findings.some((f) =>
      f.code === "ARCHIVE_TOO_MANY_MEMBERS" && /in\.zip\/: not opened/.test(f.evidence)
    ),
    findings(a).join("\n"),
  );
});

Deno.test("analyseMessage() spends no expansion on an inner zip past archive-members", async () => {
  // Each of the ten entries has its head (here the whole inner zip) read to be sniffed, and
  // the first is then inflated to be listed: room for twelve. Were the nine copies past
  // archive-members inflated as well, the expansion would run out before the last ones.
  const inner = overlappingZip("a", new Uint8Array(0), 100, { deflate: false });
  const limits = {
    ...DEFAULT_LIMITS,
    maxArchiveMembers: 100,
    maxExpansionBytes: 12 * inner.length,
  };
  const outer = overlappingZip("in.zip", inner, 10, { deflate: true });
  const raw = multipartMessage("Report", "overlapping-budget", [attachBytes("r.zip", outer)]);
  const message = await parseMessage(new TextEncoder().encode(raw), { limits });
  const a = await analyseMessage(message, { limits });
  assert.deepEqual(a.findings.filter((f) => f.code === "ARCHIVE_NOT_LISTED"), []);
  assert.equal(a.findings.filter((f) => f.code === "ARCHIVE_TOO_MANY_MEMBERS").length, 9);
});

Deno.test("analyseMessage() reports an encrypted zip member", async () => {
  const a = await analyseFixture("attach_zip_encrypted.eml");
  assert.deepEqual(findings(a), ["ARCHIVE_ENCRYPTED 2: hello.txt"]);
  assert.equal(a.parts[1]!.members[0]?.encrypted, true);
});

Deno.test("analyseMessage() reports a zip bomb without inflating it", async () => {
  const a = await analyseFixture("attach_zip_bomb.eml");
  assert.deepEqual(findings(a), ["ARCHIVE_BOMB 2: zeros.bin: 20971520 bytes from 20362"]);
  assert.equal(a.parts[1]!.members[0]?.sniff, undefined);
});

Deno.test("analyseMessage() calls a .docm with a VBA project ooxml-macro", async () => {
  const a = await analyseFixture("attach_docm_with_macros.eml");
  assert.equal(a.parts[1]?.loader?.type, "ooxml-macro");
  assert.equal(a.parts[1]?.loader?.detail, "word/vbaproject.bin");
});

Deno.test("analyseMessage() does not call a .docm without macros a macro document", async () => {
  const a = await analyseFixture("attach_docm_without_macros.eml");
  assert.deepEqual(a.parts[1]?.loader, { type: "archive", detail: "zip", mime: "application/zip" });
});

Deno.test("analyseMessage() sniffs the files inside winmail.dat", async () => {
  const a = await analyseFixture("tnef_winmail.eml");
  const tnef = a.parts.filter((p) => p.origin === "tnef").map((
    p,
  ) => [p.filename, p.loader?.type ?? "-"]);
  assert.deepEqual(tnef, [["invoice.pdf.exe", "pe"], ["notes.txt", "-"]]);
});

Deno.test("analyseMessage() sniffs a uuencoded executable in a text body", async () => {
  const a = await analyseFixture("uuencode_in_body.eml");
  assert.equal(a.parts[1]?.loader?.type, "pe");
  assert.equal(a.parts[1]?.filename, "setup.exe");
});

Deno.test("analyseMessage() hashes every part with SHA-256", async () => {
  const a = await analyseFixture("attach_pe_named_txt.eml");
  const expected = await crypto.subtle.digest(
    "SHA-256",
    readFileSync("tests/fixtures/bin/pe_exe.exe"),
  );
  assert.equal(
    a.parts[1]?.sha256,
    [...new Uint8Array(expected)].map((b) => b.toString(16).padStart(2, "0")).join(""),
  );
});

Deno.test("analyseMessage() reports members that declare more than can be unpacked in all", async () => {
  // Ten members of 20 MiB of zeros each: every ratio is checked, and so is the sum.
  const limits = {
    ...DEFAULT_LIMITS,
    maxExpansionBytes: 1024 * 1024,
    maxCompressionRatio: 100_000,
  };
  const a = await analyseFixture("attach_zip_bomb.eml", limits);
  assert.deepEqual(findings(a), ["ARCHIVE_BOMB 2: archive: members declare 20971520 bytes in all"]);
});

Deno.test("analyseMessage() lists a zip member named ../x and sniffs the executable beside it", async () => {
  const a = await analyseFixture("attach_zip_unsafe_member_name.eml");
  const zip = a.parts[1]!;
  assert.deepEqual(zip.members.map((m) => m.path), ["../x", "invoice.exe"]);
  assert.equal(zip.members[1]?.sniff?.loader?.type, "pe");
  assert.deepEqual(findings(a), ["FILENAME_PATH 2: ../x"]);
});

Deno.test("analyseMessage() reports a password-protected Office document as DOCUMENT_ENCRYPTED", async () => {
  const a = await analyseFixture("attach_docx_encrypted.eml");
  assert.deepEqual(findings(a), ["DOCUMENT_ENCRYPTED 2: contract.docx"]);
});

Deno.test("analyseMessage() reports an encrypted Office document inside a zip", async () => {
  const zip = await zipOf({ "contract.docx": readFileSync(`${BIN_FIXTURES}/ole_encrypted.docx`) });
  const a = await analyseRaw(multipartMessage("Docs", "zip-docx", [attachBytes("docs.zip", zip)]));
  assert.deepEqual(findings(a), ["DOCUMENT_ENCRYPTED 2: contract.docx"]);
});

/** Members of an archive attached alone: path, depth, encrypted and what the bytes are. */
async function membersOf(file: string): Promise<{ members: string[]; findings: string[] }> {
  const a = await analyseRaw(multipartMessage("Archive", "archive", [attachFixture(file)]));
  return {
    members: a.parts[1]!.members.map((m) =>
      `${m.path} ${m.depth}${m.encrypted ? " encrypted" : ""} ${m.sniff?.signature ?? "-"}`
    ),
    findings: findings(a),
  };
}

for (
  const file of [
    "7z_exe.7z",
    "rar5_exe.rar",
    "cab_exe.cab",
    "tar_bz2_exe.tar.bz2",
    "tar_xz_exe.tar.xz",
  ]
) {
  Deno.test(`analyseMessage() unpacks ${file} with 7-Zip and sniffs the executable`, async () => {
    const { members, findings } = await membersOf(file);
    assert.deepEqual(members.sort(), ["hello.txt 1 text", "setup.exe 1 pe"]);
    assert.deepEqual(findings, []);
  });
}

Deno.test("analyseMessage() unpacks a RAR 5 archive with 7-Zip and sniffs its member", async () => {
  assert.deepEqual(await membersOf("rar5.rar"), { members: ["hello.txt 1 text"], findings: [] });
});

Deno.test("analyseMessage() reports a 7z whose content is encrypted, naming the member", async () => {
  assert.deepEqual(await membersOf("7z_encrypted.7z"), {
    members: ["setup.exe 1 encrypted -"],
    findings: ["ARCHIVE_ENCRYPTED 2: setup.exe"],
  });
});

Deno.test("analyseMessage() reports a 7z whose names are encrypted as not listed", async () => {
  assert.deepEqual(await membersOf("7z_encrypted_names.7z"), {
    members: [],
    findings: ["ARCHIVE_NOT_LISTED 2: 7z: names are in a compressed (or encrypted) header"],
  });
});

Deno.test("analyseMessage() stops a bzip2 bomb at the compression ratio, unpacking no more", async () => {
  const { members, findings } = await membersOf("bz2_bomb.bz2");
  assert.deepEqual(members, ["(bzip2 content) 1 -"]);
  assert.deepEqual(findings, ["ARCHIVE_BOMB 2: bz2: more than 22600 bytes from 113"]);
});

Deno.test("analyseMessage() opens a 7z inside a zip under the same budget", async () => {
  const zip = await zipOf({ "pack.7z": bin("7z_exe.7z") });
  const a = await analyseRaw(multipartMessage("Zip", "zip-7z", [attachBytes("p.zip", zip)]));
  assert.deepEqual(a.parts[1]!.members.map((m) => `${m.path} ${m.sniff?.signature ?? "-"}`), [
    "pack.7z 7z",
    "pack.7z/hello.txt text",
    "pack.7z/setup.exe pe",
  ]);
});

Deno.test("analyseMessage() leaves 7z members unpacked when they exceed the expansion budget", async () => {
  const limits = { ...DEFAULT_LIMITS, maxExpansionBytes: 1000 };
  const a = await analyseMessage(
    await parseMessage(
      new TextEncoder().encode(multipartMessage("7z", "7z", [attachFixture("7z_exe.7z")])),
      { limits },
    ),
    { limits },
  );
  assert.deepEqual(findings(a), [
    "ARCHIVE_NOT_LISTED 2: 7z: 2054 bytes exceed the expansion budget or are not declared",
  ]);
  assert.ok(a.parts[1]!.members.every((m) => m.sniff === undefined));
});

function pictureMessage(name: string, bytes: Uint8Array): string {
  return multipartMessage("Photo", "photo", [{
    headers: `Content-Type: image/png; name="${name}"`,
    body: base64Lines(bytes),
  }]);
}

function bin(name: string): Uint8Array {
  return new Uint8Array(readFileSync(`${BIN_FIXTURES}/${name}`));
}

function concat(...chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

for (const file of ["image_png.png", "image_jpeg.jpg", "image_gif.gif"]) {
  Deno.test(`analyseMessage() calls ${file}, which ends at its end marker, media only`, async () => {
    const a = await analyseRaw(pictureMessage(file, bin(file)));
    assert.equal(a.parts[1]!.mediaOnly, true);
    assert.deepEqual(findings(a), []);
  });
}

Deno.test("analyseMessage() records TRAILING_DATA for text after a PNG's IEND", async () => {
  const png = bin("image_png.png");
  const tail = new TextEncoder().encode("appended text, 28 bytes....\n");
  const a = await analyseRaw(pictureMessage("p.png", concat(png, tail)));
  assert.equal(a.parts[1]!.mediaOnly, false);
  assert.deepEqual(findings(a), [
    `TRAILING_DATA 2: image/png: 28 bytes after the end at ${png.length}`,
  ]);
});

Deno.test("analyseMessage() records TRAILING_DATA for an executable after a JPEG's EOI", async () => {
  const jpeg = bin("image_jpeg.jpg");
  const a = await analyseRaw(pictureMessage("p.jpg", concat(jpeg, bin("pe_exe.exe"))));
  assert.deepEqual(findings(a), [
    `TRAILING_DATA 2: image/jpeg: 2048 bytes after the end at ${jpeg.length}, pe signature at ${jpeg.length}`,
  ]);
});

Deno.test("analyseMessage() records TRAILING_DATA for a GIF cut before its trailer", async () => {
  const gif = bin("image_gif.gif");
  const a = await analyseRaw(pictureMessage("p.gif", gif.subarray(0, gif.length - 1)));
  assert.equal(a.parts[1]!.mediaOnly, false);
  assert.deepEqual(findings(a), [
    "TRAILING_DATA 2: image/gif: structure does not reach an end marker",
  ]);
});

Deno.test("analyseMessage() records TRAILING_DATA for a zip inside a PNG chunk", async () => {
  const png = bin("image_png.png");
  const zip = bin("zip.zip");
  // A private ancillary chunk ("zzZz") carrying the zip, inserted after IHDR (8 + 25 bytes).
  const chunk = new Uint8Array(12 + zip.length);
  new DataView(chunk.buffer).setUint32(0, zip.length);
  chunk.set(new TextEncoder().encode("zzZz"), 4);
  chunk.set(zip, 8);
  const a = await analyseRaw(
    pictureMessage("p.png", concat(png.subarray(0, 33), chunk, png.subarray(33))),
  );
  assert.equal(a.parts[1]!.mediaOnly, false);
  assert.deepEqual(findings(a), ["TRAILING_DATA 2: image/png: zip signature at 41"]);
});

Deno.test("normaliseFilename() keeps a name with 50,000 inner '. ' pairs (no trailing run) whole", () => {
  const name = `invoice${". ".repeat(50_000)}exe`;
  const n = normaliseFilename(name);
  assert.equal(n.name, name);
  assert.equal(n.hadTrailingDotsOrSpaces, false);
  assert.equal(normaliseFilename(`${name}. . `).name, name);
});

Deno.test("analyseMessage() lists a plain tar and sniffs the executable in it", async () => {
  const a = await analyseRaw(multipartMessage("Tar", "tar", [attachFixture("tar_exe.tar")]));
  const members = a.parts[1]!.members;
  assert.deepEqual(members.map((m) => [m.path, m.sniff?.loader?.type ?? "-"]), [
    ["setup.exe", "pe"],
    ["hello.txt", "-"],
  ]);
  assert.deepEqual(findings(a), []);
});

Deno.test("analyseMessage() opens a tar.gz inside a zip and sniffs the executable two archives down", async () => {
  const a = await analyseRaw(
    multipartMessage("Zip", "zip-tgz", [attachFixture("zip_tgz_exe.zip")]),
  );
  const members = a.parts[1]!.members;
  assert.deepEqual(members.map((m) => [m.path, m.depth, m.sniff?.loader?.type ?? "-"]), [
    ["bundle.tgz", 1, "archive"],
    ["bundle.tgz/setup.exe", 2, "pe"],
    ["bundle.tgz/hello.txt", 2, "-"],
  ]);
});

Deno.test("analyseMessage() opens a zip inside a tar, under the same depth limit", async () => {
  const tar = await tarOf({ "inner.zip": bin("zip_nested_exe.zip") });
  const a = await analyseRaw(multipartMessage("Tar", "tar-zip", [attachBytes("t.tar", tar)]));
  assert.deepEqual(a.parts[1]!.members.map((m) => m.path), [
    "inner.zip",
    "inner.zip/inner.zip",
    "inner.zip/inner.zip/setup.exe",
    "inner.zip/hello.txt",
  ]);
  const shallow = await analyseMessage(
    await parseMessage(new TextEncoder().encode(
      multipartMessage("Tar", "tar-zip", [attachBytes("t.tar", tar)]),
    )),
    { limits: { ...DEFAULT_LIMITS, maxArchiveDepth: 2 } },
  );
  assert.deepEqual(findings(shallow), [
    "ARCHIVE_TOO_DEEP 2: inner.zip/inner.zip: more than 2 nested archives",
  ]);
});

/** A POSIX ustar archive of the given files, written field by field (IEEE 1003.1). */
function tarOf(files: Record<string, Uint8Array>): Promise<Uint8Array> {
  const blocks: Uint8Array[] = [];
  for (const [name, bytes] of Object.entries(files)) {
    const header = new Uint8Array(512);
    const put = (at: number, text: string): void => header.set(new TextEncoder().encode(text), at);
    put(0, name);
    put(100, "0000644\0");
    put(108, "0000000\0");
    put(116, "0000000\0");
    put(124, `${bytes.length.toString(8).padStart(11, "0")}\0`);
    put(136, "00000000000\0");
    put(148, "        ");
    put(156, "0");
    put(257, "ustar\x0000");
    const sum = header.reduce((n, b) => n + b, 0);
    put(148, `${sum.toString(8).padStart(6, "0")}\0 `);
    blocks.push(header, bytes, new Uint8Array((512 - (bytes.length % 512)) % 512));
  }
  blocks.push(new Uint8Array(1024));
  return Promise.resolve(concat(...blocks));
}

Deno.test("analyseMessage() reports a 7z bomb from its declared sizes without unpacking it", async () => {
  const { members, findings } = await membersOf("7z_bomb.7z");
  assert.deepEqual(members, ["zeros.bin 1 -"]);
  assert.equal(findings.length, 1);
  assert.match(findings[0]!, /^ARCHIVE_BOMB 2: /);
});

Deno.test("analyseMessage() lists the files of an ISO 9660 image with 7-Zip", async () => {
  assert.deepEqual(await membersOf("iso9660.iso"), { members: ["HELLO.TXT 1 text"], findings: [] });
});

Deno.test("normaliseFilename() reads 'setup.exe/' and 'setup.exe\\' as setup.exe, not as an empty name", () => {
  assert.equal(normaliseFilename("setup.exe/").name, "setup.exe");
  assert.equal(normaliseFilename("dir\\setup.exe\\\\").name, "setup.exe");
  assert.equal(normaliseFilename("setup.exe/").hadPath, true);
});

Deno.test("normaliseFilename() drops the NTFS data-stream suffix: 'x.exe::$DATA' is x.exe", () => {
  assert.equal(normaliseFilename("invoice.exe::$DATA").name, "invoice.exe");
  assert.equal(normaliseFilename("invoice.exe::$data").name, "invoice.exe");
});

Deno.test("analyseMessage() reports a zip whose member's own header names it otherwise (readme.txt / readme.exe)", async () => {
  const a = await analyseFixture("attach_zip_local_name_differs.eml");
  const finding = a.findings.find((f) => f.code === "ARCHIVE_NOT_LISTED");
  assert.match(finding?.evidence ?? "", /readme\.txt: the member's own header names it otherwise/);
});

Deno.test("analyseMessage() finds no name disagreement in an ordinary zip", async () => {
  const a = await analyseFixture("attach_zip_nested_exe.eml");
  assert.equal(a.findings.some((f) => f.code === "ARCHIVE_NOT_LISTED"), false);
});

Deno.test("analyseMessage() hashes a part under 1 KiB when its hash is read, as node:crypto does", async () => {
  const text = "Hello Bob,\n\nthe minutes are attached.\n";
  const bytes = new TextEncoder().encode(
    `From: a@example.net\nTo: b@example.org\nSubject: s\n\n${text}`,
  );
  const a = await analyseMessage(await parseMessage(bytes));
  const expected = createHash("sha256").update(new TextEncoder().encode(text)).digest("hex");
  assert.equal(a.parts[0]?.sha256, expected);
  assert.equal(a.parts[0]?.sha256, expected);
  assert.equal(JSON.parse(JSON.stringify(a.parts[0]))["sha256"], expected);
});

Deno.test("analyseMessage() walks a zip appended to a gzip too: zip readers open it by its end record", async () => {
  const bytes = readFileSync(join(import.meta.dirname!, "../fixtures/zip_hostile/gz_then_zip.gz"));
  const a = await analyseRaw(
    multipartMessage("Gz", "gz-zip", [attachBytes("report.zip", new Uint8Array(bytes))]),
  );
  const member = a.parts[1]!.members.find((m) => m.path === "evil.exe");
  assert.equal(member?.sniff?.loader?.type, "pe");
});
