/**
 * The pure builders of tenants (apps/tenants/values.ts) and of data-service access
 * (apps/data-access/values.ts), without the engine; access is checked with the evaluator.
 */
import { expect } from "chai";
import { dataAccessPolicies } from "../../apps/data-access/values";
import { tenantGuardRails, tenantNamespaceLabels, tenantNetworkPolicies } from "../../apps/tenants/values";
import type { AppServiceSpec } from "../../config/apps/service";
import { TenantConfig } from "../../config/apps/tenants";
import { tenantDemand } from "../../config/apps/tenants-checks";
import { AppServiceConfig } from "../../config/apps/service";
import { evaluate, mayReach, type Endpoint, type NetworkPolicyObject } from "../../tools/netpol/evaluate";

const tenant = (raw: Record<string, unknown> = {}) => TenantConfig.parse(raw);
const asObjects = (p: readonly unknown[]) => p as NetworkPolicyObject[];
const pod = (namespace: string, app?: string): Endpoint => ({ kind: "pod", namespace, labels: app === undefined ? { app: "probe" } : { "app.kubernetes.io/name": app } });

describe("tenant builders", () => {
  it("issue #25: labels the namespace as the seed does, with restricted Pod Security enforced, warned and audited at the cluster's minor, not latest", () => {
    const labels = tenantNamespaceLabels("acme", tenant({ labels: { environment: "production" } }), "1.35.2");
    expect(labels).to.include({
      "tenant-id": "acme",
      "strata.io/tenant": "acme",
      "strata.io/purpose": "tenant",
      team: "tenant",
      "security-level": "high",
      environment: "production",
      "app.kubernetes.io/name": "tenant-acme",
      "pod-security.kubernetes.io/enforce": "restricted",
      "pod-security.kubernetes.io/warn": "restricted",
      "pod-security.kubernetes.io/audit": "restricted",
      "pod-security.kubernetes.io/enforce-version": "v1.35",
      "pod-security.kubernetes.io/warn-version": "v1.35",
      "pod-security.kubernetes.io/audit-version": "v1.35",
    });
    expect(tenantNamespaceLabels("acme", tenant({ labels: { team: "acme-ops" }, securityLevel: "medium" }), "1.35.2")).to.include({ team: "acme-ops", "security-level": "medium" });
  });

  it("builds the quota and limit range with the cluster layer's builders for app namespaces", () => {
    const rails = tenantGuardRails(tenant({ quota: { requestsCpuMillis: 4000, pods: 20 }, limits: { maxMemoryMi: 2048 } }));
    expect(rails.quota.hard).to.include({ "requests.cpu": "4000m", pods: "20", "requests.memory": "32Gi" });
    expect(rails.limitRange.limits[0]).to.deep.include({ type: "Container", max: { cpu: "4000m", memory: "2048Mi" } });
  });

  it("denies by default and allows DNS and the tenant's platform services; Prometheus may scrape its metrics ports", () => {
    const policies = tenantNetworkPolicies({ id: "acme", uses: [{ namespace: "data", ports: [5432] }], monitoringNamespace: "monitoring", metricsPorts: [9090, 9091, 9090] });
    expect(policies.map((p) => `${p.metadata.namespace}/${p.metadata.name}`)).to.deep.equal([
      "tenant-acme/default-deny",
      "tenant-acme/allow-dns",
      "tenant-acme/allow-platform-services",
      "monitoring/allow-scrape-tenant-acme",
    ]);
    const objects = asObjects(policies);
    const dns: Endpoint = { kind: "pod", namespace: "kube-system", labels: { "k8s-app": "kube-dns" } };
    expect(mayReach(objects, { from: pod("tenant-acme"), to: dns, port: 53, protocol: "UDP" })).to.equal(true);
    expect(mayReach(objects, { from: pod("tenant-acme"), to: pod("data"), port: 5432 })).to.equal(true);
    expect(mayReach(objects, { from: pod("tenant-acme"), to: pod("data"), port: 6379 })).to.equal(false);
    expect(mayReach(objects, { from: pod("tenant-acme"), to: { kind: "address", ip: "203.0.113.10" }, port: 443 })).to.equal(false);
    // Prometheus's side only: the tenant's pods admit it through their own policies.
    expect(evaluate(objects, { from: pod("monitoring"), to: pod("tenant-acme", "acme-api"), port: 9090 }).egress.allowed).to.equal(true);
    expect(evaluate(objects, { from: pod("monitoring"), to: pod("tenant-acme", "acme-api"), port: 3000 }).egress.allowed).to.equal(false);
    expect(evaluate(objects, { from: pod("monitoring"), to: pod("tenant-acme", "acme-api"), port: 9090 }).ingress.allowed).to.equal(false);
    expect(policies[3]?.spec.egress).to.deep.equal([
      {
        to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "tenant-acme" } } }],
        ports: [
          { protocol: "TCP", port: 9090 },
          { protocol: "TCP", port: 9091 },
        ],
      },
    ]);
  });

  it("adds no platform or scrape policy for a tenant without platform services or metrics ports", () => {
    expect(tenantNetworkPolicies({ id: "acme", uses: [], monitoringNamespace: "monitoring", metricsPorts: [] }).map((p) => p.metadata.name)).to.deep.equal(["default-deny", "allow-dns"]);
  });

  it("sums what the tenant's services need at their most replicas, CPU limits defaulting to the LimitRange's", () => {
    const spec = (raw: Record<string, unknown>): AppServiceSpec => AppServiceConfig.parse({ image: "a:1", port: 80, resources: { cpuMillis: 100, memoryMi: 300, limitMemoryMi: 600 }, ...raw });
    const demand = tenantDemand(tenant({ limits: { defaultCpuMillis: 250 } }), [
      ["api", spec({ autoscaling: { minReplicas: 2, maxReplicas: 5, cpuPercent: 70 } })],
      ["worker", spec({ replicas: 2 })],
    ]);
    expect(demand.requestsCpuMillis.needed).to.equal(700);
    expect(demand.requestsMemoryGi.needed).to.equal(3); // 2100 Mi
    expect(demand.limitsCpuMillis).to.deep.equal({ needed: 1750, detail: "api 5 × 250m, worker 2 × 250m" });
    expect(demand.limitsMemoryGi.needed).to.equal(5); // 4200 Mi
    expect(demand.pods.needed).to.equal(7);
  });
});

describe("data-service access", () => {
  const policies = dataAccessPolicies([
    {
      service: "postgres",
      namespace: "data",
      ports: [5432],
      clients: [{ namespace: "apps", app: "orders" }, { namespace: "tenant-acme" }, { namespace: "tenant-acme", app: "acme-api" }, { namespace: "apps", app: "orders" }],
    },
    { service: "redis", namespace: "data", ports: [6379], clients: [] },
  ]);

  it("declares one ingress policy per used service, in its namespace, clients sorted and deduplicated", () => {
    expect(policies.map((p) => `${p.metadata.namespace}/${p.metadata.name}`)).to.deep.equal(["data/allow-postgres-clients"]);
    expect(policies[0]?.spec.ingress).to.deep.equal([
      {
        from: [
          { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "apps" } }, podSelector: { matchLabels: { "app.kubernetes.io/name": "orders" } } },
          { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "tenant-acme" } } },
        ],
        ports: [{ protocol: "TCP", port: 5432 }],
      },
    ]);
  });

  it("admits the apps that use the service on its port only; not another app of the same namespace", () => {
    const objects = asObjects(policies);
    const postgres = pod("data", "postgres");
    expect(mayReach(objects, { from: pod("apps", "orders"), to: postgres, port: 5432 })).to.equal(true);
    expect(mayReach(objects, { from: pod("apps", "orders"), to: postgres, port: 5433 })).to.equal(false);
    expect(mayReach(objects, { from: pod("apps", "reports"), to: postgres, port: 5432 })).to.equal(false);
    expect(mayReach(objects, { from: pod("tenant-acme"), to: postgres, port: 5432 })).to.equal(true);
    expect(mayReach(objects, { from: pod("tenant-globex"), to: postgres, port: 5432 })).to.equal(false);
  });

  it("issue #18: admits the clients on every port the service publishes (MySQL 3306 and read-only 3307)", () => {
    const mysql = asObjects(dataAccessPolicies([{ service: "mysql", namespace: "data", ports: [3306, 3307], clients: [{ namespace: "apps", app: "orders" }] }]));
    const haproxy = pod("data", "haproxy");
    expect([3306, 3307, 3309].map((port) => mayReach(mysql, { from: pod("apps", "orders"), to: haproxy, port }))).to.deep.equal([true, true, false]);
  });

  it("issue #18: names the in-cluster object store's policy after its `uses` entry", () => {
    const store = dataAccessPolicies([{ service: "objectStore", namespace: "data", ports: [8333], clients: [{ namespace: "apps", app: "orders" }] }]);
    expect(store.map((p) => `${p.metadata.namespace}/${p.metadata.name}`)).to.deep.equal(["data/allow-objectstore-clients"]);
    expect(mayReach(asObjects(store), { from: pod("apps", "orders"), to: pod("data", "seaweedfs"), port: 8333 })).to.equal(true);
  });
});
