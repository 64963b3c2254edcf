/**
 * The parsed-control cache names the build that parsed (src/delivery/control_cache.ts):
 * its built-in defaults are in the cache, so a cache another build wrote would hand this
 * one defaults it does not have. The build names itself, so a copy of the same build
 * elsewhere shares the cache and no file needs a look.
 */
import assert from "node:assert/strict";
import { copyFileSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BINARY, deliver, fixture, makeSite } from "../_helpers/qmail_local.ts";

/** A site whose control folder is past the cache's 2 s racy window, and its cache file. */
async function agedSite(): Promise<{ site: ReturnType<typeof makeSite>; cacheFile: string }> {
  const site = makeSite();
  await new Promise((resolve) => setTimeout(resolve, 2_100));
  return { site, cacheFile: join(site.system, "cache", `control-${Deno.uid()}.json`) };
}

function deliverWith(binDir: string, site: ReturnType<typeof makeSite>) {
  return deliver({
    line: "qmvc -n",
    message: fixture("clean_plain.eml"),
    home: site.home,
    binDir,
    env: { QMVC_HOME: site.system },
  });
}

function keyOf(cacheFile: string): string[] {
  return (JSON.parse(readFileSync(cacheFile, "utf8")).key as string).split("\n");
}

Deno.test("control cache: keyed to the binary's build, which a copy of the binary shares", async () => {
  const { site, cacheFile } = await agedSite();
  assert.equal((await deliverWith(join(BINARY, ".."), site)).code, 0);
  const [, build] = keyOf(cacheFile);
  assert.match(build ?? "", /^build [0-9a-f-]{36}$/);

  const bin = join(site.root, "bin");
  Deno.mkdirSync(bin);
  copyFileSync(BINARY, join(bin, "qmvc"));
  Deno.chmodSync(join(bin, "qmvc"), 0o755);
  const written = statSync(cacheFile);
  const result = await deliverWith(bin, site);
  assert.equal(result.code, 0, result.stderr);
  const after = statSync(cacheFile);
  assert.equal(after.ino, written.ino, "the copy used the cache instead of writing its own");
  assert.equal(after.mtimeMs, written.mtimeMs);
});

Deno.test("control cache: a cache another build wrote is not used, and is written anew", async () => {
  const { site, cacheFile } = await agedSite();
  assert.equal((await deliverWith(join(BINARY, ".."), site)).code, 0);
  const cache = JSON.parse(readFileSync(cacheFile, "utf8"));
  const [format, ours, ...rest] = (cache.key as string).split("\n");
  cache.key = [format, "build 00000000-0000-4000-8000-000000000000", ...rest].join("\n");
  writeFileSync(cacheFile, JSON.stringify(cache), { mode: 0o600 });

  const result = await deliverWith(join(BINARY, ".."), site);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(keyOf(cacheFile)[1], ours, "the other build's cache stood");
});
