/** Issue #9: a split stack under examples/ plans its upstream from the config file beside it. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { upstreamConfigBeside } from "../../tools/engine/run";

describe("engine: upstream stack config beside a --config-file", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "strata-upstream-"));
    writeFileSync(join(dir, "eks-prod-infra.yaml"), "config: {}\n");
    writeFileSync(join(dir, "Pulumi.shared.yaml"), "config: {}\n");
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("finds <stack>.yaml, then Pulumi.<stack>.yaml, next to the downstream config", () => {
    const downstream = join(dir, "eks-prod-cluster.yaml");
    expect(upstreamConfigBeside(downstream, "eks-prod-infra")).to.equal(join(dir, "eks-prod-infra.yaml"));
    expect(upstreamConfigBeside(downstream, "shared")).to.equal(join(dir, "Pulumi.shared.yaml"));
  });
  it("finds nothing when neither exists, so the project's Pulumi.<stack>.yaml is used", () => {
    expect(upstreamConfigBeside(join(dir, "x.yaml"), "missing")).to.equal(undefined);
  });
  it("the production example names an upstream stack whose config sits beside it", () => {
    expect(upstreamConfigBeside(join(__dirname, "..", "..", "examples", "eks-prod-cluster.yaml"), "eks-prod-infra")).to.match(/examples\/eks-prod-infra\.yaml$/);
  });
});
