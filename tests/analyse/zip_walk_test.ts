/**
 * The zip walk fails closed on zips that extractors unpack otherwise than zip.js lists or
 * reads them. The fixtures are built byte by byte (scripts/make_hostile_zips.py); each
 * comment says what Python's zipfile, unzip, 7-Zip or bsdtar give the user.
 */
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { walkArchiveFile } from "../_helpers/archive_walk.ts";
import type { ArchiveListing } from "../../src/analyse/archive_member.ts";
import { DEFAULT_LIMITS } from "../../src/message/mod.ts";

const HOSTILE = join(import.meta.dirname!, "../fixtures/zip_hostile");
const ORDINARY = join(import.meta.dirname!, "../fixtures/zip_ordinary");

function walk(file: string, dir = HOSTILE, limits = DEFAULT_LIMITS): Promise<ArchiveListing> {
  return walkArchiveFile("zip", join(dir, file), limits);
}

function codes(listing: ArchiveListing): string[] {
  return [...new Set(listing.problems.map((p) => p.code))].sort();
}

const CASES: [file: string, what: string, code: string][] = [
  [
    "unread.zip",
    "a member zip.js will not read (its local sizes differ; extractors unpack a PE)",
    "ARCHIVE_CONTENT_NOT_READ",
  ],
  [
    "budget2.zip",
    "a member after the expansion budget is spent (a PE, never read)",
    "ARCHIVE_CONTENT_NOT_READ",
  ],
  ["broken100.zip", "members whose deflate stream is cut short", "ARCHIVE_CONTENT_NOT_READ"],
  [
    "overlong.zip",
    "an inner zip that inflates past its declared size (extractors: evil.exe)",
    "ARCHIVE_CONTENT_NOT_READ",
  ],
  [
    "overlong3.zip",
    "an inner zip read only in part, whose part ends like a small zip of its own",
    "ARCHIVE_CONTENT_NOT_READ",
  ],
  [
    "z64count.zip",
    "a zip64 end record of 1 entry over a directory of 2 (extractors: evil.exe)",
    "ARCHIVE_NOT_LISTED",
  ],
  [
    "z64dup.zip",
    "two zip64 records in one entry (extractors take the first: a PE)",
    "ARCHIVE_NOT_LISTED",
  ],
  [
    "shift3.zip",
    "a directory displaced from where its end record says (extractors shift: a PE)",
    "ARCHIVE_NOT_LISTED",
  ],
  [
    "z64mismatch2.zip",
    "a zip64 end record that counts an entry more than the other (Python, 7-Zip: a PE)",
    "ARCHIVE_NOT_LISTED",
  ],
  [
    "upath_local_reg.zip",
    "an entry whose local Unicode Path field names it invoice.reg, its raw name invoice.txt",
    "ARCHIVE_NOT_LISTED",
  ],
  [
    "f1a.zip",
    "a zip64 end record pointing at another directory than the end record (Python: a.exe)",
    "ARCHIVE_NOT_LISTED",
  ],
  ["f1b.zip", "the same, the zip64 record's directory elsewhere again", "ARCHIVE_NOT_LISTED"],
  [
    "f2a.zip",
    "an end record and zip64 records inside the end record's comment (Python: a.exe)",
    "ARCHIVE_NOT_LISTED",
  ],
  ["f2b.zip", "the same, another layout", "ARCHIVE_NOT_LISTED"],
  [
    "f2c.zip",
    "a trailing directory record behind an agreeing-looking zip64 end in the comment (7-Zip: a.exe)",
    "ARCHIVE_NOT_LISTED",
  ],
  [
    "f3a.zip",
    "a raw name with a non-ASCII extension, its local Unicode Path a.url (bsdtar: a.url)",
    "ARCHIVE_NOT_LISTED",
  ],
  ["f3b.zip", "the same with another raw name", "ARCHIVE_NOT_LISTED"],
  [
    "g1a.zip",
    "a second end record after the first, not closing the file (Python: a.exe)",
    "ARCHIVE_NOT_LISTED",
  ],
  [
    "g2a.zip",
    "a directory and end record appended after the zip (Python, 7-Zip: a.exe)",
    "ARCHIVE_NOT_LISTED",
  ],
  ["g2b.zip", "the same, another count", "ARCHIVE_NOT_LISTED"],
  [
    "g3a.zip",
    "an end record of no entries over a member (7-Zip scans: a.exe)",
    "ARCHIVE_NOT_LISTED",
  ],
  ["g3c.zip", "the same, no directory at all", "ARCHIVE_NOT_LISTED"],
  ["g3d.zip", "the same, another layout", "ARCHIVE_NOT_LISTED"],
  ["g4b.zip", "a member's record before the first listed one (7-Zip: a.exe)", "ARCHIVE_NOT_LISTED"],
  ["g4c.zip", "the same behind ten bytes", "ARCHIVE_NOT_LISTED"],
  ["g4e.zip", "the same, another layout", "ARCHIVE_NOT_LISTED"],
  [
    "g6a.zip",
    "a locator at one zip64 record on disk 1, another record before it (Python: a.exe)",
    "ARCHIVE_NOT_LISTED",
  ],
  [
    "upath.zip",
    "an entry named run.txt by its Unicode Path field and run.js by its raw name",
    "ARCHIVE_NOT_LISTED",
  ],
  [
    "z64eocd.zip",
    "two zip64 end records (Python and 7-Zip read the other: a PE)",
    "ARCHIVE_NOT_LISTED",
  ],
  [
    "stream_gap_end.zip",
    "a record between the last member's data and the directory (streaming readers: a PE)",
    "ARCHIVE_NOT_LISTED",
  ],
  [
    "stream_gap_between.zip",
    "a record between two listed members (streaming readers: a PE)",
    "ARCHIVE_NOT_LISTED",
  ],
  [
    "stream_deflate_short.zip",
    "a deflate stream with a descriptor that ends inside its declared size, then a record",
    "ARCHIVE_NOT_LISTED",
  ],
  [
    "stream_stored_descriptor.zip",
    "a stored member with a descriptor inside its data, then a record (bsdtar: a PE)",
    "ARCHIVE_NOT_LISTED",
  ],
  [
    "stream_stored_any_descriptor.zip",
    "a stored member with any descriptor signature inside its data, then a record (bsdtar: a PE)",
    "ARCHIVE_NOT_LISTED",
  ],
  [
    "stream_zip64_extra_short_descriptor.zip",
    "a zip64 extra in the local header and a 16-byte descriptor (Java: a PE)",
    "ARCHIVE_NOT_LISTED",
  ],
  [
    "stream_unknown_method.zip",
    "a member of an unknown method with a descriptor (bsdtar: a PE)",
    "ARCHIVE_CONTENT_NOT_READ",
  ],
  [
    "stream_stored_crc_descriptor_past_size.zip",
    "a stored member whose CRC-matching descriptor lies past its local size (bsdtar -x)",
    "ARCHIVE_NOT_LISTED",
  ],
  [
    "stream_skip_by_local_size.zip",
    "a member with a descriptor and a local size, a record right after (bsdtar -t)",
    "ARCHIVE_NOT_LISTED",
  ],
  [
    "stream_directory_skip_by_local_size.zip",
    "the same for a directory entry (bsdtar -x: a PE)",
    "ARCHIVE_NOT_LISTED",
  ],
  [
    "central_sizes_zero_deflated.zip",
    "a deflated PE whose directory entry says 0 bytes (bsdtar, Java)",
    "ARCHIVE_CONTENT_NOT_READ",
  ],
  [
    "central_sizes_zero_stored.zip",
    "a stored PE whose directory entry says 0 bytes (unzip, 7z, bsdtar, Java)",
    "ARCHIVE_CONTENT_NOT_READ",
  ],
  [
    "stream_runs_off_inner_zip.zip",
    "a reading that runs off a stored inner zip's end to a PE (bsdtar -x)",
    "ARCHIVE_NOT_LISTED",
  ],
  [
    "stream_local_encrypted_flag.zip",
    "a local header that says encrypted, a record at its data (bsdtar -x)",
    "ARCHIVE_CONTENT_NOT_READ",
  ],
  [
    "zip_also_tar.zip",
    "a zip whose first record is also a tar header (tar readers: a PE)",
    "ARCHIVE_NOT_LISTED",
  ],
  [
    "stream_deflate_ends_early.zip",
    "no data descriptor, a deflate stream that ends early, a record in the rest (bsdtar -x)",
    "ARCHIVE_NOT_LISTED",
  ],
  [
    "stream_local_sizes_zero.zip",
    "a stored member whose local sizes are 0 without a descriptor (bsdtar: a PE behind text)",
    "ARCHIVE_NOT_LISTED",
  ],
  [
    "stream_gap_byte_after_end.zip",
    "a record before the directory, a byte after the end record (Java, bsdtar: a PE)",
    "ARCHIVE_NOT_LISTED",
  ],
  [
    "stream_directory_descriptor.zip",
    "a directory entry whose data holds a record, its descriptor, and a PE's record (bsdtar)",
    "ARCHIVE_NOT_LISTED",
  ],
  [
    "stream_declared_below_output.zip",
    "a deflate stream ending early that gives more than its declared size (Java, bsdtar)",
    "ARCHIVE_NOT_LISTED",
  ],
  [
    "stream_crc_descriptor_in_next.zip",
    "a descriptor whose CRC matches, inside the next member's data (bsdtar -x: a PE)",
    "ARCHIVE_NOT_LISTED",
  ],
  [
    "stream_local_size_smaller.zip",
    "a stored member with a descriptor flag and a smaller local size (bsdtar -t: a PE)",
    "ARCHIVE_NOT_LISTED",
  ],
  [
    "stream_stored_in_inner_member.zip",
    "the same inside a member of a zip stored in the zip (bsdtar: a PE)",
    "ARCHIVE_NOT_LISTED",
  ],
];

for (const [file, what, code] of CASES) {
  Deno.test(`zip walk fails closed: ${what} (${code})`, async () => {
    const listing = await walk(file);
    assert.ok(codes(listing).includes(code), `${file}: ${JSON.stringify(listing.problems)}`);
  });
}

Deno.test("zip walk: deflate streams are not followed past four times `expansion`: the zip is unchecked", async () => {
  // java_nested_zip.zip's deflated member holds a local record's signature (a stored zip
  // inside): its stream is inflated to its end, some 40 KB, to show it hides nothing.
  const limits = { ...DEFAULT_LIMITS, maxExpansionBytes: 5_000 };
  const listing = await walk("java_nested_zip.zip", ORDINARY, limits);
  const evidence = listing.problems.map((p) => p.evidence).join("; ");
  assert.match(evidence, /too costly to follow as streaming readers do/);
});

for (
  const file of ["dir_upper_dos.zip", "dir_dosbit.zip", "dir_dosbit_ntfs.zip", "dir_upper_unix.zip"]
) {
  Deno.test(`zip walk: an entry whose attributes say directory but whose name is a file's is read (${file})`, async () => {
    // Python, unzip, 7-Zip and bsdtar unpack invoice.exe; zip.js calls it a directory.
    const listing = await walk(file);
    const member = listing.members.find((m) => m.path === "invoice.exe");
    assert.equal(member?.sniff?.loader?.type, "pe", JSON.stringify(listing));
  });
}

Deno.test("zip walk: a directory entry that carries data is read (f4f.zip: a.exe\\, which Python writes as a file)", async () => {
  const listing = await walk("f4f.zip");
  const member = listing.members.find((m) => m.path.startsWith("a.exe"));
  assert.equal(member?.sniff?.loader?.type, "pe", JSON.stringify(listing));
});

Deno.test("zip walk: a member named evil.exe\\0/ is the file evil.exe, as extractors write it, and is read", async () => {
  const listing = await walk("name_nul_slash.zip");
  const member = listing.members.find((m) => m.path === "evil.exe");
  assert.equal(member?.sniff?.loader?.type, "pe", JSON.stringify(listing));
});

Deno.test("zip walk: a member named run.js/. is named run.js, as extractors write it", async () => {
  const listing = await walk("name_dot_component.zip");
  assert.deepEqual(listing.members.map((m) => m.name), ["run.js"]);
});

Deno.test("zip walk: members compressed with bzip2, LZMA or PPMd are unpacked by 7-Zip and sniffed", async () => {
  const exe = await walk("python_bzip2_exe.zip", ORDINARY);
  assert.equal(exe.members.find((m) => m.path === "setup.exe")?.sniff?.loader?.type, "pe");
  for (const file of ["python_lzma.zip", "7z_ppmd.zip"]) {
    const listing = await walk(file, ORDINARY);
    assert.ok(listing.members.every((m) => m.sniff?.mime === "text/plain"), file);
  }
});

Deno.test("zip walk: a member 7-Zip would unpack over another (a Unicode Path it takes, zip.js not) stays unchecked", async () => {
  const listing = await walk("sevenzip_name_collision.zip");
  assert.ok(
    listing.problems.some((p) => p.code === "ARCHIVE_CONTENT_NOT_READ"),
    JSON.stringify(listing),
  );
});

Deno.test("zip walk: a PE whose first block is also a tar header is sniffed as a PE and walked as a tar", async () => {
  const listing = await walk("pe_with_tar_header.zip");
  assert.equal(listing.members.find((m) => m.path === "setup.exe")?.sniff?.loader?.type, "pe");
});

// Archives inside members, however they begin: a zip behind other bytes, a tar named like a
// script, in members zip.js reads and in members 7-Zip unpacks, and a zip64 zip.
for (
  const file of [
    "member_text_then_zip.zip",
    "member_named_docx_then_zip.zip",
    "tar_member_text_then_zip.zip",
    "round5_bzip2_member_tar_first_name_shebang.zip",
    "round5_bzip2_member_text_then_zip.zip",
    "round5_member_text_then_zip64.zip",
    "round6_member_text_then_zip64_extensible.zip",
    "round6_member_text_then_zip_size_off.zip",
    "round6_bzip2_member_docx_then_zip.zip",
  ]
) {
  Deno.test(`zip walk: an archive inside a member is found however it begins (${file})`, async () => {
    const listing = await walk(file);
    const member = listing.members.find((m) => m.path.endsWith("/evil.exe"));
    assert.equal(
      member?.sniff?.loader?.type,
      "pe",
      JSON.stringify(listing.members.map((m) => m.path)),
    );
  });
}

Deno.test("zip walk: a zip behind a text whose end record's own fields are junk and whose zip64 record is right is unchecked", async () => {
  // Python reads it by the zip64 record; zip.js does not take it as it stands.
  const listing = await walk("round6_member_text_then_zip64_junk_fields.zip");
  assert.ok(listing.problems.some((p) => p.code === "ARCHIVE_NOT_LISTED"), JSON.stringify(listing));
});

Deno.test("zip walk: a member named like a zip too large to look for a zip behind its first bytes is unchecked", async () => {
  const limits = { ...DEFAULT_LIMITS, maxExpansionBytes: 50_000 };
  const listing = await walk("member_named_docx_then_zip.zip", HOSTILE, limits);
  assert.ok(
    listing.problems.some((p) => p.code === "ARCHIVE_NOT_LISTED"),
    JSON.stringify(listing.problems),
  );
});

Deno.test("zip walk: a member name is read up to its first NUL, as extractors write it (g5a.zip: a.url)", async () => {
  const listing = await walk("g5a.zip");
  assert.deepEqual(listing.members.map((m) => m.name), ["a.url"]);
});

// Zips as tools write them (tests/fixtures/zip_ordinary/README.md).
for (const file of readdirSync(ORDINARY).filter((f) => f.endsWith(".zip")).sort()) {
  Deno.test(`zip walk: ${file}, as its tool made it, has no problem`, async () => {
    const listing = await walk(file, ORDINARY);
    assert.deepEqual(listing.problems, []);
    assert.ok(listing.members.length > 0);
  });
}
