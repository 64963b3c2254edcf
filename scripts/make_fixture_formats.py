#!/usr/bin/env python3
"""Fixtures for formats that have no free creator in Debian, written from their
published specifications. Each function documents the layout it follows.

- LNK: [MS-SHLLINK] ShellLinkHeader (76 bytes, CLSID 00021401-0000-0000-C000-000000000046)
  with HasLinkTargetIDList and a one-item IDList, plus a relative-path StringData.
- TNEF: [MS-OXTNEF] signature 0x223E9F78, legacy key, then attributes
  (level, id, length, data, 16-bit additive checksum): attAttachRendData starts an
  attachment, attAttachTitle gives its 8.3 name, attAttachData carries it, and
  attAttachment's MAPI properties hold PR_ATTACH_LONG_FILENAME.
- RAR 5: RAR 5.0 archive format: signature, main archive header, a stored file header
  (vint fields, CRC32 of the header), the data, and the end-of-archive header.
- Mach-O fat64: llvm-lipo 14 writes only 32-bit fat headers, so the fat file lipo made is
  rewritten with the 64-bit header (magic 0xCAFEBABF, fat_arch_64 entries: cputype,
  cpusubtype, 64-bit offset and size, align, reserved), slices kept at their offsets.
- DMG: an Apple UDIF image ends in a 512-byte "koly" trailer (big-endian fields).
"""
import os
import struct
import sys
import zlib

out = sys.argv[1] if len(sys.argv) > 1 else "tests/fixtures/bin"


def write(name, data):
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)


def lnk():
    clsid = bytes.fromhex("0114020000000000c000000000000046")
    flags = 0x00000001 | 0x00000008 | 0x00000080  # HasLinkTargetIDList, HasRelativePath, IsUnicode
    header = struct.pack("<I16sII", 0x4C, clsid, flags, 0x20)  # size, CLSID, flags, FILE_ATTRIBUTE_ARCHIVE
    header += b"\0" * 24  # creation, access, write times
    header += struct.pack("<IiIHH", 0, 0, 1, 0, 0)  # file size, icon index, SW_SHOWNORMAL, hotkey, reserved1
    header += b"\0" * 8  # reserved2, reserved3
    assert len(header) == 76
    item = b"\x1f\x50" + bytes.fromhex("e04fd020ea3a6910a2d808002b30309d")  # My Computer
    idlist = struct.pack("<H", len(item) + 2) + item + b"\0\0"
    path = "..\\..\\Windows\\System32\\cmd.exe"
    string_data = struct.pack("<H", len(path)) + path.encode("utf-16-le")
    return header + struct.pack("<H", len(idlist)) + idlist + string_data + b"\0\0\0\0"


def tnef():
    def attribute(level, attr_id, data):
        return struct.pack("<BII", level, attr_id, len(data)) + data + struct.pack("<H", sum(data) & 0xFFFF)

    body = struct.pack("<IH", 0x223E9F78, 0x1234)
    body += attribute(1, 0x00089006, struct.pack("<I", 0x00010000))  # attTnefVersion
    body += attribute(2, 0x00069002, b"\0" * 14)  # attAttachRendData
    body += attribute(2, 0x00018010, b"INVOIC~1.EXE\0")  # attAttachTitle: the 8.3 name
    mz = open(os.path.join(out, "pe_exe.exe"), "rb").read()
    body += attribute(2, 0x0006800F, mz)  # attAttachData
    # attAttachment: MAPI properties; PR_ATTACH_LONG_FILENAME (0x3707, PT_STRING8) holds
    # the name the user sees: a count of values, then length, bytes, padding to 4.
    long_name = b"invoice.pdf.exe\0"
    padded = long_name + b"\0" * (-len(long_name) % 4)
    props = struct.pack("<I", 2)
    props += struct.pack("<HHI", 0x0003, 0x0E21, 7)  # PR_ATTACH_NUM, PT_LONG
    props += struct.pack("<HHII", 0x001E, 0x3707, 1, len(long_name)) + padded
    body += attribute(2, 0x00069005, props)
    body += attribute(2, 0x00069002, b"\0" * 14)
    body += attribute(2, 0x00018010, b"notes.txt\0")
    body += attribute(2, 0x0006800F, b"plain notes\r\n")
    return body


def vint(n):
    out_bytes = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out_bytes.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out_bytes)


def rar5_block(header_type, flags, fields, extra=b""):
    body = vint(header_type) + vint(flags) + fields + extra
    size = vint(len(body))
    crc = zlib.crc32(size + body) & 0xFFFFFFFF
    return struct.pack("<I", crc) + size + body


def rar5(files=((b"hello.txt", b"hello\n"),)):
    signature = b"Rar!\x1a\x07\x01\x00"
    main = rar5_block(1, 0, vint(0))  # main archive header, archive flags 0
    blocks = b""
    for name, data in files:
        file_fields = (
            vint(0x0004)  # file flags: CRC32 present
            + vint(len(data))  # unpacked size
            + vint(0x20)  # attributes
            + struct.pack("<I", zlib.crc32(data) & 0xFFFFFFFF)
            + vint(0)  # compression info: version 0, stored
            + vint(0)  # host OS: Windows
            + vint(len(name))
            + name
        )
        # header flags 0x0002: data area present; the data size follows the flags.
        body = vint(2) + vint(0x0002) + vint(len(data)) + file_fields
        size = vint(len(body))
        blocks += struct.pack("<I", zlib.crc32(size + body) & 0xFFFFFFFF) + size + body + data
    end = rar5_block(5, 0, vint(0))
    return signature + main + blocks + end


def dmg():
    payload = zlib.compress(b"\0" * 4096)
    trailer = bytearray(512)
    struct.pack_into(">4sII", trailer, 0, b"koly", 4, 512)
    struct.pack_into(">QQQ", trailer, 24, 0, len(payload), 0)  # data fork offset/length, rsrc fork
    return payload + bytes(trailer)


def fat64():
    fat = open(os.path.join(out, "macho_fat.o"), "rb").read()
    magic, count = struct.unpack_from(">II", fat, 0)
    assert magic == 0xCAFEBABE
    arches = [struct.unpack_from(">iiIII", fat, 8 + i * 20) for i in range(count)]
    header = struct.pack(">II", 0xCAFEBABF, count)
    for cputype, subtype, offset, size, align in arches:
        header += struct.pack(">iiQQII", cputype, subtype, offset, size, align, 0)
    assert len(header) <= min(a[2] for a in arches)
    return header + fat[len(header):]


write("macho_fat64.o", fat64())
write("lnk.lnk", lnk())
write("tnef.dat", tnef())
write("rar5.rar", rar5())
# A RAR 5 archive holding an executable beside a text file (both stored).
write(
    "rar5_exe.rar",
    rar5(((b"setup.exe", open(os.path.join(out, "pe_exe.exe"), "rb").read()), (b"hello.txt", b"hello\n"))),
)
write("dmg.dmg", dmg())
print("spec-built fixtures written")
