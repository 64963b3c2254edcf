/**
 * The report pages in a real browser: headless Chromium (Debian's package) opens each
 * page over the DevTools protocol, offline, with a fresh profile; the test asserts no
 * console error or exception and that every chart has a size, and keeps a screenshot.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BINARY, makeSite } from "../_helpers/qmail_local.ts";
import { generateLog } from "../_helpers/logs.ts";

const CHROMIUM = "/usr/bin/chromium";

interface PageCheck {
  readonly errors: string[];
  readonly charts: [number, number][];
  readonly screenshot: Uint8Array;
}

async function startChromium(): Promise<
  { port: number; child: Deno.ChildProcess; profile: string }
> {
  const profile = mkdtempSync(join(tmpdir(), "qmvc-chromium-"));
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
  const portFile = join(profile, "DevToolsActivePort");
  for (let i = 0; i < 300 && !existsSync(portFile); i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  const port = Number(readFileSync(portFile, "utf8").split("\n")[0]);
  return { port, child, profile };
}

async function checkPage(port: number, url: string): Promise<PageCheck> {
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
  await send("Page.navigate", { url });
  await Promise.race([load, new Promise((r) => setTimeout(r, 15_000))]);
  const sizes = await send("Runtime.evaluate", {
    expression:
      "JSON.stringify([...document.querySelectorAll('svg')].map(s => { const r = s.getBoundingClientRect(); return [r.width, r.height]; }))",
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
  return { errors, charts, screenshot };
}

Deno.test({
  name: "report pages open in headless Chromium without console errors, and every chart has a size",
  ignore: !existsSync(CHROMIUM),
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const site = makeSite();
    generateLog(site.system, { start: "2026-10-28", days: 6, perDay: 9, hostile: true });
    const env = { QMVC_HOME: site.system };
    const reports = join(site.system, "reports");
    const run = async (...args: string[]) => {
      const out = await new Deno.Command(BINARY, { args, env, clearEnv: true }).output();
      assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
      return new TextDecoder().decode(out.stdout);
    };
    writeFileSync(join(site.root, "log.html"), await run("log2html"));
    writeFileSync(join(site.root, "virulator.html"), await run("virulator"));
    await run("calendar", "2026");
    await run("portal", "--out", join(site.root, "portal.html"), site.system);
    const pages = [
      join(site.root, "log.html"),
      join(site.root, "virulator.html"),
      join(reports, "2026.html"),
      join(reports, "2026-10/index.html"),
      join(reports, "2026-10/2026-10-28.html"),
      join(site.root, "portal.html"),
    ];
    const chromium = await startChromium();
    try {
      for (const page of pages) {
        const check = await checkPage(chromium.port, `file://${page}`);
        assert.deepEqual(check.errors, [], page);
        for (const [w, h] of check.charts) {
          assert.ok(w > 0 && h > 0, `${page}: a chart of ${w}x${h}`);
        }
        assert.ok(check.screenshot.length > 1000, `${page}: a screenshot`);
        writeFileSync(`${page}.png`, check.screenshot);
        if (Deno.env.get("QMVC_SCREENSHOTS")) {
          writeFileSync(
            join(Deno.env.get("QMVC_SCREENSHOTS")!, `${page.split("/").slice(-2).join("_")}.png`),
            check.screenshot,
          );
        }
      }
      const monthCharts = (await checkPage(chromium.port, `file://${pages[3]}`)).charts;
      assert.ok(monthCharts.length >= 1, "the month page draws its charts");
    } finally {
      chromium.child.kill("SIGKILL");
      await chromium.child.status;
    }
  },
});
