#!/usr/bin/env python3
"""
Writes tests/fixtures/tar_hostile/*.tar: tars built block by block that GNU tar, bsdtar or
Python's tarfile unpack otherwise than a reader of plain ustar headers would: each hides a
PE behind such a reading. The tests in tests/analyse/tar_test.ts hold that qmvc either
reads the PE or calls the tar unchecked.
Run from the repository's root: python3 scripts/make_hostile_tars.py
"""
import os, struct, sys, tarfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_hostile_zips import MZ, TXT  # noqa: E402

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


if __name__ == "__main__":
    main()
