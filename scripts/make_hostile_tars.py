#!/usr/bin/env python3
"""
Writes tests/fixtures/tar_hostile/*.tar: tars built block by block that GNU tar, bsdtar or
Python's tarfile unpack otherwise than a reader of plain ustar headers would: each hides a
PE behind such a reading. The tests in tests/analyse/tar_test.ts hold that qmvc either
reads the PE or calls the tar unchecked.
Run from the repository's root: python3 scripts/make_hostile_tars.py
"""
import gzip, os, struct, sys, tarfile, zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_hostile_zips import MZ, TXT, simple  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "tar_hostile")
END = b"\0" * 1024


def pad(b):
    return b + b"\0" * ((512 - len(b) % 512) % 512)


def checksummed(h):
    h = bytearray(h)
    h[148:156] = b" " * 8
    h[148:156] = b"%06o\0 " % sum(h)
    return bytes(h)


def header(name, size, typ=b"0", magic=True):
    info = tarfile.TarInfo(name)
    info.size = size
    info.type = typ
    info.mtime = 0
    h = bytearray(info.tobuf(format=tarfile.USTAR_FORMAT)[:512])
    if not magic:
        h[257:265] = b"\0" * 8
    return checksummed(h)


def pax(records, typ=b"x", name="././@PaxHeader"):
    body = b""
    for key, value in records:
        rec = b" %s=%s\n" % (key, value)
        n = len(rec) + 1
        while len(b"%d" % n + rec) != n:
            n += 1
        body += b"%d" % n + rec
    return header(name, len(body), typ) + pad(body)


def write(name, data):
    with open(os.path.join(OUT, name + ".tar"), "wb") as f:
        f.write(data)


def with_field(h, at, value):
    """The header `h` with `value` written at `at`, checksummed again."""
    h = bytearray(h)
    h[at:at + len(value)] = value
    return checksummed(bytes(h))


def make_second_review():
    # Each hides b.txt, a PE, where qmvc read another member's data; the reader that
    # unpacks it is named.
    junk = pad(TXT)
    b_txt = header("b.txt", len(MZ)) + pad(MZ)
    # Two pax headers for one member: Python applies the first last (size 512).
    records = pax([(b"size", b"512")], name="PaxHeader") + \
        pax([(b"size", b"%d" % (len(junk) + len(b_txt)))], name="PaxHeader")
    write("two_pax_headers", records + header("a.txt", 0) + junk + b_txt + END)
    # A Solaris X header: pax to Python, libarchive and GNU tar.
    rec = b"12 size=512\n"
    write("solaris_x_header", header("PaxHeader", len(rec), b"X") + pad(rec) +
          header("a.txt", len(junk) + len(b_txt)) + junk + b_txt + END)
    # A size field of a NUL and octal 513: Python and libarchive read 0.
    a_txt = with_field(header("a.txt", 0), 124, b"\x00" + b"%010o" % 513 + b"\x00")
    write("size_nul_then_digits", a_txt + b_txt + END)
    # "d/" of type NUL or 0 with 513 bytes: a directory to the readers, which skip no data.
    for typ, name in [(b"\0", "directory_name_type_nul"), (b"0", "directory_name_type_0")]:
        d = with_field(with_field(header("d/", 0), 124, b"%011o\0" % 513), 156, typ)
        write(name, d + b_txt + END)
    # A global pax size: libarchive ignores it, Python offsets by the header's own size.
    rec = b"%d size=%d\n" % (len(" size=1536\n") + 2, len(junk) + len(b_txt))
    write("global_pax_size_over_header", header("GlobalHead", len(rec), b"g") + pad(rec) +
          header("a.txt", len(junk)) + junk + b_txt + END)


def make_third_review():
    # The first block no header: GNU tar skips to the next one and unpacks the PE.
    tar = b"A" * 511 + b"\n" + header("evil.exe", len(MZ)) + pad(MZ) + END
    write("junk_first_block", tar)
    with open(os.path.join(OUT, "junk_first_block.tar.gz"), "wb") as f:
        f.write(gzip.compress(tar, mtime=0))
    # A file of a text and a zip: zip readers open the whole tar by that zip's end record.
    inner = b"hello\n" + simple([(b"evil.exe", MZ, 8)])
    write("zip_behind_text_in_member", header("a.txt", len(inner)) + pad(inner) + END)
    # A GNU long name, then a pax path: Python and bsdtar take evil.js, GNU tar a.txt.
    js = b'var s = this["WScr" + "ipt"]; // text\n'
    long_name = header("././@LongLink", 8, b"L") + pad(b"evil.js\0")
    write("long_name_and_pax_path", long_name + pax([(b"path", b"a.txt")]) + header("a.txt", len(js)) + pad(js) + END)
    # A GNU volume label with data: libarchive reads the next header inside it.
    body = header("%PDF-1.4_evil.exe", len(MZ)) + pad(MZ)
    write("volume_label_with_data", header("lbl", len(body), b"V") + body + END)
    # A first member named like a PDF's magic: a tar to every tar reader.
    h = bytearray(header("x", 0))
    h[0:100] = b"\0" * 100
    h[0:8] = b"%PDF-1.4"
    write("first_name_pdf_magic", checksummed(bytes(h)) + header("evil.exe", len(MZ)) + pad(MZ) + END)


def make_fourth_review():
    import io
    def tar_of(files):
        bio = io.BytesIO()
        with tarfile.open(fileobj=bio, mode="w", format=tarfile.USTAR_FORMAT) as t:
            for name, data in files:
                info = tarfile.TarInfo(name)
                info.size = len(data)
                info.mtime = 1700000000
                t.addfile(info, io.BytesIO(data))
        return bio.getvalue()
    # A PDF with an OpenAction of JavaScript whose first block is a tar header
    # ("%PDF-1.4 report"): its objects after the tar's end, or as its member's data.
    def pdf_body(base):
        objs = [b"<< /Type /Catalog /Pages 2 0 R /OpenAction 3 0 R >>",
                b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
                b"<< /S /JavaScript /JS (app.alert\\('hi'\\)) >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"]
        out = b"\n"
        offsets = []
        for i, o in enumerate(objs, 1):
            offsets.append(base + len(out))
            out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
        xref = base + len(out)
        out += b"xref\n0 5\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
        return out + b"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref
    name = "%PDF-1.4 report"
    t = tar_of([(name, b"")])
    with open(os.path.join(OUT, "pdf_after_tar_end.pdf"), "wb") as f:
        f.write(t + pdf_body(len(t)))
    with open(os.path.join(OUT, "pdf_in_tar_member.pdf"), "wb") as f:
        f.write(tar_of([(name, pdf_body(512))]))
    # A tar whose file a.zip is a zip from its first byte, whose end record's directory
    # offset, counted from the tar's start (7-Zip -tzip), is another directory hidden in a
    # text: a PE.
    def lh(n, data):
        return struct.pack("<IHHHHHIIIHH", 0x04034b50, 20, 0, 0, 0, 0x21, zlib.crc32(data), len(data), len(data), len(n), 0) + n + data
    def ch(n, data, off):
        return struct.pack("<IHHHHHHIIIHHHHHII", 0x02014b50, 20, 20, 0, 0, 0, 0x21, zlib.crc32(data), len(data), len(data), len(n), 0, 0, 0, 0, 0, off) + n
    def ecd(n, size, off):
        return struct.pack("<IHHHHIIH", 0x06054b50, 0, 0, n, n, size, off, 0)
    y = 2048
    rec = lh(b"read.txt", TXT)
    a_zip = rec + b"\0" * (y - len(rec)) + ch(b"read.txt", TXT, 0) + ecd(1, 46 + 8, y)
    head = b"meeting notes\n" * 4
    notes = head + lh(b"evil.exe", MZ)
    notes += b"\n" * (y - 512 - len(notes))
    notes += ch(b"evil.exe", MZ, 512 + len(head)) + b"\n" * 64
    write("zip_offset_points_elsewhere", tar_of([("notes.txt", notes), ("a.zip", a_zip)]))


def main():
    hidden = header("evil.exe", len(MZ)) + pad(MZ)
    # A pax size record for a.txt, whose own header says 0 bytes: every reader takes the PE.
    write("pax_size", pax([(b"size", b"%d" % len(MZ))]) + header("a.txt", 0) + pad(MZ) + END)
    # A pax path record: the member is evil.exe to every reader, a.txt by its header.
    write("pax_path", pax([(b"path", b"evil.exe")]) + header("a.txt", len(MZ)) + pad(MZ) + END)
    # A global pax header's size applies to the members after it.
    write("pax_global_size", pax([(b"size", b"%d" % len(MZ))], b"g") + header("a.txt", 0) + pad(MZ) + END)
    # Type 7 (contiguous file) and an unknown type: GNU tar, bsdtar and Python unpack files.
    write("type_contiguous", header("a.txt", len(MZ), b"7") + pad(MZ) + END)
    write("type_unknown", header("a.txt", len(MZ), b"Z") + pad(MZ) + END)
    # GNU's base-256 size field.
    h = bytearray(header("a.txt", 0))
    h[124:136] = b"\x80" + b"\0" * 7 + struct.pack(">I", len(MZ))
    write("size_base256", checksummed(h) + pad(MZ) + END)
    # V7: no ustar magic at all.
    write("v7", header("a.txt", len(MZ), magic=False) + pad(MZ) + END)
    # A header whose checksum fails, its size over a valid header and a PE: GNU tar skips
    # to the next valid header.
    h = bytearray(header("a.txt", len(hidden)))
    h[148:156] = b"0000000\0"
    write("bad_checksum", bytes(h) + hidden + END)
    # A directory that carries data: Python reads that data as the next header.
    write("directory_with_data", header("docs/", len(hidden), b"5") + hidden + END)
    # A member after the end-of-archive block (tar -i, concatenated archives).
    write("after_end", header("a.txt", len(TXT)) + pad(TXT) + b"\0" * 512 + hidden + END)
    # A GNU sparse member: its data is read into a file with holes.
    write("sparse", header("a.txt", len(MZ), b"S") + pad(MZ) + END)
    # From the second review: each a PE (b.txt) that Python, libarchive or GNU tar reads.
    for name, make in sorted(globals().items()):
        if name.startswith("make_"):
            make()


if __name__ == "__main__":
    main()
