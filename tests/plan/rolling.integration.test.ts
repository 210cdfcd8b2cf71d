/**
 * Issue #20: on every stack, each workload strata renders that reads a Secret or ConfigMap strata
 * renders carries a digest of it on its pod template, so rotating it rolls the pods.
 */
import { expect } from "chai";
import type { PlannedResource } from "../../tools/engine/plan-document";
import { toPlanDocument } from "../../tools/engine/run";
import { formatUnrolled, unrolledWorkloads } from "../../tools/plan/rolling";
import { planStack } from "../harness";

const STACKS = [
  { stack: "prod" },
  { stack: "dev" },
  { stack: "valueverse", configFile: "examples/valueverse.yaml" },
  { stack: "multitenant", configFile: "examples/multitenant/Pulumi.multitenant.yaml" },
  { stack: "tartware", configFile: "examples/tartware/Pulumi.tartware.yaml" },
  { stack: "flask-next-node", configFile: "examples/flask-next-node/Pulumi.flask-next-node.yaml" },
];

describe("plan: every strata-rendered workload rolls when its rendered Secrets and ConfigMaps change", () => {
  for (const options of STACKS) {
    it(`${options.stack}: no workload reads a rendered Secret or ConfigMap without a digest`, async () => {
      expect(unrolledWorkloads(toPlanDocument(await planStack(options))).map(formatUnrolled)).to.deep.equal([]);
    });
  }

  it("issue #20: the bucket copier's digest, under the name main gave it (strata.io/config-checksum), is not one the check accepts", async () => {
    const plan = toPlanDocument(await planStack({ stack: "prod" }));
    const asOnMain = {
      ...plan,
      resources: plan.resources.map((r) =>
        r.type === "kubernetes:apps/v1:Deployment" && r.name.endsWith("bucket-backup-deployment") ? (JSON.parse(JSON.stringify(r).replace('"strata.io/config-sha256"', '"strata.io/config-checksum"')) as PlannedResource) : r,
      ),
    };
    expect(unrolledWorkloads(asOnMain).map((u) => u.workload)).to.deep.equal(["Deployment data/bucket-backup"]);
  });
});
