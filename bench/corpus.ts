/**
 * A deterministic corpus of realistic mail for benchmarks: the same seed gives the same
 * bytes on every machine, so figures compare across runs.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { base64Lines } from "../tests/_helpers/eml_builder.ts";

const ROOT = new URL("..", import.meta.url).pathname;

/** Mulberry32: a small, fast, seedable PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  "the of and to in is that for it as was with be by on not he this are or his from at which but have an they you " +
  "were her all she there would their we him been has when who will more no if out so said what up its about into " +
  "than them can only other new some could time these two may then do first any my now such like our over man me " +
  "meeting budget report quarter invoice delivery schedule project customer server mail backup network update"
).split(" ");

function prose(random: () => number, bytes: number): string {
  const lines: string[] = [];
  let size = 0;
  while (size < bytes) {
    const words: string[] = [];
    for (let i = 0; i < 12; i++) words.push(WORDS[Math.floor(random() * WORDS.length)]!);
    const line = words.join(" ");
    lines.push(line.charAt(0).toUpperCase() + line.slice(1) + ".");
    size += line.length + 2;
  }
  return lines.join("\n");
}

function header(subject: string, id: string, type: string): string {
  return [
    "Return-Path: <alice@example.net>",
    "Received: from mail.example.net (mail.example.net [192.0.2.10]) by mx.example.org with ESMTP; Wed, 25 Nov 2026 08:00:00 +0000",
    "From: Alice Example <alice@example.net>",
    "To: Bob Example <bob@example.org>",
    `Subject: ${subject}`,
    "Date: Wed, 25 Nov 2026 08:00:00 +0000",
    `Message-ID: <${id}@bench.qmvc.invalid>`,
    "MIME-Version: 1.0",
    `Content-Type: ${type}`,
    "",
  ].join("\n");
}

function withAttachment(
  subject: string,
  id: string,
  name: string,
  type: string,
  bytes: Uint8Array,
): string {
  const b = `----=_bench_${id}`;
  return header(subject, id, `multipart/mixed; boundary="${b}"`) +
    `\n--${b}\nContent-Type: text/plain; charset=us-ascii\n\nPlease find the file attached.\n` +
    `--${b}\nContent-Type: ${type}; name="${name}"\nContent-Disposition: attachment; filename="${name}"\n` +
    `Content-Transfer-Encoding: base64\n\n${base64Lines(bytes)}\n--${b}--\n`;
}

/** The official 68-byte EICAR anti-virus test string. */
export const EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";

export interface BenchMessage {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** The benchmark message classes (issue 7): small text to a 5 MB attachment. */
export function benchCorpus(seed = 20261125): BenchMessage[] {
  const random = prng(seed);
  const encode = (s: string): Uint8Array => new TextEncoder().encode(s);
  const binary = (n: number): Uint8Array =>
    Uint8Array.from({ length: n }, () => Math.floor(random() * 256));
  const html = `<html><body>${
    Array.from({ length: 60 }, (_, i) =>
      `<h2>Story ${i}</h2><p>${prose(random, 300)}</p><a href="https://example.org/${i}">more</a>`)
      .join("")
  }</body></html>`;
  const nb = "----=_bench_news";
  return [
    {
      name: "small-text",
      bytes: encode(
        header("Lunch?", "small", "text/plain; charset=us-ascii") + "\n" + prose(random, 600) +
          "\n",
      ),
    },
    {
      name: "html-newsletter",
      bytes: encode(
        header("Newsletter", "news", `multipart/alternative; boundary="${nb}"`) +
          `\n--${nb}\nContent-Type: text/plain; charset=utf-8\n\n${prose(random, 8000)}\n` +
          `--${nb}\nContent-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n${
            html.replace(/.{72}/g, "$&=\n")
          }\n--${nb}--\n`,
      ),
    },
    {
      name: "text-300k",
      bytes: encode(
        header("Log excerpt", "text300", "text/plain; charset=us-ascii") + "\n" +
          prose(random, 300_000) + "\n",
      ),
    },
    {
      name: "office-attachment",
      bytes: encode(
        withAttachment(
          "Contract",
          "office",
          "contract.docm",
          "application/vnd.ms-word.document.macroEnabled.12",
          readFileSync(join(ROOT, "tests/fixtures/bin/ooxml_plain.docm")),
        ),
      ),
    },
    {
      name: "attachment-5m",
      bytes: encode(
        withAttachment(
          "Photos",
          "att5m",
          "photos.bin",
          "application/octet-stream",
          binary(5 * 1024 * 1024),
        ),
      ),
    },
    {
      name: "zip-with-exe",
      bytes: encode(
        withAttachment(
          "Invoice",
          "zipexe",
          "invoice.zip",
          "application/zip",
          readFileSync(join(ROOT, "tests/fixtures/bin/zip_nested_exe.zip")),
        ),
      ),
    },
    {
      name: "eicar",
      bytes: encode(
        withAttachment("Test", "eicar", "eicar.com", "application/octet-stream", encode(EICAR)),
      ),
    },
  ];
}
