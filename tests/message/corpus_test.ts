/**
 * Every message in ../shared/corpus (mail written by other projects: mikel/mail,
 * Apache James mime4j, nodemailer/mailparser) becomes findings, never an exception,
 * in bounded time. A few well-known malformed ones must give their exact findings.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { analyseMessage } from "../../src/analyse/mod.ts";
import { parseMessage } from "../../src/message/mod.ts";
import { CORPUS, messageFiles } from "../_helpers/message_files.ts";

/** Per message, the most a parse plus analysis may take on this 2-core machine. */
const MAX_MS_PER_MESSAGE = 2000;

Deno.test({
  name: "parseMessage() and analyseMessage() turn every corpus message into findings",
  ignore: !existsSync(CORPUS),
  fn: async () => {
    let count = 0;
    for (const path of messageFiles(CORPUS)) {
      const started = performance.now();
      const message = await parseMessage(readFileSync(path));
      await analyseMessage(message);
      const took = performance.now() - started;
      assert.ok(took < MAX_MS_PER_MESSAGE, `${relative(CORPUS, path)} took ${took.toFixed(0)} ms`);
      count++;
    }
    assert.ok(count >= 190, `expected the whole corpus, read ${count} messages`);
  },
});

const EXACT: Readonly<Record<string, readonly string[]>> = {
  "mime4j/testmsgs/malformedHeader-noheader.msg": [
    "HEADER_SEPARATOR_MISSING",
    "HEADER_LINE_INVALID",
  ],
  "mime4j/testmsgs/missing-boundary.msg": ["MIME_BOUNDARY_UNUSED"],
  "mime4j/testmsgs/multipartnopart.msg": ["MIME_BOUNDARY_UNUSED"],
  "mime4j/testmsgs/very-very-long-boundary.msg": ["LINE_TOO_LONG"],
  "mime4j/mimetools-testmsgs/x-gzip64.msg": ["MIME_ENCODING_UNKNOWN"],
  "mime4j/mimetools-testmsgs/multi-bad.msg": ["MIME_MULTIPART_UNTERMINATED"],
  "mime4j/mimetools-testmsgs/frag.msg": ["MIME_MULTIPART_UNTERMINATED"],
  "mikel-mail/error_emails/content_transfer_encoding_7-bit.eml": [
    "MIME_ENCODING_UNKNOWN",
    "MIME_ENCODING_UNKNOWN",
  ],
  "mikel-mail/rfc6532/utf8_headers.eml": ["HEADER_8BIT"],
  "mikel-mail/plain_emails/basic_email.eml": [],
  "nodemailer-mailparser/nodemailer.eml": [],
};

for (const [file, codes] of Object.entries(EXACT)) {
  Deno.test({
    name: `parseMessage() on corpus ${file} reports ${codes.length ? codes.join(", ") : "nothing"}`,
    ignore: !existsSync(join(CORPUS, file)),
    fn: async () => {
      const message = await parseMessage(readFileSync(join(CORPUS, file)));
      assert.deepEqual(message.defects.map((d) => d.code), codes);
    },
  });
}

Deno.test({
  name: "parseMessage() finds the uuencoded files in mime4j's uu-junk message",
  ignore: !existsSync(CORPUS),
  fn: async () => {
    const message = await parseMessage(
      readFileSync(join(CORPUS, "mime4j/mimetools-testmsgs/uu-junk.msg")),
    );
    const uu = message.parts.filter((p) => p.origin === "uuencode").map((p) => p.filenameParam);
    assert.deepEqual(uu, ["up.gif", "zeegee.gif"]);
  },
});
