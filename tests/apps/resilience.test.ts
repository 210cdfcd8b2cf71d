/** Issue #26: per-service `resilience` parses with clear errors and becomes waypoint, DestinationRule, mesh HTTPRoute and edge policy fields. */
import { expect } from "chai";
import { ResilienceConfig } from "../../config/apps/resilience";
import { appDemand } from "../../apps/capacity/app-demand";
import { AppServiceConfig } from "../../config/apps/service";
import { destinationRuleManifest, edgeResilience, meshRouteManifest, waypointAuthorizationManifest } from "../../apps/service/resilience";

const target = { name: "orders", namespace: "shop", labels: {}, servicePort: 80 };

describe("apps: resilience", () => {
  it("issue #26: refuses a per-try timeout longer than the whole request, naming the key", () => {
    const result = ResilienceConfig.safeParse({ retries: { attempts: 2, perTryTimeoutSeconds: 5 }, timeoutSeconds: 3 });
    expect(result.success).to.equal(false);
    expect(result.error?.issues[0]?.path).to.deep.equal(["retries", "perTryTimeoutSeconds"]);
    expect(ResilienceConfig.safeParse({ retries: { attempts: 2, on: ["teapot"] } }).success).to.equal(false);
  });

  it("issue #26: retries and timeouts become a mesh HTTPRoute on the Service; none without them", () => {
    const spec = ResilienceConfig.parse({ retries: { attempts: 3, perTryTimeoutSeconds: 2, on: ["5xx", "reset"] }, timeoutSeconds: 10 });
    const route = meshRouteManifest(target, spec);
    expect(route?.spec.parentRefs).to.deep.equal([{ group: "", kind: "Service", name: "orders", port: 80 }]);
    expect(route?.spec.rules[0]).to.deep.equal({ backendRefs: [{ name: "orders", port: 80 }], timeouts: { request: "10s", backendRequest: "2s" }, retry: { attempts: 3, codes: [500, 501, 502, 503, 504] } });
    expect(meshRouteManifest(target, ResilienceConfig.parse({ circuitBreaker: {} }))).to.equal(undefined);
  });

  it("issue #26: the circuit breaker becomes a DestinationRule in the mesh and circuitBreaker + passive health check at the edge", () => {
    const spec = ResilienceConfig.parse({ circuitBreaker: { maxConnections: 100, maxPendingRequests: 10, consecutive5xx: 3 } });
    expect(destinationRuleManifest(target, spec)?.spec.trafficPolicy).to.deep.equal({
      connectionPool: { tcp: { maxConnections: 100 }, http: { http1MaxPendingRequests: 10 } },
      outlierDetection: { consecutive5xxErrors: 3, baseEjectionTime: "30s", interval: "10s", maxEjectionPercent: 50 },
    });
    expect(edgeResilience(spec)).to.deep.equal({
      circuitBreaker: { maxConnections: 100, maxPendingRequests: 10 },
      healthCheck: { passive: { consecutive5XxErrors: 3, baseEjectionTime: "30s", interval: "10s", maxEjectionPercent: 50 } },
    });
    expect(edgeResilience(undefined)).to.deep.equal({});
  });

  it("issue #26: the waypoint-bound AuthorizationPolicy keeps only the callers' identities and targets the Service", () => {
    const ztunnel = { metadata: { name: "orders", namespace: "shop", labels: {} }, spec: { rules: [{ from: [{ source: { principals: ["cluster.local/ns/shop/sa/web"] } }], to: [] }, { to: [] }] } };
    expect(waypointAuthorizationManifest(ztunnel, "orders").spec).to.deep.equal({ targetRefs: [{ group: "", kind: "Service", name: "orders" }], action: "ALLOW", rules: [{ from: [{ source: { principals: ["cluster.local/ns/shop/sa/web"] } }] }] });
  });

  it("issue #26: the capacity check counts one waypoint per meshed namespace with resilience", () => {
    const spec = (namespace: string, resilience?: object) => AppServiceConfig.parse({ namespace, image: "r/x:1", port: 8080, resources: { cpuMillis: 100, memoryMi: 128, limitMemoryMi: 256 }, ...(resilience === undefined ? {} : { resilience }) });
    const services = { a: spec("shop", { timeoutSeconds: 5 }), b: spec("shop", { timeoutSeconds: 5 }), c: spec("other") };
    expect(appDemand(services, true).workloads.filter((w) => w.owner.startsWith("waypoint"))).to.deep.equal([{ owner: "waypoint shop", target: { role: "worker" }, pods: 1, perPod: { cpuMillis: 100, memoryMi: 128 } }]);
    expect(appDemand(services, false).workloads.filter((w) => w.owner.startsWith("waypoint"))).to.deep.equal([]);
  });
});
