/**
 * Import circles among the TypeScript files under one folder: the strongly connected components
 * (more than one file, or a file importing itself) of the graph of relative imports, type-only
 * imports included, since a circle of types still means the files cannot be read in any order.
 *
 *   npx tsx tools/import-cycles.ts [folder]   (default: config)
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";

function sourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith(".ts") && !path.endsWith(".d.ts") ? [path] : [];
  });
}

/** The file a relative specifier names (`./x` → `x.ts` or `x/index.ts`), or undefined outside the folder. */
function resolveSpecifier(from: string, specifier: string, files: ReadonlySet<string>): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  const base = resolve(dirname(from), specifier);
  return [`${base}.ts`, join(base, "index.ts"), base].find((candidate) => files.has(candidate));
}

/** Each file under `folder` and the files under `folder` it imports (relative imports and re-exports). */
export function importGraph(folder: string): Map<string, string[]> {
  const files = new Set(sourceFiles(resolve(folder)));
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, "utf8"), true, false);
    const targets = importedFiles.map((i) => resolveSpecifier(file, i.fileName, files)).filter((t): t is string => t !== undefined);
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** Strongly connected components with a circle in them (Tarjan), each sorted, paths relative to `folder`. */
export function importCycles(folder: string): string[][] {
  const graph = importGraph(folder);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let next = 0;
  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next);
    next += 1;
    stack.push(node);
    onStack.add(node);
    for (const target of graph.get(node) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(target) ?? 0));
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(target) ?? 0));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop();
      if (member === undefined) break;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || (graph.get(node) ?? []).includes(node)) cycles.push(component.map((f) => relative(resolve(folder), f)).sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return cycles;
}

if (require.main === module) {
  const folder = process.argv[2] ?? join(__dirname, "..", "config");
  if (!existsSync(folder)) throw new Error(`${folder}: no such folder`);
  const cycles = importCycles(folder);
  for (const cycle of cycles) console.log(`circle of ${cycle.length}: ${cycle.join(", ")}`);
  if (cycles.length > 0) process.exitCode = 1;
}
