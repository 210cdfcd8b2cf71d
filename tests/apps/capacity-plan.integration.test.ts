/**
 * The capacity check in the program and the plan: a prod stack whose app cannot fit at HPA
 * maximum is refused before any workload is declared, with the numbers (the platform's share is
 * the gateway's controller and proxies, 2 × 100m/256Mi and 2 × 100m/512Mi, and metrics-server,
 * 2 × 100m/200Mi); its dev twin plans and warns (issue #13, item 4).
 */
import { expect } from "chai";
import { ConfigRejected, REPO_ROOT, type RunResult } from "../../tools/engine/run";
import { loadStackConfig } from "../../tools/engine/stack-config";
import { planCapacity } from "../../tools/plan/capacity";
import { FIXTURES, ofType, planStack } from "../harness";

const OVERFLOW =
  "strata:apps.capacityCheck: pool workers (3 nodes at most) cannot hold the requests at HPA maximum (got 15.60 CPU / 31.9 Gi requested of 12.00 CPU / 47.7 Gi allocatable; platform 0.60 CPU / 1.9 Gi, apps 15.00 CPU / 30.0 Gi); add nodes (strata:infra.existing.nodePools.workers.maxCount), lower autoscaling.maxReplicas or requests, or set strata:apps.capacityCheck to warn";

describe("capacity check in the program", () => {
  const devConfig = `${FIXTURES}/stacks/capacity-overflow-dev.yaml`;
  let prodError: unknown;
  let dev: RunResult;
  before(async function () {
    // Two small engine runs, queued behind the shared warm-up on a machine that may be busy.
    this.timeout(240_000);
    [prodError, dev] = await Promise.all([
      planStack({ stack: "prod", configFile: `${FIXTURES}/stacks/capacity-overflow.yaml` }).then(
        () => undefined,
        (e: unknown) => e,
      ),
      planStack({ stack: "dev", configFile: devConfig }),
    ]);
  });

  it("refuses a prod stack that cannot fit, with the numbers", () => {
    expect(prodError).to.be.instanceOf(ConfigRejected);
    expect((prodError as ConfigRejected).problems).to.deep.equal([OVERFLOW]);
  });

  it("plans the same overflow in dev and the plan reports it as a warning in its table", () => {
    expect(ofType(dev, "kubernetes:apps/v1:Deployment").map((d) => d.name)).to.include("api-deployment");
    const capacity = planCapacity(loadStackConfig(REPO_ROOT, "dev", devConfig), dev.outputs);
    expect(capacity?.mode).to.equal("warn");
    expect(capacity?.problems).to.deep.equal([OVERFLOW]);
    expect(capacity?.table.split("\n").slice(0, 3)).to.deep.equal([
      "Capacity at maximum size and HPA maximum (strata:apps.capacityCheck: warn)",
      "pool     max nodes  allocatable          platform           apps                 headroom             verdict",
      "workers  3          12.00 CPU / 47.7 Gi  0.60 CPU / 1.9 Gi  15.00 CPU / 30.0 Gi  -3.60 CPU / 15.8 Gi  OVER",
    ]);
  });
});
