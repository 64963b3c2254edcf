import { bodySafe, headerSafe } from "./mail_format.ts";

/** The placeholders a template may use. */
export const PLACEHOLDERS = [
  "CAUSE",
  "CONDITION",
  "ACTION",
  "DONE",
  "OUTCOME",
  "VIRUS",
  "PARTS",
  "HEADER",
  "SENDER",
  "RECIPIENT",
  "SUBJECT",
  "DATE",
  "MESSAGEID",
  "HOST",
] as const;

export type Placeholder = typeof PLACEHOLDERS[number];
export type TemplateValues = Readonly<Record<Placeholder, string>>;

/** A rendered template: its header fields (name, safe value) and its body text. */
export interface RenderedTemplate {
  readonly headers: readonly (readonly [string, string])[];
  readonly body: string;
}

/**
 * Fill a template: the part before the first empty line holds header fields, filled
 * with the header escaper (one line, encoded-words); the body with the text escaper.
 * An unknown %NAME% stays as written, so a typo shows in the mail instead of vanishing.
 */
export function renderTemplate(template: string, values: TemplateValues): RenderedTemplate {
  const text = template.replace(/\r\n/g, "\n");
  const split = text.indexOf("\n\n");
  const head = split >= 0 ? text.slice(0, split) : "";
  const body = split >= 0 ? text.slice(split + 2) : text;
  const fill = (part: string, escape: (v: string) => string): string =>
    part.replace(
      /%([A-Z]+)%/g,
      (whole, name: string) =>
        (PLACEHOLDERS as readonly string[]).includes(name)
          ? escape(values[name as Placeholder])
          : whole,
    );
  const headers = head.split("\n").filter((l) => l.includes(":")).map((line) => {
    const colon = line.indexOf(":");
    return [
      line.slice(0, colon).trim(),
      headerSafe(fill(line.slice(colon + 1), (v) => v)),
    ] as const;
  });
  return { headers, body: fill(body, bodySafe) };
}
