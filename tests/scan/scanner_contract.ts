/**
 * The contract every scanner adapter keeps (STYLE 10), run against real ClamAV: the
 * same messages, the same expectations, whatever the adapter. Each skipped case says why.
 */
import assert from "node:assert/strict";
import { BlobWriter, TextReader, ZipWriter } from "@zip.js/zip.js";
import { analyseMessage } from "../../src/analyse/mod.ts";
import { parseMessage } from "../../src/message/mod.ts";
import type { ScanInput, Scanner } from "../../src/scan/mod.ts";
import { base64Lines } from "../_helpers/eml_builder.ts";
import { EICAR } from "../_helpers/clamav.ts";

export interface ContractOptions {
  readonly name: string;
  readonly newScanner: () => Scanner;
  /** The virus name the adapter reports for our EICAR signature. */
  readonly eicarName: RegExp;
  /** Cases the adapter cannot run here, each with its reason. */
  readonly skip?: Readonly<Record<string, string>>;
  readonly ignore?: boolean;
}

const HEAD =
  "From: a@example.net\nTo: b@example.org\nSubject: test\nDate: Wed, 25 Nov 2026 08:00:00 +0000\n";

async function zipped(name: string, text: string): Promise<Uint8Array> {
  const writer = new ZipWriter(new BlobWriter("application/zip"), { useWebWorkers: false });
  await writer.add(name, new TextReader(text));
  return new Uint8Array(await (await writer.close()).arrayBuffer());
}

function attachment(name: string, bytes: Uint8Array): string {
  return `${HEAD}MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nsee attachment\n` +
    `--b\nContent-Type: application/octet-stream; name="${name}"\nContent-Transfer-Encoding: base64\n\n${
      base64Lines(bytes)
    }\n--b--\n`;
}

/** What the filter would hand a scanner for this message: the raw bytes and every decoded part. */
export async function scanInputFor(raw: string): Promise<ScanInput> {
  const bytes = new TextEncoder().encode(raw);
  const message = await parseMessage(bytes);
  await analyseMessage(message);
  return {
    message: bytes,
    parts: message.parts.map((p) => ({ path: p.path, content: p.content })),
  };
}

export function runScannerContract(options: ContractOptions): void {
  const eicar = new TextEncoder().encode(EICAR);
  const cases: Record<string, () => Promise<string>> = {
    "EICAR in a plain text body": () => Promise.resolve(`${HEAD}\n${EICAR}\n`),
    "EICAR as a base64 attachment": () => Promise.resolve(attachment("eicar.com", eicar)),
    "EICAR zipped": async () => attachment("eicar.zip", await zipped("eicar.com", EICAR)),
    "EICAR inside a nested message": () =>
      Promise.resolve(
        `${HEAD}MIME-Version: 1.0\nContent-Type: message/rfc822\n\n${
          attachment("eicar.com", eicar)
        }`,
      ),
  };
  for (const [label, build] of Object.entries(cases)) {
    Deno.test({
      name: `${options.name}: ${label} is infected`,
      ignore: options.ignore === true || options.skip?.[label] !== undefined,
      fn: async () => {
        const result = await options.newScanner().scan(await scanInputFor(await build()), {
          signal: AbortSignal.timeout(60_000),
        });
        assert.equal(result.kind, "infected", JSON.stringify(result));
        assert.ok(
          result.kind === "infected" && result.names.some((n) => options.eicarName.test(n)),
          JSON.stringify(result),
        );
      },
    });
  }
  Deno.test({
    name: `${options.name}: a clean message with an attachment is clean`,
    ignore: options.ignore === true,
    fn: async () => {
      const input = await scanInputFor(
        attachment("notes.txt", new TextEncoder().encode("just notes\n")),
      );
      assert.deepEqual(
        await options.newScanner().scan(input, { signal: AbortSignal.timeout(60_000) }),
        { kind: "clean" },
      );
    },
  });
  Deno.test({
    name: `${options.name}: an expired time budget is failed, never clean`,
    ignore: options.ignore === true,
    fn: async () => {
      const input = await scanInputFor(attachment("eicar.com", eicar));
      const result = await options.newScanner().scan(input, { signal: AbortSignal.abort() });
      assert.equal(result.kind, "failed", JSON.stringify(result));
    },
  });
}
