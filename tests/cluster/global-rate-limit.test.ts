/**
 * Global rate limiting (issue #25): the controller's values that turn Envoy Gateway's rate-limit
 * service on with strata's Redis, the Global BackendTrafficPolicy (validated against the
 * gateway-helm v1.9.0 CRD), and the paths the connection check proves.
 */
import { expect } from "chai";
import { CHARTS } from "../../lib/catalog";
import { globalRateLimitConnections, RATE_LIMIT_LABELS, rateLimitWorkload, redisDeploymentManifest, redisServiceManifest } from "../../cluster/gateway/global-rate-limit";
import { rateLimitSpec } from "../../cluster/gateway/policies";
import { envoyGatewayValues } from "../../cluster/gateway/values";
import { proxyWorkload } from "../../cluster/gateway/workloads";
import { backendTrafficSpec } from "../../apps/service/traffic";
import { chartNameOf, loadChartReference } from "../../tools/verify/chart-reference";
import { loadCrds, type CrdIndex } from "../../tools/verify/crds";
import { customResourceFindings } from "../../tools/verify/custom-resources";
import { valueKeyFindings } from "../../tools/verify/helm-values";
import { chartReference } from "./reference";

const placement = { nodeSelector: {}, tolerations: [] };
const target = [{ group: "gateway.networking.k8s.io" as const, kind: "Gateway" as const, name: "strata" }];

let crds: CrdIndex | undefined;
function policyFindings(spec: unknown): string[] {
  crds ??= loadCrds(chartReference());
  const object = { apiVersion: "gateway.envoyproxy.io/v1alpha1", kind: "BackendTrafficPolicy", metadata: { name: "x", namespace: "gateway" }, spec };
  return customResourceFindings("BackendTrafficPolicy", object, "gateway.envoyproxy.io", "v1alpha1", "BackendTrafficPolicy", crds).map((f) => `${f.severity} ${f.path}: ${f.message}`);
}

describe("global rate limiting", () => {
  it("points the controller's rate-limit backend at strata's Redis, and sets nothing without it", () => {
    expect(envoyGatewayValues({ replicas: 2, placement, globalRateLimitNamespace: "gateway" })).to.deep.nested.include({
      "config.envoyGateway.rateLimit.backend": { type: "Redis", redis: { url: "strata-ratelimit-redis.gateway.svc:6379" } },
    });
    expect(envoyGatewayValues({ replicas: 2, placement })).to.not.have.property("config");
  });

  it("sets only value keys the gateway-helm chart knows (config.envoyGateway passes the EnvoyGateway API through)", () => {
    const ref = loadChartReference(chartReference(), chartNameOf(CHARTS["gateway-helm"].chart));
    if (ref === undefined) throw new Error("no reference data for gateway-helm");
    const findings = valueKeyFindings("gateway-helm", envoyGatewayValues({ replicas: 2, placement, globalRateLimitNamespace: "gateway" }), ref).map((f) => `${f.severity} ${f.path}: ${f.message}`);
    expect(findings.filter((f) => f.startsWith("error"))).to.deep.equal([]);
  });

  it("renders gateway-wide and route limits as type Global, valid against the BackendTrafficPolicy CRD", () => {
    const gatewayWide = rateLimitSpec(target, 600, "Global");
    expect(gatewayWide.rateLimit).to.deep.equal({ type: "Global", global: { rules: [{ clientSelectors: [{ sourceCIDR: { type: "Distinct", value: "0.0.0.0/0" } }], limit: { requests: 600, unit: "Minute" } }] } });
    expect(policyFindings(gatewayWide)).to.deep.equal([]);
    const route = backendTrafficSpec([{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", name: "api" }], { rateLimit: { requests: 100, unit: "Minute" }, paths: ["/"], websocket: false }, "Global");
    expect(route?.rateLimit).to.have.property("type", "Global");
    expect(policyFindings(route)).to.deep.equal([]);
  });

  it("runs Redis as a hardened in-memory counter cache behind its Service", () => {
    const deployment = redisDeploymentManifest("gateway", placement);
    const pod = deployment.spec.template.spec;
    expect(pod.containers[0]?.args).to.include.members(["--save", "", "--appendonly", "no"]);
    expect(pod.containers[0]?.securityContext).to.deep.equal({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
    expect(redisServiceManifest("gateway").spec.selector).to.deep.equal(deployment.spec.selector.matchLabels);
  });

  it("declares the proxies → rate-limit service → Redis paths and the service's rules from the controller", () => {
    const connections = globalRateLimitConnections(proxyWorkload("gateway", "strata"), rateLimitWorkload("gateway"), "gateway");
    expect(connections.map((c) => [c.purpose, c.to])).to.deep.equal([
      ["global rate-limit decisions", { kind: "service", namespace: "gateway", name: "envoy-ratelimit", port: 8081 }],
      ["rate-limit counters", { kind: "service", namespace: "gateway", name: "strata-ratelimit-redis", port: 6379 }],
      ["rate-limit rules over xDS", { kind: "service", namespace: "gateway", name: "envoy-gateway", port: 18001 }],
    ]);
    expect(rateLimitWorkload("gateway").pods.labels).to.deep.equal(RATE_LIMIT_LABELS);
  });
});
