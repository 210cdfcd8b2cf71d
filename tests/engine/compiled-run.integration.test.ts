import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../../tools/engine/run";

/** `npm run plan` as users run it: compiled once per state of the sources (tools/launch.mjs). */
function compiledPlan(args: readonly string[]): string {
  const run = spawnSync(process.execPath, ["tools/launch.mjs", "tools/plan.ts", ...args, "--json"], { cwd: REPO_ROOT, encoding: "utf8", maxBuffer: 1 << 30 });
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

  it("reuses the planned upstream stack on the next run, with the same result as planning it again", () => {
    const args = ["--stack", "valueverse", "--config-file", "examples/valueverse.yaml"];
    const first = compiledPlan(args);
    const cache = join(REPO_ROOT, ".strata", "upstream");
    expect(existsSync(cache) && readdirSync(cache).length > 0, "an upstream result kept in .strata/upstream").to.equal(true);
    const second = compiledPlan(args);
    expect(second).to.equal(first);
    expect(second).to.equal(sourcePlan(args));
  });
});
