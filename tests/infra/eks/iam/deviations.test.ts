/**
 * Issue #9: every action strata grants that the upstream policy does not is a deliberate
 * deviation, named with its reason in infra/eks/README.md ("Deviations from the upstream
 * controller policies").
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import { ebsCsiKmsPolicy, karpenterControllerPolicy, loadBalancerControllerPolicy, veleroPolicy } from "../../../../infra/eks/policies";
import {
  BACKUPS_BUCKET_ARN, KEY_ARN, NODE_ROLE_ARN, QUEUE_ARN, SCOPE, actionsOf, upstreamEbsCsi, upstreamKarpenter, upstreamLoadBalancerController, upstreamVelero,
} from "./simulator";

const readme = readFileSync(join(__dirname, "..", "..", "..", "..", "infra", "eks", "README.md"), "utf8");
const deviations = readme.slice(readme.indexOf("### Deviations from the upstream controller policies"));

describe("IAM: deviations from upstream are documented", () => {
  const bucketName = BACKUPS_BUCKET_ARN.split(":::")[1] ?? "";
  const pairs = {
    "Load Balancer Controller": [loadBalancerControllerPolicy(SCOPE), [upstreamLoadBalancerController()]],
    Karpenter: [karpenterControllerPolicy({ ...SCOPE, nodeRoleArn: NODE_ROLE_ARN, queueArn: QUEUE_ARN, kmsKeyArn: KEY_ARN }), upstreamKarpenter()],
    "EBS CSI": [ebsCsiKmsPolicy(KEY_ARN), [upstreamEbsCsi()]],
    Velero: [veleroPolicy(BACKUPS_BUCKET_ARN, KEY_ARN, "velero/", { volumeSnapshots: true }), [upstreamVelero(bucketName)]],
  } as const;
  it("the README has the deviations section", () => {
    expect(deviations).to.match(/^### Deviations/);
  });
  for (const [controller, [strata, upstream]] of Object.entries(pairs)) {
    it(`${controller}: each action beyond upstream is named in its README row`, async () => {
      const upstreamActions = new Set((await Promise.all(upstream.map((doc) => actionsOf(doc)))).flat());
      const extra = (await actionsOf(strata)).filter((a) => !upstreamActions.has(a));
      const rows = deviations.split("\n").filter((line) => line.startsWith(`| ${controller} |`)).join("\n");
      const unexplained = extra.filter((action) => !rows.includes(action.split(":")[1] ?? action));
      expect(unexplained, `${controller} grants these beyond upstream without a README row`).to.deep.equal([]);
    });
  }
});
