import { concatBytes } from "../message/mod.ts";
import { headerSafe, rfc5322Date } from "./mail_format.ts";
import type { RenderedTemplate } from "./template.ts";

/** The header that marks qmvc's own mail, so it is never answered with another notification. */
export const NOTIFICATION_HEADER = "X-QMVC-Notification";

let sequence = 0;

/**
 * Build an RFC 5322 message from a rendered template: Date, Message-ID, MIME-Version,
 * Auto-Submitted: auto-generated and the qmvc marker; a text/plain body, or with
 * `original` a multipart/mixed whose second part is that message as message/rfc822.
 */
export function composeMail(
  template: RenderedTemplate,
  options: {
    readonly from: string;
    readonly to: readonly string[];
    readonly kind: string;
    readonly host: string;
    readonly now: Date;
    readonly pid: number;
    readonly original?: Uint8Array;
  },
): Uint8Array {
  const id = `${
    Math.floor(options.now.getTime() / 1000)
  }.${options.pid}.${++sequence}.qmvc@${options.host}`;
  const fields: [string, string][] = [
    ["From", headerSafe(options.from)],
    ["To", options.to.map(headerSafe).join(", ")],
    ...template.headers.filter(([name]) =>
      !/^(from|to|date|message-id|mime-version|content-)/i.test(name)
    )
      .map(([name, value]) => [name, value] as [string, string]),
    ["Date", rfc5322Date(options.now)],
    ["Message-ID", `<${id}>`],
    ["MIME-Version", "1.0"],
    ["Auto-Submitted", "auto-generated"],
    [NOTIFICATION_HEADER, options.kind],
  ];
  const templateFrom = template.headers.find(([name]) => /^from$/i.test(name));
  if (templateFrom) fields[0] = ["From", templateFrom[1]];
  const body = template.body.endsWith("\n") ? template.body : `${template.body}\n`;
  const encoder = new TextEncoder();
  if (!options.original) {
    fields.push(["Content-Type", "text/plain; charset=utf-8"], [
      "Content-Transfer-Encoding",
      "8bit",
    ]);
    return encoder.encode(`${formatFields(fields)}\n${body}`);
  }
  const boundary = `qmvc-${id.replace(/[^A-Za-z0-9.]/g, "")}`;
  fields.push(["Content-Type", `multipart/mixed; boundary="${boundary}"`]);
  const head = `${formatFields(fields)}\nThis is a MIME message.\n\n--${boundary}\n` +
    `Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n${body}\n--${boundary}\n` +
    `Content-Type: message/rfc822\nContent-Disposition: attachment\nContent-Transfer-Encoding: 8bit\n\n`;
  const tail = `\n--${boundary}--\n`;
  return concatBytes([encoder.encode(head), options.original, encoder.encode(tail)]);
}

function formatFields(fields: readonly (readonly [string, string])[]): string {
  return fields.map(([name, value]) => `${name}: ${value}\n`).join("");
}
