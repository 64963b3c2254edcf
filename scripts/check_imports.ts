// deno-lint-ignore-file no-console
/**
 * House rules for imports (STYLE 1 and 2), run by `deno task lint`:
 * - a stage imports another stage only through its `mod.ts`;
 * - the pure stages (message, analyse, rules, plainmail core) import no I/O modules and
 *   touch no Deno.*, Date.now() or process.env;
 * - the stage-level import graph has no cycles.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), "..");
const SRC = join(ROOT, "src");
const PURE_STAGES = new Set(["message", "analyse", "rules", "plainmail"]);
const FORBIDDEN_IN_PURE = ["node:fs", "node:net", "node:child_process", "node:os", "node:process"];
const FORBIDDEN_CALLS = [/\bDeno\./, /\bDate\.now\(/, /\bprocess\.env\b/, /\bnew Date\(\)/];
/** Files in a pure stage that are its edge on purpose (a command's I/O wrapper). */
const PURE_EDGE_FILES = new Set(["plainmail/plainmail_command.ts"]);

function* tsFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* tsFiles(path);
    else if (name.endsWith(".ts")) yield path;
  }
}

const problems: string[] = [];
const stageEdges = new Map<string, Set<string>>();

for (const file of tsFiles(SRC)) {
  const rel = relative(SRC, file);
  const stage = rel.split("/")[0]!;
  const text = readFileSync(file, "utf8");
  const imports = [...text.matchAll(/^\s*(?:import|export)[^;]*?from\s+"([^"]+)"/gm)].map((m) =>
    m[1]!
  );
  for (const spec of imports) {
    if (spec.startsWith(".")) {
      const target = relative(SRC, resolve(dirname(file), spec));
      const targetStage = target.split("/")[0]!;
      if (targetStage !== stage) {
        if (!target.endsWith("/mod.ts") || target.split("/").length !== 2) {
          problems.push(
            `${rel}: imports "${spec}"; import another stage only through src/${targetStage}/mod.ts`,
          );
        }
        if (!stageEdges.has(stage)) stageEdges.set(stage, new Set());
        stageEdges.get(stage)!.add(targetStage);
      }
    } else if (
      PURE_STAGES.has(stage) && !PURE_EDGE_FILES.has(rel) && FORBIDDEN_IN_PURE.includes(spec)
    ) {
      problems.push(
        `${rel}: imports "${spec}", but ${stage} is a pure stage; pass what it needs as arguments`,
      );
    }
  }
  if (PURE_STAGES.has(stage) && !PURE_EDGE_FILES.has(rel)) {
    const code = text.replace(/\/\/.*$/gm, "").replace(/\/\*[\s\S]*?\*\//g, "");
    for (const pattern of FORBIDDEN_CALLS) {
      if (pattern.test(code)) {
        problems.push(`${rel}: uses ${pattern.source.replace(/\\/g, "")} in pure stage ${stage}`);
      }
    }
  }
}

function findCycle(): string[] | undefined {
  const state = new Map<string, "visiting" | "done">();
  const path: string[] = [];
  const visit = (stage: string): string[] | undefined => {
    if (state.get(stage) === "done") return undefined;
    if (state.get(stage) === "visiting") return [...path.slice(path.indexOf(stage)), stage];
    state.set(stage, "visiting");
    path.push(stage);
    for (const next of stageEdges.get(stage) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(stage, "done");
    return undefined;
  };
  for (const stage of stageEdges.keys()) {
    const cycle = visit(stage);
    if (cycle) return cycle;
  }
  return undefined;
}

const cycle = findCycle();
if (cycle) problems.push(`stage import cycle: ${cycle.join(" -> ")}`);

if (problems.length) {
  for (const p of problems) console.error(p);
  Deno.exit(1);
}
console.log(`check_imports: ${stageEdges.size} stages import each other cleanly`);
