import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";
import { UsageError, parseVerifyArgs } from "../../tools/verify/cli";

const REPO = resolve(__dirname, "..", "..");

function runVerify(args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ["--import", "tsx", join(REPO, "tools", "verify.ts"), ...args], { cwd: REPO, encoding: "utf8" });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("verify: command line", () => {
  it("plans a stack in-process with --stack, alone or with its config file", () => {
    expect(parseVerifyArgs(["--stack", "prod", "--config-file", "f.yaml", "--charts", "c"])).to.deep.equal({ stack: "prod", configFile: "f.yaml", charts: "c", json: false });
    expect(() => parseVerifyArgs(["--stack", "prod", "--plan", "p.json"])).to.throw(UsageError, "give exactly one of --plan and --stack");
    expect(() => parseVerifyArgs(["--plan", "p.json", "--config-file", "f.yaml"])).to.throw(UsageError, "--config-file goes with --stack");
    const result = runVerify(["--stack", "dev"]);
    expect(result.status, result.stderr).to.equal(0);
    expect(result.stdout).to.match(/^0 error\(s\), \d+ warning\(s\); checked \d+ Helm release\(s\), \d+ custom resource\(s\), \d+ Kubernetes object\(s\), \d+ connection\(s\)$/m);
  });
});
