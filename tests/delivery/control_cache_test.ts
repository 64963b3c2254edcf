/**
 * The parsed-control cache (src/delivery/control_cache.ts): used only while nothing it
 * was built from has changed, never when it is corrupt or not this user's own, and not
 * written while a file is too fresh to tell a later change by its times.
 */
import assert from "node:assert/strict";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { loadCachedControl } from "../../src/delivery/control_cache.ts";
import { readTextFile, resolveProfile } from "../../src/profile/mod.ts";
import { tempDir } from "../_helpers/temp_dirs.ts";

const tick = () => new Promise((resolve) => setTimeout(resolve, 30));

function site() {
  const root = tempDir("qmvc-control-cache-");
  const system = join(root, "system");
  const common = join(root, "example.org");
  mkdirSync(join(system, "control"), { recursive: true });
  mkdirSync(join(common, "control"), { recursive: true });
  writeFileSync(join(system, "control", "badsubjects"), "ILOVEYOU\n");
  const binary = join(root, "qmvc");
  writeFileSync(binary, "the binary");
  const profile = resolveProfile({ user: false, common }, { QMVC_HOME: system });
  const cacheFile = join(common, "cache", `control-${Deno.uid()}.json`);
  const load = (racyMs = 0) => loadCachedControl(profile, { binary, racyMs });
  return { system, common, binary, profile, cacheFile, load };
}

const subjects = (control: Awaited<ReturnType<typeof loadCachedControl>>) =>
  control.badsubjects.entries.map((e) => e.pattern);

/** Change the cached copy behind the key's back: a load that returns it used the cache. */
function tamper(cacheFile: string): void {
  const data = JSON.parse(readFileSync(cacheFile, "utf8"));
  data.control.badsubjects.entries[0].pattern = "FROM THE CACHE";
  writeFileSync(cacheFile, JSON.stringify(data), { mode: 0o600 });
}

Deno.test("control cache: written once the files are old enough, then used while nothing changed", async () => {
  const s = site();
  await s.load(2_000);
  assert.equal(existsSync(s.cacheFile), false, "files of this second are too fresh to cache");
  assert.deepEqual(subjects(await s.load()), ["ILOVEYOU"]);
  assert.equal(readFileSync(s.cacheFile).length > 0, true);
  tamper(s.cacheFile);
  assert.deepEqual(subjects(await s.load()), ["FROM THE CACHE"]);
});

for (
  const [change, act] of [
    ["a control file rewritten with the same size", (s: ReturnType<typeof site>) => {
      writeFileSync(join(s.system, "control", "badsubjects"), "ILOVEYOX\n");
    }],
    ["a control file added to a more specific layer", (s: ReturnType<typeof site>) => {
      writeFileSync(join(s.common, "control", "badsubjects"), "ILOVEYOU\n");
    }],
    ["a control file's mode", (s: ReturnType<typeof site>) => {
      chmodSync(join(s.system, "control", "badsubjects"), 0o600);
    }],
    ["the binary (the built-in defaults)", (s: ReturnType<typeof site>) => {
      writeFileSync(s.binary, "the binary");
    }],
    ["a corrupt cache", (s: ReturnType<typeof site>) => {
      writeFileSync(s.cacheFile, readFileSync(s.cacheFile, "utf8").slice(0, 100));
    }],
    ["a cache others may write", (s: ReturnType<typeof site>) => {
      chmodSync(s.cacheFile, 0o666);
    }],
  ] as const
) {
  Deno.test(`control cache: not used after ${change}`, async () => {
    const s = site();
    await s.load();
    tamper(s.cacheFile);
    await tick();
    act(s);
    const subject = subjects(await s.load());
    assert.notDeepEqual(subject, ["FROM THE CACHE"]);
    assert.deepEqual(
      subject,
      change.startsWith("a control file rewritten") ? ["ILOVEYOX"] : ["ILOVEYOU"],
    );
  });
}

/** A scanners.yaml whose parsed form holds a RegExp (its virus pattern): never cached. */
const SCANNERS_WITH_VIRUS_PATTERN =
  "scanners:\n  myscan:\n    command: /bin/true\n    clean: [0]\n    infected: [1]\n" +
  "    virus: '^(?<file>.*): (?<name>.+) FOUND$'\n";

Deno.test("control cache: a profile whose parsed form is not plain data is never cached", async () => {
  const s = site();
  writeFileSync(join(s.system, "control", "scanners.yaml"), SCANNERS_WITH_VIRUS_PATTERN);
  const control = await s.load();
  assert.ok(control["scanners.yaml"].scanners["myscan"]);
  assert.equal(existsSync(s.cacheFile), false);
});

Deno.test("control cache: not written from a file that changed between its read and its stamp", async () => {
  // A deploy that switches a symlink to a release prepared earlier lands while a delivery
  // parses: what was read is the old release, the stamps taken afterwards the new one,
  // whose times are old. Such a cache would serve the old controls until the next change.
  const s = site();
  const releases = join(s.system, "..", "releases");
  for (const [release, subject] of [["1", "ILOVEYOU"], ["2", "NEWRELEASE"]] as const) {
    mkdirSync(join(releases, release), { recursive: true });
    writeFileSync(join(releases, release, "badsubjects"), `${subject}\n`);
  }
  const current = join(releases, "current");
  symlinkSync(join(releases, "1"), current);
  const badsubjects = join(s.system, "control", "badsubjects");
  unlinkSync(badsubjects);
  symlinkSync(join(current, "badsubjects"), badsubjects);
  await tick();
  const deployWhileRead = (path: string) => {
    const text = readTextFile(path);
    if (path === badsubjects) {
      symlinkSync(join(releases, "2"), `${current}.new`);
      renameSync(`${current}.new`, current);
    }
    return text;
  };
  assert.deepEqual(
    subjects(
      await loadCachedControl(s.profile, { binary: s.binary, racyMs: 0, read: deployWhileRead }),
    ),
    ["ILOVEYOU"],
  );
  assert.deepEqual(subjects(await s.load()), ["NEWRELEASE"]);
});

Deno.test("control cache: a scanner line without path= (clamd) is cached and read back the same", async () => {
  const s = site();
  writeFileSync(join(s.system, "control", "scanners"), "clamd endpoint=/run/clamav/clamd.ctl\n");
  await tick();
  const parsed = await s.load();
  assert.equal(parsed.scanners.entries[0]?.path, undefined);
  assert.equal(existsSync(s.cacheFile), true, "the usual clamd line must not disable the cache");
  const cached = await s.load();
  assert.deepEqual(
    cached.scanners.entries.map((e) => ({ ...e, path: e.path })),
    parsed.scanners.entries,
  );
});

Deno.test("control cache: a profile that can never be cached costs a delivery no file in cache/", async () => {
  // scanners.yaml's virus patterns are RegExps: every delivery of such a site would make,
  // and remove again, a temporary file in the shared cache/.
  const s = site();
  writeFileSync(join(s.system, "control", "scanners.yaml"), SCANNERS_WITH_VIRUS_PATTERN);
  await tick();
  await s.load();
  assert.equal(existsSync(join(s.common, "cache")), false);
});
