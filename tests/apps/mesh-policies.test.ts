import { expect } from "chai";
import { authorizationPolicyManifest, metricsPeerAuthenticationManifest } from "../../apps/service/mesh-policies";
import { networkPolicyManifest } from "../../apps/service/network-policy";
import { AppServiceConfig } from "../../config/apps/service";
import { type Endpoint, mayReach, type NetworkPolicyObject, type PodEndpoint } from "../../tools/netpol/evaluate";

const spec = AppServiceConfig.parse({
  image: "ghcr.io/acme/api:1.4.2",
  port: 8080,
  metricsPort: 9090,
  resources: { cpuMillis: 250, memoryMi: 256, limitCpuMillis: 500, limitMemoryMi: 512 },
});
const selector = { "app.kubernetes.io/name": "api" };
const base = { name: "api", namespace: "apps", labels: selector, selector };
const ambient = { "istio.io/dataplane-mode": "ambient" };
const pod = (namespace: string, app: string, meshed = true): PodEndpoint => ({ kind: "pod", namespace, labels: { "app.kubernetes.io/name": app }, ...(meshed ? { namespaceLabels: ambient } : {}) });

describe("apps: an app in the ambient mesh", () => {
  const policy = networkPolicyManifest({
    ...base,
    spec,
    gatewayNamespace: "gateway",
    monitoringNamespace: "monitoring",
    callers: [{ namespace: "apps", app: "web" }, { namespace: "legacy", app: "batch" }],
    uses: [],
    calls: [{ namespace: "apps", app: "orders", port: 3000 }],
    mesh: { namespaces: ["apps"], gateway: true },
  }) as NetworkPolicyObject;
  const reach = (from: Endpoint, to: Endpoint, port: number) => mayReach([policy], { from, to, port, protocol: "TCP" });
  const api = pod("apps", "api");

  it("issue #26: admits HBONE 15008 from meshed callers and the meshed gateway, not from unmeshed callers", () => {
    expect(reach(pod("apps", "web"), api, 15008)).to.equal(true);
    expect(reach(pod("gateway", "envoy"), api, 15008)).to.equal(true);
    expect(reach(pod("legacy", "batch", false), api, 8080)).to.equal(true);
    expect(reach(pod("legacy", "batch", false), api, 15008)).to.equal(false);
    expect(reach(pod("apps", "other"), api, 15008)).to.equal(false);
  });

  it("issue #26: lets kubelet probes in from the link-local address istio-cni SNATs them to", () => {
    expect(reach({ kind: "address", ip: "169.254.7.127" }, api, 8080)).to.equal(true);
    expect(reach({ kind: "address", ip: "169.254.7.128" }, api, 8080)).to.equal(false);
  });

  it("issue #26: calls a meshed callee on its port and on 15008", () => {
    expect(reach(api, pod("apps", "orders"), 3000)).to.equal(true);
    expect(reach(api, pod("apps", "orders"), 15008)).to.equal(true);
  });

  it("issue #26: authorizes the declared callers by ServiceAccount and the gateway by namespace, on the app's port", () => {
    const authz = authorizationPolicyManifest({ ...base, spec, callers: [{ namespace: "apps", app: "web" }, { namespace: "legacy", app: "batch" }], gatewayNamespace: "gateway", scraped: true });
    expect(authz.spec).to.deep.equal({
      selector: { matchLabels: selector },
      action: "ALLOW",
      rules: [
        { from: [{ source: { principals: ["cluster.local/ns/apps/sa/web", "cluster.local/ns/legacy/sa/batch"] } }], to: [{ operation: { ports: ["8080"] } }] },
        { from: [{ source: { namespaces: ["gateway"] } }], to: [{ operation: { ports: ["8080"] } }] },
        { to: [{ operation: { ports: ["9090"] } }] },
      ],
    });
    // No callers, no route, nothing scraped: an ALLOW policy without rules admits nobody.
    expect(authorizationPolicyManifest({ ...base, spec, callers: [], scraped: false }).spec.rules).to.deep.equal([]);
  });

  it("issue #26: keeps only the metrics port PERMISSIVE for Prometheus, which is outside the mesh", () => {
    expect(metricsPeerAuthenticationManifest({ ...base, spec, callers: [], scraped: true })?.spec).to.deep.equal({ selector: { matchLabels: selector }, portLevelMtls: { "9090": { mode: "PERMISSIVE" } } });
    expect(metricsPeerAuthenticationManifest({ ...base, spec, callers: [], scraped: false })).to.equal(undefined);
  });
});
