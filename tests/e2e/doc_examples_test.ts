/**
 * Every command line the README and docs/ show an admin is run here, the way the admin
 * would, against a sandbox in place of /usr/local/bin and /var/qmvc: a doc that says
 * one thing while qmvc does another fails here. A line this test does not know how to
 * run fails too, so a new example cannot go untried.
 */
import assert from "node:assert/strict";
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  BINARY,
  deliver,
  makeSite,
  REPO,
  type Site,
  writeControl,
} from "../_helpers/qmail_local.ts";

interface Example {
  readonly file: string;
  readonly line: number;
  readonly text: string;
}

/** Lines of fenced blocks (README, templates) and indented blocks (docs), comments cut. */
function examples(): Example[] {
  const files = [
    "README.md",
    ...readdirSync(join(REPO, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`),
  ];
  const found: Example[] = [];
  for (const file of files) {
    let fenced = false;
    readFileSync(join(REPO, file), "utf8").split("\n").forEach((raw, i) => {
      if (raw.startsWith("```")) {
        fenced = !fenced;
        return;
      }
      const indented = file.startsWith("docs/") && /^ {4}\S/.test(raw);
      if (!fenced && !indented) {
        // Inline badbodytexts programs in the prose are examples too.
        for (const m of raw.matchAll(/`(\|!?\/[^`]+)`/g)) {
          found.push({ file, line: i + 1, text: m[1]! });
        }
        return;
      }
      const text = raw.trim().replace(/\s+#.*$/, "");
      if (text !== "" && !text.startsWith("#")) found.push({ file, line: i + 1, text });
    });
  }
  return found;
}

/** Lines that are not commands, or that change the machine or the project itself. */
const NOT_RUN: readonly [RegExp, string][] = [
  [/^(npm ci|npx deno task (build|test))$/, "the project's own set-up and test run: CI runs them"],
  [/^\.\/Maildir\/$/, "qmail-local's own delivery line below qmvc"],
  [
    /install( --man \S+)?( --dry-run)?$/,
    "needs qmail's alias user and root: install_test.ts runs it for nobody",
  ],
  [/^time\s+pid\s+verdict/, "the log's field names, not a command"],
  [/^scanners:$/, "a YAML key in a control file, not a command"],
  [/^\|qmvc \[-n\]/, "the synopsis, not a command"],
];

/** The example's command with the real places replaced by the sandbox's. */
function localise(text: string, site: Site): string {
  return text.replaceAll("/usr/local/bin/qmvc", BINARY).replaceAll("./dist/qmvc", BINARY)
    .replaceAll("/usr/local/bin/plainmail", `${BINARY} plainmail`)
    .replaceAll("/var/qmvc", site.system);
}

function sandbox(): Site {
  const site = makeSite();
  // Two virtual-domain profiles, for the portal example.
  mkdirSync(join(site.system, "example.org/log"), { recursive: true });
  mkdirSync(join(site.system, "example.net/log"), { recursive: true });
  mkdirSync(join(site.system, "log"), { recursive: true });
  mkdirSync(join(site.system, "reports"), { recursive: true });
  return site;
}

async function shell(command: string, site: Site): Promise<{ code: number; output: string }> {
  const out = await new Deno.Command("/bin/sh", {
    args: ["-c", command],
    cwd: REPO,
    env: { PATH: "/usr/bin:/bin", QMVC_HOME: site.system, HOME: site.home },
    clearEnv: true,
  }).output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, output: decode(out.stdout) + decode(out.stderr) };
}

for (const example of examples()) {
  const skip = NOT_RUN.find(([pattern]) => pattern.test(example.text));
  Deno.test({
    name: `${example.file}:${example.line}: ${example.text}`,
    ignore: skip !== undefined,
    fn: async () => {
      const site = sandbox();
      const cron = /^([\d*/,]+\s+){5}(.*)$/.exec(example.text);
      if (example.text.startsWith("|!") || example.text.startsWith("|/usr/local/bin/plainmail")) {
        // A badbodytexts program: it must work as that file's line, on a real delivery.
        writeControl(site.system, "filters", "body=y\n");
        writeControl(site.system, "badbodytexts", `${localise(example.text, site)}\n`);
        if (example.text.includes("bogofilter")) {
          // The example's word list, trained as an admin would: the samples as ham and spam.
          mkdirSync(join(site.system, "bogofilter"));
          for (const [flag, sample] of [["-n", "clean.eml"], ["-s", "iloveyou.eml"]]) {
            const train = new Deno.Command("/bin/sh", {
              args: [
                "-c",
                `/usr/bin/bogofilter -d "$0" ${flag} < "$1"`,
                join(site.system, "bogofilter"),
                join(REPO, "samples", sample!),
              ],
            }).outputSync();
            assert.equal(train.code, 0);
          }
        }
        const result = await deliver({
          line: "qmvc -n",
          message: join(REPO, "samples/clean.eml"),
          home: site.home,
          env: { QMVC_HOME: site.system, PATH: `${join(REPO, "dist")}:/usr/bin:/bin` },
        });
        assert.equal(result.code, 0, result.stderr);
      } else if (example.text.startsWith("|")) {
        const result = await deliver({
          line: localise(example.text.slice(1), site).replace(/^qmvc /, `${BINARY} `),
          message: join(REPO, "samples/clean.eml"),
          home: site.home,
          recipient: "example-info@example.org",
          env: { QMVC_HOME: site.system, USER: "example" },
        });
        assert.equal(result.code, 0, result.stderr);
      } else if (cron) {
        const { code, output } = await shell(localise(cron[2]!, site), site);
        assert.equal(code, 0, output);
      } else if (/^(\.\/dist\/qmvc|\/usr\/local\/bin\/qmvc|qmvc) /.test(example.text)) {
        const { code, output } = await shell(
          localise(example.text, site).replace(/^qmvc /, `${BINARY} `),
          site,
        );
        assert.equal(code, 0, output);
      } else {
        assert.fail(`no rule to run this example: add one, or a reason to NOT_RUN`);
      }
    },
  });
}

Deno.test("the docs have examples to run", () => {
  assert.ok(examples().length >= 10);
});
