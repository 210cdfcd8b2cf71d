import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT } from "../../tools/engine/run";

/** `npm run plan` as users run it: compiled once per state of the sources (tools/launch.mjs). */
function compiledPlan(args: readonly string[], env: NodeJS.ProcessEnv = process.env): string {
  const run = spawnSync(process.execPath, ["tools/launch.mjs", "tools/plan.ts", ...args, ...(args.includes("--help") ? [] : ["--json"])], { cwd: REPO_ROOT, encoding: "utf8", maxBuffer: 1 << 30, env });
  expect(run.status, run.stderr).to.equal(0);
  return run.stdout;
}

/** The same plan from the TypeScript sources through tsx, as the tests and `npx tsx` run it. */
function sourcePlan(args: readonly string[]): string {
  const run = spawnSync(process.execPath, ["--import", "tsx", "tools/plan.ts", ...args, "--json"], { cwd: REPO_ROOT, encoding: "utf8", maxBuffer: 1 << 30 });
  expect(run.status, run.stderr).to.equal(0);
  return run.stdout;
}

describe("the plan from compiled JavaScript (issue #27: plan time)", () => {
  it("plans prod exactly as the TypeScript sources do, dynamic providers' serialized code included", () => {
    const args = ["--stack", "prod"];
    const compiled = compiledPlan(args);
    expect(compiled).to.include("__provider");
    expect(compiled).to.equal(sourcePlan(args));
  });

  it("keeps a vSphere stack's serialized dynamic providers in the compiled tree: the plan is the same with them kept, fresh, or from sources", () => {
    const args = ["--stack", "tartware", "--config-file", "examples/tartware/Pulumi.tartware.yaml"];
    const trees = join(REPO_ROOT, ".strata", "js");
    const keptFiles = (): string[] =>
      existsSync(trees) ? readdirSync(trees).flatMap((tree) => (existsSync(join(trees, tree, ".serialized-providers")) ? readdirSync(join(trees, tree, ".serialized-providers")) : [])) : [];
    if (existsSync(trees)) for (const tree of readdirSync(trees)) rmSync(join(trees, tree, ".serialized-providers"), { recursive: true, force: true });
    const fresh = compiledPlan(args);
    expect(keptFiles(), "ApiReadiness's and TokenExpiry's providers").to.have.length(2);
    const kept = compiledPlan(args);
    expect(kept).to.include("pulumi-nodejs:dynamic/strata:ApiReadiness").and.to.include("pulumi-nodejs:dynamic/strata:TokenExpiry");
    expect(kept).to.equal(fresh);
    expect(kept).to.equal(sourcePlan(args));
  });

  it("reuses the planned upstream stack on the next run, with the same result as planning it again", () => {
    const args = ["--stack", "valueverse", "--config-file", "examples/valueverse.yaml"];
    const first = compiledPlan(args);
    const cache = join(REPO_ROOT, ".strata", "upstream");
    expect(existsSync(cache) && readdirSync(cache).length > 0, "an upstream result kept in .strata/upstream").to.equal(true);
    const second = compiledPlan(args);
    expect(second).to.equal(first);
    expect(second).to.equal(sourcePlan(args));
  });

  it("compiles through Node's compile cache in .strata/compile-cache, the program's process included; NODE_COMPILE_CACHE names another", () => {
    const { NODE_COMPILE_CACHE: _ignored, ...inherited } = process.env;
    /** Modules cached by one run from an empty cache directory (Node keeps them in one subdirectory per Node version). */
    const cachedBy = (args: readonly string[], dir: string, env: NodeJS.ProcessEnv): number => {
      rmSync(dir, { recursive: true, force: true });
      compiledPlan(args, env);
      const versions = readdirSync(dir);
      expect(versions, "one directory per Node version, none nested in another").to.have.length(1);
      return readdirSync(join(dir, versions[0] ?? "")).length;
    };
    const flask = ["--stack", "flask-next-node", "--config-file", "examples/flask-next-node/Pulumi.flask-next-node.yaml"];
    const dir = join(REPO_ROOT, ".strata", "compile-cache");
    const planProcessOnly = cachedBy(["--help"], dir, inherited);
    // The program's process loads the Pulumi SDK, its providers and the program: several times the plan's own modules.
    expect(cachedBy(flask, dir, inherited)).to.be.greaterThan(3 * planProcessOnly);
    const elsewhere = mkdtempSync(join(tmpdir(), "strata-compile-cache-"));
    try {
      expect(cachedBy(["--help"], elsewhere, { ...inherited, NODE_COMPILE_CACHE: elsewhere })).to.be.closeTo(planProcessOnly, 10);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});
