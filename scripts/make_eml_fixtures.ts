// deno-lint-ignore-file no-console
/**
 * Writes the .eml fixtures that carry binary attachments, from the real files in
 * tests/fixtures/bin/ (see scripts/make_fixtures.sh). Each message is a plain
 * RFC 5322 / MIME message as a mail client would send it; run after make_fixtures.sh.
 * The message with every fixture at once is built at test time (gargantuaMessage()).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  attachFixture as attach,
  BIN_FIXTURES as BIN,
  multipartMessage as message,
} from "../tests/_helpers/eml_builder.ts";

const EML = "tests/fixtures/eml";

const write = (name: string, text: string): void => writeFileSync(join(EML, name), text);

write(
  "attach_pe_double_extension.eml",
  message("Invoice", "double-ext", [
    attach(
      "pe_exe.exe",
      'Content-Type: application/pdf; name="invoice.pdf.exe"\nContent-Disposition: attachment; filename="invoice.pdf.exe"',
    ),
  ]),
);
write(
  "attach_pe_named_txt.eml",
  message("Notes", "pe-as-txt", [
    attach(
      "pe_exe.exe",
      'Content-Type: text/plain; name="notes.txt"\nContent-Disposition: attachment; filename="notes.txt"',
    ),
  ]),
);
write(
  "attach_rfc2231_bidi_filename.eml",
  message("Photos", "rfc2231-bidi", [
    attach(
      "pe_exe.exe",
      "Content-Type: application/octet-stream\nContent-Disposition: attachment;\n filename*0*=utf-8''photo%E2%80%AE;\n filename*1*=gpj.scr",
    ),
  ]),
);
write(
  "attach_encoded_word_filename.eml",
  message("Scan", "encoded-word", [
    attach(
      "script_win_vbs.vbs",
      'Content-Type: application/octet-stream; name="=?utf-8?B?c2Nhbi52YnM=?="',
    ),
  ]),
);
write(
  "attach_trailing_dots_nul.eml",
  message("Report", "trailing-dots", [
    attach("pe_exe.exe", 'Content-Type: application/octet-stream; name="report.exe. . "'),
  ]),
);
write(
  "attach_zip_nested_exe.eml",
  message("Archive", "zip-nested", [attach("zip_nested_exe.zip")]),
);
write(
  "attach_zip_encrypted.eml",
  message("Protected", "zip-encrypted", [attach("zip_encrypted.zip")]),
);
write("attach_zip_bomb.eml", message("Data", "zip-bomb", [attach("zip_bomb.zip")]));
write(
  "attach_zip_tgz_exe.eml",
  message("Backup", "zip-tgz", [
    attach("zip_tgz_exe.zip", 'Content-Type: application/zip; name="backup.zip"'),
  ]),
);
write(
  "attach_rtf_package_exe.eml",
  message("Invoice", "rtf-package", [
    attach("rtf_package_exe.rtf", 'Content-Type: application/rtf; name="invoice.rtf"'),
  ]),
);
write(
  "attach_doc_encrypted.eml",
  message("Contract", "doc-encrypted", [
    attach("ole_encrypted.doc", 'Content-Type: application/msword; name="contract.doc"'),
  ]),
);
write(
  "attach_7z_exe.eml",
  message("Photos", "7z-exe", [
    attach("7z_exe.7z", 'Content-Type: application/x-7z-compressed; name="photos.7z"'),
  ]),
);
write(
  "attach_7z_encrypted_names.eml",
  message("Protected", "7z-encrypted-names", [
    attach("7z_encrypted_names.7z", 'Content-Type: application/x-7z-compressed; name="secret.7z"'),
  ], "The password is 'secret'.\n"),
);
write(
  "attach_zip_unsafe_member_name.eml",
  message("Invoice", "zip-unsafe-name", [
    attach(
      "zip_unsafe_member_name.zip",
      'Content-Type: application/zip; name="invoice.zip"\nContent-Disposition: attachment; filename="invoice.zip"',
    ),
  ]),
);
write(
  "attach_docx_encrypted.eml",
  message("Contract", "docx-encrypted", [
    attach(
      "ole_encrypted.docx",
      'Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document; name="contract.docx"\nContent-Disposition: attachment; filename="contract.docx"',
    ),
  ], "The password is in the next mail.\n"),
);
// Parse differentials: a Content-Type that one parser reads as text and another (Python's
// email, mail clients) as a multipart holding an executable.
const invoice = message("Invoice", "differential", [
  attach(
    "pe_exe.exe",
    'Content-Type: application/pdf; name="invoice.pdf"\nContent-Disposition: attachment; filename="invoice.pdf"',
  ),
]);
const multipartLine = 'Content-Type: multipart/mixed; boundary="----=_qmvc_fixture_differential"';
write(
  "mime_content_type_control_char.eml",
  invoice.replace(multipartLine, multipartLine.replace("Content-Type: ", "Content-Type: \x1c")),
);
write(
  "mime_content_type_duplicate.eml",
  invoice.replace(multipartLine, `Content-Type: text/plain; charset=us-ascii\n${multipartLine}`),
);
// One part more than the built-in limit of 1000 parts: the last one is never analysed.
write(
  "mime_1001_parts.eml",
  message(
    "Many notes",
    "many-parts",
    Array.from({ length: 1000 }, (_, i) => ({
      headers: `Content-Type: text/plain; name="note${i + 1}.txt"`,
      body: btoa(`note ${i + 1}\n`),
    })),
  ),
);
write(
  "attach_docm_without_macros.eml",
  message("Document", "docm-plain", [attach("ooxml_plain.docm")]),
);
write(
  "attach_docm_with_macros.eml",
  message("Document", "docm-macro", [attach("ooxml_macro.docm")]),
);
write(
  "tnef_winmail.eml",
  message("Outlook", "tnef", [
    attach(
      "tnef.dat",
      'Content-Type: application/ms-tnef; name="winmail.dat"\nContent-Disposition: attachment; filename="winmail.dat"',
    ),
  ]),
);

// A text body with a uuencoded executable, as old clients sent attachments.
const exe = readFileSync(join(BIN, "pe_exe.exe"));
const uuLines: string[] = [];
for (let i = 0; i < exe.length; i += 45) {
  const chunk = exe.subarray(i, i + 45);
  let line = String.fromCharCode(32 + chunk.length);
  for (let j = 0; j < chunk.length; j += 3) {
    const [a = 0, b = 0, c = 0] = chunk.subarray(j, j + 3);
    for (const v of [a >> 2, ((a & 3) << 4) | (b >> 4), ((b & 15) << 2) | (c >> 6), c & 63]) {
      line += String.fromCharCode(v === 0 ? 96 : v + 32);
    }
  }
  uuLines.push(line);
}
write(
  "uuencode_in_body.eml",
  [
    "From: Sender <sender@example.net>",
    "To: Bob Example <bob@example.org>",
    "Subject: the program",
    "Date: Wed, 25 Nov 2026 08:00:00 +0000",
    "Message-ID: <uuencode@fixtures.qmvc.invalid>",
    "",
    "Here it is:",
    "",
    "begin 644 setup.exe",
    ...uuLines,
    "`",
    "end",
    "",
  ].join("\n"),
);

console.log("eml fixtures written");
