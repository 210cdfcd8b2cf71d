/**
 * The offline plan of a stack at another commit: the commit's tree is extracted with `git archive`
 * into a temporary directory that shares this checkout's node_modules, then planned with the same
 * engine. A stack (or config file) that does not exist at that commit plans as empty.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join, relative, resolve } from "node:path";
import type { PlanDocument } from "../engine/plan-document";
import { REPO_ROOT, runStack, toPlanDocument } from "../engine/run";

export interface AtRefOptions {
  readonly ref: string;
  readonly stack: string;
  /** Config file in this checkout; the same path is used inside the other commit's tree. */
  readonly configFile?: string;
  /** @default - this checkout */
  readonly repoDir?: string;
}

/** The commit a ref names, or an error that says which ref could not be resolved. */
export function resolveRef(repoDir: string, ref: string): string {
  try {
    return execFileSync("git", ["-C", repoDir, "rev-parse", "--verify", "--quiet", `${ref}^{commit}`], { encoding: "utf8" }).trim();
  } catch {
    throw new Error(`--diff: ${ref} is not a commit in ${repoDir}; use a branch, tag or commit (e.g. origin/main)`);
  }
}

export async function planAtRef(options: AtRefOptions): Promise<PlanDocument> {
  return (await planAtRefWithConfig(options)).plan;
}

/** The plan at the ref and the text of the stack file it planned (undefined where the ref has none). */
export async function planAtRefWithConfig(options: AtRefOptions): Promise<{ readonly plan: PlanDocument; readonly stackFileText?: string }> {
  const repoDir = options.repoDir ?? REPO_ROOT;
  const commit = resolveRef(repoDir, options.ref);
  const dir = mkdtempSync(join(tmpdir(), "strata-ref-"));
  try {
    execFileSync("tar", ["-x", "-C", dir], { input: execFileSync("git", ["-C", repoDir, "archive", "--format=tar", commit], { maxBuffer: 1 << 30 }) });
    symlinkSync(join(REPO_ROOT, "node_modules"), join(dir, "node_modules"), "dir");
    const inTree = options.configFile === undefined ? undefined : join(dir, relative(repoDir, isAbsolute(options.configFile) ? options.configFile : resolve(options.configFile)));
    const stackFile = inTree ?? join(dir, `Pulumi.${options.stack}.yaml`);
    if (!existsSync(stackFile) || !existsSync(join(dir, "index.ts"))) return { plan: { project: "", stack: options.stack, resources: [], outputs: {} } };
    const stackFileText = readFileSync(stackFile, "utf8");
    return { plan: toPlanDocument(await runStack({ stack: options.stack, projectDir: dir, ...(inTree === undefined ? {} : { configFile: inTree }) })), stackFileText };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
