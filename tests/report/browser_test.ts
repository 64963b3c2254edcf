/**
 * The report pages in a real browser: headless Chromium (Debian's package) opens each
 * page over the DevTools protocol, offline, with a fresh profile; the test asserts no
 * console error or exception and that every chart has a size, and keeps a screenshot.
 */
import assert from "node:assert/strict";
import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { formatLogRecord } from "../../src/log/mod.ts";
import { join } from "node:path";
import { BINARY, makeSite } from "../_helpers/qmail_local.ts";
import { generateLog } from "../_helpers/logs.ts";
import { tempDir } from "../_helpers/temp_dirs.ts";

const CHROMIUM = "/usr/bin/chromium";

interface PageCheck {
  readonly errors: string[];
  readonly charts: [number, number][];
  /** The window's width, the page's scroll width and the widest table's width. */
  readonly widths: { window: number; page: number; widestTable: number };
  /** Every link: its resolved URL, and for a "#fragment" whether its target exists. */
  readonly links: { href: string; url: string; targetFound: boolean }[];
  readonly title: string;
  readonly screenshot: Uint8Array;
}

async function startChromium(): Promise<
  { port: number; child: Deno.ChildProcess; profile: string }
> {
  const profile = tempDir("qmvc-chromium-");
  const child = new Deno.Command(CHROMIUM, {
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-extensions",
      "--allow-file-access-from-files",
      `--user-data-dir=${profile}`,
      "--remote-debugging-port=0",
      "--window-size=1200,900",
      "about:blank",
    ],
    stdout: "null",
    stderr: "null",
  }).spawn();
  // Chromium makes the file before it writes the port into it: wait for a port, not the file.
  const portFile = join(profile, "DevToolsActivePort");
  const portIn = (): number =>
    existsSync(portFile) ? Number(readFileSync(portFile, "utf8").split("\n")[0]) || 0 : 0;
  let port = portIn();
  for (let i = 0; i < 300 && port === 0; i++) {
    await new Promise((r) => setTimeout(r, 100));
    port = portIn();
  }
  return { port, child, profile };
}

async function checkPage(port: number, url: string, width = 1400): Promise<PageCheck> {
  const target =
    await (await fetch(`http://127.0.0.1:${port}/json/new?about:blank`, { method: "PUT" })).json();
  const ws = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((r) => ws.addEventListener("open", r, { once: true }));
  let id = 0;
  const pending = new Map<number, (value: Record<string, unknown>) => void>();
  const errors: string[] = [];
  let loaded: () => void = () => {};
  const load = new Promise<void>((r) => (loaded = r));
  ws.addEventListener("message", (event) => {
    const msg = JSON.parse(String(event.data));
    if (msg.id && pending.has(msg.id)) pending.get(msg.id)!(msg.result ?? {});
    if (msg.method === "Runtime.exceptionThrown") {
      errors.push(JSON.stringify(msg.params.exceptionDetails.text));
    }
    if (msg.method === "Runtime.consoleAPICalled" && msg.params.type === "error") {
      errors.push(JSON.stringify(msg.params.args));
    }
    if (msg.method === "Log.entryAdded" && msg.params.entry.level === "error") {
      errors.push(msg.params.entry.text);
    }
    if (msg.method === "Page.loadEventFired") loaded();
  });
  const send = (
    method: string,
    params: Record<string, unknown> = {},
  ): Promise<Record<string, unknown>> =>
    new Promise((resolve) => {
      const n = ++id;
      pending.set(n, resolve);
      ws.send(JSON.stringify({ id: n, method, params }));
    });
  await send("Runtime.enable");
  await send("Log.enable");
  await send("Page.enable");
  await send("Emulation.setDeviceMetricsOverride", {
    width,
    height: 900,
    deviceScaleFactor: 1,
    mobile: width < 600,
  });
  await send("Page.navigate", { url });
  await Promise.race([load, new Promise((r) => setTimeout(r, 15_000))]);
  const sizes = await send("Runtime.evaluate", {
    expression:
      "JSON.stringify([...document.querySelectorAll('svg')].map(s => { const r = s.getBoundingClientRect(); return [r.width, r.height]; }))",
    returnByValue: true,
  });
  const measured = await send("Runtime.evaluate", {
    expression: `JSON.stringify({
      widths: {
        window: window.innerWidth,
        page: document.documentElement.scrollWidth,
        widestTable: Math.max(0, ...[...document.querySelectorAll("table")]
          .map((t) => t.getBoundingClientRect().width)),
      },
      links: [...document.querySelectorAll("a[href]")].map((a) => ({
        href: a.getAttribute("href"),
        url: new URL(a.getAttribute("href"), location.href).href,
        targetFound: !a.getAttribute("href").startsWith("#") ||
          document.getElementById(a.getAttribute("href").slice(1)) !== null,
      })),
      title: document.querySelector("h1").textContent,
    })`,
    returnByValue: true,
  });
  const shot = await send("Page.captureScreenshot", { format: "png" });
  ws.close();
  await fetch(`http://127.0.0.1:${port}/json/close/${target.id}`);
  const charts = JSON.parse(String((sizes["result"] as { value: string }).value)) as [
    number,
    number,
  ][];
  const screenshot = Uint8Array.from(atob(String(shot["data"])), (c) => c.charCodeAt(0));
  const { widths, links, title } = JSON.parse(
    String((measured["result"] as { value: string }).value),
  );
  return { errors, charts, widths, links, title, screenshot };
}

/** Every page the report tools make for one profile, plus a portal over it. */
async function makePages(root: string, profile: string, extra: string[] = []): Promise<string[]> {
  const env = { QMVC_HOME: profile };
  const reports = join(profile, "reports");
  const run = async (...args: string[]) => {
    const out = await new Deno.Command(BINARY, { args, env, clearEnv: true }).output();
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  };
  await run("log2html", "--out", join(reports, "log.html"), ...extra);
  await run("virulator", "--out", join(reports, "virulator.html"), ...extra);
  await run("calendar", "2026", ...extra);
  await run("month", "2026-10", "--no-archive", ...extra);
  await run("portal", "--out", join(root, "portal/index.html"), profile, ...extra);
  return [
    join(reports, "log.html"),
    join(reports, "virulator.html"),
    join(reports, "2026.html"),
    ...readdirSync(join(reports, "2026-10")).filter((f) => f.endsWith(".html")).map((f) =>
      join(reports, "2026-10", f)
    ),
    ...readdirSync(join(reports, "2026-11")).filter((f) => f.endsWith(".html")).map((f) =>
      join(reports, "2026-11", f)
    ),
    join(root, "portal/index.html"),
  ];
}

Deno.test({
  name:
    "report pages in headless Chromium at 1400 and 400 px: no console error, charts with a size, links that resolve, nothing wider than the window",
  ignore: !existsSync(CHROMIUM),
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const site = makeSite();
    const profile = join(site.root, "example.org");
    generateLog(profile, { start: "2026-10-28", days: 6, perDay: 9, hostile: true });
    // One delivery with the long unbroken fields that made tables 1,606 px wide.
    appendFileSync(
      join(profile, "log/qmvc.log"),
      formatLogRecord({
        time: new Date("2026-11-02T12:00:00Z"),
        pid: 1,
        verdict: "quarantine",
        conditions: ["virus", "badfilename", "badloadertype"],
        sender: `${"bounce-".repeat(12)}x@lists.example.net`,
        recipient: "user1@example.org",
        messageId: `<${"0123456789abcdef".repeat(8)}@mail.example.net>`,
        size: 123456789,
        parts: 12,
        scans: [
          {
            scanner: "clamd",
            outcome: "infected",
            detail: "Win.Trojan.Agent-1234567;Heuristics.Encrypted PDF",
          },
          { scanner: "clamscan", outcome: "failed", detail: "x".repeat(120) },
        ],
        milliseconds: 123456,
      }),
    );
    const pages = await makePages(site.root, profile);
    const chromium = await startChromium();
    try {
      for (const page of pages) {
        for (const width of [1400, 400]) {
          const where = `${page} at ${width} px`;
          const check = await checkPage(chromium.port, `file://${page}`, width);
          assert.deepEqual(check.errors, [], where);
          assert.ok(check.charts.length > 0 || !/log|virulator|index/.test(page), where);
          for (const [w, h] of check.charts) {
            assert.ok(w > 0 && h > 0 && w <= width, `${where}: a chart of ${w}x${h}`);
          }
          assert.ok(
            check.widths.page <= check.widths.window,
            `${where}: ${JSON.stringify(check.widths)}`,
          );
          // At desktop width every table fits; at 400 px a wide table scrolls in its own
          // box while the page itself does not (checked above).
          if (width === 1400) {
            assert.ok(
              check.widths.widestTable <= check.widths.window,
              `${where}: ${JSON.stringify(check.widths)}`,
            );
          }
          for (const link of check.links) {
            assert.ok(link.targetFound, `${where}: ${link.href} has a target`);
            if (link.url.startsWith("file://")) {
              const file = decodeURIComponent(new URL(link.url).pathname);
              assert.ok(existsSync(file), `${where}: ${link.href} resolves`);
            }
          }
          if (!page.endsWith("portal/index.html")) assert.match(check.title, /example\.org/, where);
          assert.ok(check.screenshot.length > 1000, `${where}: a screenshot`);
          if (Deno.env.get("QMVC_SCREENSHOTS")) {
            writeFileSync(
              join(
                Deno.env.get("QMVC_SCREENSHOTS")!,
                `${page.split("/").slice(-2).join("_")}-${width}.png`,
              ),
              check.screenshot,
            );
          }
        }
      }
    } finally {
      chromium.child.kill("SIGKILL");
      await chromium.child.status;
    }
  },
});

Deno.test({
  name: "report pages --anonymize: no address of the test data survives on any page",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const site = makeSite();
    const profile = join(site.root, "example.org");
    const { records, incidents } = generateLog(profile, {
      start: "2026-10-28",
      days: 6,
      perDay: 9,
      personal: true,
    });
    const pages = await makePages(site.root, profile, ["--anonymize"]);
    const addresses = new Set<string>(["alice.smith@example.org"]);
    for (const r of records) {
      addresses.add(r.sender).add(r.recipient).add(r.messageId.replace(/[<>]/g, ""));
    }
    for (const i of incidents) addresses.add(i.sender).add(i.recipient);
    for (const page of pages) {
      const text = readFileSync(page, "utf8");
      for (const address of addresses) {
        const escaped = address.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        const whole = new RegExp(`(?<![\\w.+-])${escaped}(?![\\w.-])`);
        assert.ok(!whole.test(text), `${page}: ${address}`);
      }
      assert.ok(!text.includes("Alice Smith"), page);
    }
  },
});
