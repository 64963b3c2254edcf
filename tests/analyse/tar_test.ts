/**
 * The tar reader: tars that GNU tar, bsdtar or Python's tarfile unpack otherwise than a
 * reader of plain ustar headers (scripts/make_hostile_tars.py writes them) have their PE
 * read or are unchecked; tars as tools write them have no problem.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { walkArchiveFile } from "../_helpers/archive_walk.ts";
import { isTarHeader, tarNumber } from "../../src/analyse/_tar_header.ts";
import type { ArchiveListing } from "../../src/analyse/archive_member.ts";
import { sniffBytes } from "../../src/analyse/loader_signatures.ts";

const HOSTILE = join(import.meta.dirname!, "../fixtures/tar_hostile");
const ORDINARY = join(import.meta.dirname!, "../fixtures/tar_ordinary");

function walk(file: string, dir = HOSTILE): Promise<ArchiveListing> {
  return walkArchiveFile("tar", join(dir, file));
}

const READ_AS_READERS_DO: [file: string, what: string][] = [
  ["pax_size.tar", "a pax size record over a header that says 0 bytes"],
  ["type_contiguous.tar", "a contiguous file (type 7)"],
  ["type_unknown.tar", "a member of a type tar does not know (Z)"],
  ["size_base256.tar", "a size in GNU's base-256 form"],
];

for (const [file, what] of READ_AS_READERS_DO) {
  Deno.test(`tar: ${what} is read as tar readers read it: its PE is found (${file})`, async () => {
    const listing = await walk(file);
    const member = listing.members.find((m) => m.path === "a.txt");
    assert.equal(member?.sniff?.loader?.type, "pe", JSON.stringify(listing));
  });
}

Deno.test("tar: a Solaris X header is read as pax: its size gives the PE its place (solaris_x_header.tar)", async () => {
  const listing = await walk("solaris_x_header.tar");
  const member = listing.members.find((m) => m.path === "b.txt");
  assert.equal(member?.sniff?.loader?.type, "pe", JSON.stringify(listing));
});

Deno.test("tar fails closed: a zip after the end-of-archive block (tar_then_zip.zip: zip readers, a PE)", async () => {
  for (const file of ["tar_then_zip.zip", "tar_then_zip_rebased.zip"]) {
    const listing = await walkArchiveFile(
      "tar",
      join(import.meta.dirname!, "../fixtures/zip_hostile", file),
    );
    assert.ok(listing.problems.some((p) => p.code === "ARCHIVE_NOT_LISTED"), file);
  }
});

Deno.test("tar: a tar whose first member is named like a PDF's magic is sniffed as a tar and walked", async () => {
  const bytes = new Uint8Array(readFileSync(join(HOSTILE, "first_name_pdf_magic.tar")));
  assert.equal(sniffBytes(bytes).loader?.detail, "tar");
  const listing = await walk("first_name_pdf_magic.tar");
  assert.equal(listing.members.find((m) => m.path === "evil.exe")?.sniff?.loader?.type, "pe");
});

Deno.test("tar: a zip behind a text inside a member is walked too, as zip readers open the whole tar", async () => {
  const listing = await walk("zip_behind_text_in_member.tar");
  assert.equal(listing.members.find((m) => m.path === "evil.exe")?.sniff?.loader?.type, "pe");
});

Deno.test("tar: a gzip whose tar's first block is no header is unchecked (GNU tar skips to a PE)", async () => {
  const listing = await walkArchiveFile("gz", join(HOSTILE, "junk_first_block.tar.gz"));
  assert.ok(listing.problems.some((p) => p.code === "ARCHIVE_NOT_LISTED"), JSON.stringify(listing));
});

Deno.test("tar: a tar holding a zip whose end record's offset, counted from the tar's start, is another directory is read as a zip too, and unchecked", async () => {
  const listing = await walk("zip_offset_points_elsewhere.tar");
  assert.ok(listing.problems.some((p) => p.code === "ARCHIVE_NOT_LISTED"), JSON.stringify(listing));
});

Deno.test("sniffBytes() keeps a PDF's JavaScript when its first block is a tar header (it is walked as a tar too)", () => {
  for (const file of ["pdf_after_tar_end.pdf", "pdf_in_tar_member.pdf"]) {
    const sniff = sniffBytes(new Uint8Array(readFileSync(join(HOSTILE, file))));
    assert.equal(sniff.loader?.type, "pdf-js", file);
  }
});

Deno.test("tar: a gzip whose header holds a tar header is read as a gzip too (round5_gzip_that_is_a_tar.tar)", async () => {
  const listing = await walk("round5_gzip_that_is_a_tar.tar");
  assert.equal(listing.members.find((m) => m.path.endsWith("evil.exe"))?.sniff?.loader?.type, "pe");
});

Deno.test("tar: a tar whose first member is named like a script, in an xz stream, is walked (round5_tar_first_name_shebang.tar.xz)", async () => {
  const listing = await walkArchiveFile(
    "xz",
    join(HOSTILE, "round5_tar_first_name_shebang.tar.xz"),
  );
  assert.equal(listing.members.find((m) => m.path.endsWith("evil.exe"))?.sniff?.loader?.type, "pe");
});

Deno.test("tar: a pax path record names the member (pax_path.tar: evil.exe, a.txt by its header)", async () => {
  const listing = await walk("pax_path.tar");
  assert.deepEqual(listing.members.map((m) => m.path), ["evil.exe"]);
});

Deno.test("tar: a V7 tar, with no magic, is sniffed as a tar and walked (v7.tar)", async () => {
  const bytes = new Uint8Array(readFileSync(join(HOSTILE, "v7.tar")));
  assert.equal(sniffBytes(bytes).loader?.detail, "tar");
  const listing = await walk("v7.tar");
  assert.equal(listing.members[0]?.sniff?.loader?.type, "pe", JSON.stringify(listing));
});

const UNCHECKED: [file: string, what: string][] = [
  ["bad_checksum.tar", "a header whose checksum fails (GNU tar skips to a PE)"],
  ["directory_with_data.tar", "a directory carrying data (every reader reads a PE from it)"],
  ["after_end.tar", "a member after the end-of-archive block"],
  ["sparse.tar", "a GNU sparse member"],
  ["pax_global_size.tar", "a global pax header giving a size (libarchive ignores it, Python not)"],
  ["two_pax_headers.tar", "two pax headers for one member (Python applies the first last)"],
  ["size_nul_then_digits.tar", "a size field of a NUL and digits (Python and libarchive read 0)"],
  ["directory_name_type_nul.tar", "a file named d/ with data (readers take a directory)"],
  ["directory_name_type_0.tar", "the same, type 0"],
  ["global_pax_size_over_header.tar", "a global pax size (libarchive ignores it)"],
  ["junk_first_block.tar", "a first block that is no header (GNU tar skips to a PE)"],
  ["long_name_and_pax_path.tar", "a long name and a pax path (bsdtar and Python: evil.js)"],
  ["volume_label_with_data.tar", "a volume label with data (libarchive reads a header in it)"],
];

for (const [file, what] of UNCHECKED) {
  Deno.test(`tar fails closed: ${what} (${file}: ARCHIVE_NOT_LISTED)`, async () => {
    const listing = await walk(file);
    const codes = listing.problems.map((p) => p.code);
    assert.ok(codes.includes("ARCHIVE_NOT_LISTED"), JSON.stringify(listing.problems));
  });
}

for (const file of readdirSync(ORDINARY).filter((f) => f.endsWith(".tar")).sort()) {
  Deno.test(`tar: ${file}, as its tool made it, is listed with no problem`, async () => {
    const listing = await walk(file, ORDINARY);
    assert.deepEqual(listing.problems, []);
    assert.ok(listing.members.length > 0);
  });
}

Deno.test("tar: GNU tar's long names and pax paths give the member its whole path", async () => {
  for (const file of ["gnu_gnu.tar", "gnu_posix.tar", "bsdtar_pax.tar", "python_pax.tar"]) {
    const listing = await walk(file, ORDINARY);
    const deep = listing.members.find((m) => m.path.endsWith(".txt") && m.path.length > 200);
    assert.equal(deep?.path.split("/").at(-1), `${"f".repeat(120)}.txt`, file);
  }
});

Deno.test("tarNumber reads octal fields between spaces and NULs, and base-256", () => {
  const field = (text: string) => new TextEncoder().encode(text);
  assert.equal(tarNumber(field("0000644\0"), 0, 8), 0o644);
  assert.equal(tarNumber(field("   644 \0"), 0, 8), 0o644);
  assert.equal(tarNumber(field("\0\0\0\0\0\0\0\0"), 0, 8), 0);
  assert.equal(tarNumber(new Uint8Array([0x80, 0, 0, 0, 0, 0, 1, 0]), 0, 8), 256);
});

Deno.test("tarNumber refuses what readers do not read alike: other characters, digits after the end, negative base-256", () => {
  const field = (text: string) => new TextEncoder().encode(text);
  assert.equal(tarNumber(field("0000648\0"), 0, 8), undefined);
  assert.equal(tarNumber(field("12 34\0\0\0"), 0, 8), undefined);
  assert.equal(
    tarNumber(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), 0, 8),
    undefined,
  );
});

Deno.test("isTarHeader: a text of 512 bytes is no tar header", () => {
  const text = new TextEncoder().encode("Dear colleague, the minutes follow. ".repeat(15));
  assert.equal(isTarHeader(text), false);
});
