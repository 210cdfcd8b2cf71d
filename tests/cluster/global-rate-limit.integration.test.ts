/**
 * Global rate limiting planned end to end (issue #25, `tests/fixtures/stacks/global-rate-limit.yaml`):
 * the gateway-wide limit is counted once across the three Envoy replicas, and the connection check
 * proves the paths it needs (proxies → rate-limit service → Redis, rules from the controller)
 * through the gateway namespace's NetworkPolicies.
 */
import { expect } from "chai";
import { brokenConnections, proveConnections } from "../../tools/connections";
import type { RunResult } from "../../tools/engine/run";
import { REPO_ROOT, toPlanDocument } from "../../tools/engine/run";
import { formatRateLimits } from "../../tools/plan/rate-limits";
import { at, ofType, planStack } from "../harness";

describe("global rate limiting in a plan", () => {
  let plan: RunResult;
  before(async function () {
    this.timeout(300_000);
    plan = await planStack({ stack: "global-rate-limit", configFile: `${REPO_ROOT}/tests/fixtures/stacks/global-rate-limit.yaml` });
  });

  it("renders the gateway-wide limit as Global and runs the Redis the rate-limit service counts in", () => {
    const limits = ofType(plan, "kubernetes:gateway.envoyproxy.io/v1alpha1:BackendTrafficPolicy").filter((r) => at(r.inputs, "spec.rateLimit") !== undefined && at(r.inputs, "spec.targetRefs.0.kind") === "Gateway");
    expect(limits.map((r) => at(r.inputs, "spec.rateLimit.type"))).to.deep.equal(["Global"]);
    expect(ofType(plan, "kubernetes:apps/v1:Deployment").map((r) => at(r.inputs, "metadata.name"))).to.include("strata-ratelimit-redis");
    expect(formatRateLimits(toPlanDocument(plan))).to.contain("600/Minute per client IP, counted once across the 3 replicas (Global)");
  });

  it("proves proxies → rate-limit service → Redis and the service's rules from the controller", async () => {
    const results = await proveConnections(toPlanDocument(plan));
    const wanted = ["global rate-limit decisions", "rate-limit counters", "rate-limit rules over xDS"];
    const ours = results.filter((r) => wanted.includes(r.purpose));
    expect(ours.map((r) => r.purpose).sort()).to.deep.equal([...wanted].sort());
    expect(brokenConnections(ours)).to.deep.equal([]);
    expect(ours.every((r) => Object.values(r.checks).some((v) => "ok" in v && v.ok)), "each is proven, not only not applicable").to.equal(true);
  });
});
