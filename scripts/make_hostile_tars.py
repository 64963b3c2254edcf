#!/usr/bin/env python3
"""
Writes tests/fixtures/tar_hostile/*.tar: tars built block by block that GNU tar, bsdtar or
Python's tarfile unpack otherwise than a reader of plain ustar headers would: each hides a
PE behind such a reading. The tests in tests/analyse/tar_test.ts hold that qmvc either
reads the PE or calls the tar unchecked.
Run from the repository's root: python3 scripts/make_hostile_tars.py
"""
import gzip, os, struct, sys, tarfile

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


def pax(records, typ=b"x"):
    body = b""
    for key, value in records:
        rec = b" %s=%s\n" % (key, value)
        n = len(rec) + 1
        while len(b"%d" % n + rec) != n:
            n += 1
        body += b"%d" % n + rec
    return header("././@PaxHeader", len(body), typ) + pad(body)


def write(name, data):
    with open(os.path.join(OUT, name + ".tar"), "wb") as f:
        f.write(data)


def make_two_pax_headers():
    # Two pax 'x' headers before one file: qmvc merges them, the later winning (size=1536);
    # Python's tarfile applies the earlier last (size=512): it reads a.txt as 512 bytes and the
    # next header, b.txt = MZ..., standing inside what qmvc read as a.txt's text.
    def hdr(name, size, typ=b"0"):
        t = tarfile.TarInfo(name.decode()); t.size = size; t.type = typ
        return t.tobuf(format=tarfile.USTAR_FORMAT)
    def pad(b): return b + b"\0" * (-len(b) % 512)
    def pax(recs):
        out = b""
        for k, v in recs:
            body = b" %s=%s\n" % (k, v); n = len(body) + 1
            while len(str(n).encode()) + len(body) != n: n += 1
            out += str(n).encode() + body
        return hdr(b"PaxHeader", len(out), b"x") + pad(out)
    junk = pad(TXT)                               # Python's a.txt
    h2 = hdr(b"b.txt", len(MZ)) + pad(MZ)       # Python's next member
    tail = b"\0" * 1024
    out = pax([(b"size", b"512")]) + pax([(b"size", str(len(junk) + len(h2)).encode())])
    out += hdr(b"a.txt", 0) + junk + h2 + tail
    write("two_pax_headers", out)


def make_solaris_x_header():
    # A Solaris 'X' extended header (size=512) before a.txt (size 1536 in its header): Python's
    # tarfile and libarchive (bsdtar, file or pipe) read 'X' as pax and a.txt as 512 bytes, then
    # the next header: b.txt = MZ..., inside what qmvc reads as a.txt (qmvc: 'X' is a file).
    def hdr(name, size, typ=b"0"):
        t = tarfile.TarInfo(name.decode()); t.size = size; t.type = typ
        return t.tobuf(format=tarfile.USTAR_FORMAT)
    def pad(b): return b + b"\0" * (-len(b) % 512)
    rec = b"12 size=512\n"
    junk = pad(TXT)
    h2 = hdr(b"b.txt", len(MZ)) + pad(MZ)
    out = hdr(b"PaxHeader", len(rec), b"X") + pad(rec) + hdr(b"a.txt", len(junk) + len(h2)) + junk + h2 + b"\0" * 1024
    write("solaris_x_header", out)


def make_size_nul_then_digits():
    # a.txt's size field is a NUL, then octal 1001 (513): qmvc (and GNU tar) read 513, Python's
    # tarfile and libarchive stop at the NUL: 0. What qmvc reads as a.txt's 513 bytes, they read
    # as the next header: b.txt, 336 bytes of MZ. qmvc's a.txt sniffs as a tar whose b.txt holds
    # the one byte "M", and nothing is said of a member cut short.
    def hdr(name, size, typ=b"0", sizefield=None):
        t = tarfile.TarInfo(name.decode()); t.size = size; t.type = typ
        b = bytearray(t.tobuf(format=tarfile.USTAR_FORMAT))
        if sizefield is not None:
            b[124:136] = sizefield; b[148:156] = b" " * 8
            b[148:156] = b"%06o\0 " % sum(b)
        return bytes(b)
    def pad(b): return b + b"\0" * (-len(b) % 512)
    out = hdr(b"a.txt", 0, sizefield=b"\x00" + b"%010o" % 513 + b"\x00")
    out += hdr(b"b.txt", len(MZ)) + pad(MZ) + b"\0" * 1024
    write("size_nul_then_digits", out)


def make_directory_name_type_nul():
    # "d/" with type NUL (V7 regular file) and 513 bytes: Python's tarfile makes it a directory
    # (V7's way) and reads no data: its data is the next header, b.txt = MZ... qmvc reads "d/"
    # as a file of 513 bytes (a header and "M": a tar whose b.txt is cut to one byte, unflagged).
    def hdr(name, size, typ=b"0"):
        b = bytearray(tarfile.TarInfo(name.decode()).tobuf(format=tarfile.USTAR_FORMAT))
        b[124:136] = b"%011o\0" % size; b[156:157] = typ
        b[148:156] = b" " * 8; b[148:156] = b"%06o\0 " % sum(b)
        return bytes(b)
    def pad(b): return b + b"\0" * (-len(b) % 512)
    out = hdr(b"d/", 513, b"\0") + hdr(b"b.txt", len(MZ)) + pad(MZ) + b"\0" * 1024
    write("directory_name_type_nul", out)


def make_directory_name_type_0():
    # "d/" with type NUL (V7 regular file) and 513 bytes: Python's tarfile makes it a directory
    # (V7's way) and reads no data: its data is the next header, b.txt = MZ... qmvc reads "d/"
    # as a file of 513 bytes (a header and "M": a tar whose b.txt is cut to one byte, unflagged).
    def hdr(name, size, typ=b"0"):
        b = bytearray(tarfile.TarInfo(name.decode()).tobuf(format=tarfile.USTAR_FORMAT))
        b[124:136] = b"%011o\0" % size; b[156:157] = typ
        b[148:156] = b" " * 8; b[148:156] = b"%06o\0 " % sum(b)
        return bytes(b)
    def pad(b): return b + b"\0" * (-len(b) % 512)
    out = hdr(b"d/", 513, b"0") + hdr(b"b.txt", len(MZ)) + pad(MZ) + b"\0" * 1024
    write("directory_name_type_0", out)


def make_global_pax_size_over_header():
    # A global pax header 'g' with size=1536 before a.txt (512 bytes in its header): qmvc (like
    # Python) gives a.txt the global size; libarchive ignores global headers' size: it reads a.txt
    # as 512 bytes and the next header, b.txt = MZ..., inside what qmvc reads as a.txt.
    def hdr(name, size, typ=b"0"):
        t = tarfile.TarInfo(name.decode()); t.size = size; t.type = typ
        return t.tobuf(format=tarfile.USTAR_FORMAT)
    def pad(b): return b + b"\0" * (-len(b) % 512)
    junk = pad(TXT)
    h2 = hdr(b"b.txt", len(MZ)) + pad(MZ)
    rec = b"%d size=%d\n" % (len(" size=1536\n") + 2, len(junk) + len(h2))
    out = hdr(b"GlobalHead", len(rec), b"g") + pad(rec) + hdr(b"a.txt", len(junk)) + junk + h2 + b"\0" * 1024
    write("global_pax_size_over_header", out)


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
