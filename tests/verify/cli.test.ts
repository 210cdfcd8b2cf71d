import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { UsageError, parseVerifyArgs } from "../../tools/verify/cli";
import { defaultChartsDir } from "../../tools/verify/reference-dir";
import { FIXTURE_CHARTS, planOf, release } from "./plans";

const REPO = resolve(__dirname, "..", "..");

function runVerify(args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ["--import", "tsx", join(REPO, "tools", "verify.ts"), ...args], { cwd: REPO, encoding: "utf8" });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function writePlan(values: Record<string, unknown>): string {
  const file = join(mkdtempSync(join(tmpdir(), "strata-verify-")), "plan.json");
  writeFileSync(file, JSON.stringify(planOf(release("demo", { values }))));
  return file;
}

describe("verify: command line", () => {
  it("parses --plan, --charts and --json, defaulting the charts folder", () => {
    expect(parseVerifyArgs(["--plan", "p.json", "--charts", "c", "--json"])).to.deep.equal({ plan: "p.json", charts: "c", json: true });
    expect(parseVerifyArgs(["--plan", "p.json"], { STRATA_CHART_REFERENCE: "/data/charts" })).to.deep.equal({
      plan: "p.json",
      charts: "/data/charts",
      json: false,
    });
    expect(defaultChartsDir({})).to.equal(resolve(REPO, "..", "shared", "reference", "charts"));
    expect(() => parseVerifyArgs([])).to.throw(UsageError, "give exactly one of --plan and --stack");
    expect(() => parseVerifyArgs(["--plan", "p.json", "--chart", "c"])).to.throw(UsageError, "--chart");
  });

  it("exits 0 with a summary line when the plan is clean", () => {
    const result = runVerify(["--plan", writePlan({ replicaCount: 2 }), "--charts", FIXTURE_CHARTS]);
    expect(result.stderr).to.equal("");
    expect(result.stdout.trim()).to.equal("0 error(s), 0 warning(s); checked 1 Helm release(s), 0 custom resource(s), 0 Kubernetes object(s), 0 connection(s)");
    expect(result.status).to.equal(0);
  });

  it("exits 1 and prints one line per finding when there are errors", () => {
    const result = runVerify(["--plan", writePlan({ replicaCont: 2 }), "--charts", FIXTURE_CHARTS]);
    expect(result.stdout.trim().split("\n")).to.deep.equal([
      'error helm-values kubernetes:helm.sh/v3:Release demo: replicaCont: unknown value key: not in demo-app/values.yaml; did you mean "replicaCount"?',
      "1 error(s), 0 warning(s); checked 1 Helm release(s), 0 custom resource(s), 0 Kubernetes object(s), 0 connection(s)",
    ]);
    expect(result.status).to.equal(1);
  });

  it("prints findings as JSON with --json", () => {
    const result = runVerify(["--plan", writePlan({ replicaCont: 2 }), "--charts", FIXTURE_CHARTS, "--json"]);
    const parsed = JSON.parse(result.stdout) as { summary: unknown; findings: { path: string }[] };
    expect(parsed.summary).to.deep.equal({ errors: 1, warnings: 0 });
    expect(parsed.findings.map((finding) => finding.path)).to.deep.equal(["replicaCont"]);
    expect(result.status).to.equal(1);
  });

  it("exits 2 on bad arguments or an unreadable plan", () => {
    const missing = runVerify(["--charts", FIXTURE_CHARTS]);
    expect(missing.status).to.equal(2);
    expect(missing.stderr).to.contain("verify: give exactly one of --plan and --stack");
    const unreadable = runVerify(["--plan", "/nonexistent/plan.json", "--charts", FIXTURE_CHARTS]);
    expect(unreadable.status).to.equal(2);
    expect(unreadable.stderr).to.contain("/nonexistent/plan.json: cannot read plan");
  });
});
