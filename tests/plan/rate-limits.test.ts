import { expect } from "chai";
import type { PlanDocument, PlannedResource } from "../../tools/engine/plan-document";
import { formatRateLimits } from "../../tools/plan/rate-limits";

function resource(type: string, name: string, inputs: Record<string, unknown>): PlannedResource {
  return { urn: `urn:${name}`, type, name, parent: "", dependencies: [], provider: "", protect: false, custom: true, version: "", inputs };
}

const proxy = resource("kubernetes:gateway.envoyproxy.io/v1alpha1:EnvoyProxy", "proxy", { spec: { provider: { kubernetes: { envoyDeployment: { replicas: 3 } } } } });
const limited = (type: "Local" | "Global") =>
  resource("kubernetes:gateway.envoyproxy.io/v1alpha1:BackendTrafficPolicy", "api-traffic", {
    metadata: { namespace: "apps" },
    spec: {
      targetRefs: [{ kind: "HTTPRoute", name: "api" }],
      rateLimit: { type, [type === "Global" ? "global" : "local"]: { rules: [{ clientSelectors: [], limit: { requests: 100, unit: "Minute" } }] } },
    },
  });
const plan = (...resources: PlannedResource[]): PlanDocument => ({ project: "strata", stack: "t", resources, outputs: {} });

describe("plan: rate limits", () => {
  it("issue #25: prints a local limit as per replica × replicas = effective", () => {
    expect(formatRateLimits(plan(proxy, limited("Local")))).to.contain("HTTPRoute apps/api: 100/Minute per client IP per replica × 3 replicas = 300/Minute effective (Local)");
  });

  it("prints a global limit as counted once across the replicas", () => {
    expect(formatRateLimits(plan(proxy, limited("Global")))).to.contain("HTTPRoute apps/api: 100/Minute per client IP, counted once across the 3 replicas (Global)");
  });

  it("says when no route is limited, and nothing without a gateway", () => {
    expect(formatRateLimits(plan(proxy))).to.contain("none: no route is rate limited");
    expect(formatRateLimits(plan(limited("Local")))).to.equal("");
  });
});
