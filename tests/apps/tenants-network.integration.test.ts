/**
 * "No app reachable from a namespace it did not allow" (issue #13), by behaviour: the whole
 * offline plan of tests/fixtures/stacks/tenants.yaml (cluster, platform and apps layers: shared
 * apps, two tenants, PostgreSQL and Redis) run through the NetworkPolicy evaluator (tools/netpol)
 * with a pod of every app and a foreign pod in every namespace of the plan.
 */
import { expect } from "chai";
import { toPlanDocument, type RunResult } from "../../tools/engine/run";
import { errorsOf, formatFinding, verifyPlan } from "../../tools/verify/index";
import { defaultChartsDir } from "../../tools/verify/reference-dir";
import { policiesFrom, type Endpoint, type NetworkPolicyObject } from "../../tools/netpol/evaluate";
import { allowedPairs, formatMatrix, sourcesReaching, type Source, type Target } from "../../tools/netpol/matrix";
import { FIXTURES, ofType, planStack } from "../harness";

const TENANTS_RUN = { stack: "tenants", configFile: `${FIXTURES}/stacks/tenants.yaml` } as const;

/** The fixture's apps: namespace, HTTP port, metrics port. */
const APPS: Readonly<Record<string, { namespace: string; port: number; metrics?: number }>> = {
  "api-gateway": { namespace: "apps", port: 3000, metrics: 9090 },
  web: { namespace: "apps", port: 3000 },
  orders: { namespace: "apps", port: 8080, metrics: 9090 },
  reports: { namespace: "apps", port: 8080, metrics: 9090 },
  "acme-api": { namespace: "tenant-acme", port: 3000, metrics: 9090 },
  "acme-worker": { namespace: "tenant-acme", port: 8080 },
  "globex-api": { namespace: "tenant-globex", port: 3000, metrics: 9090 },
};

/**
 * Who may open each app's ports, as the fixture declares it: the gateway on routed apps' HTTP
 * ports, declared callers (and a tenant's callers on every service of the tenant), monitoring on
 * metrics ports. `gateway` and `monitoring` are pods of those namespaces.
 */
const EXPECTED: Readonly<Record<string, { http: readonly string[]; metrics?: readonly string[] }>> = {
  "api-gateway": { http: ["gateway", "web"], metrics: ["monitoring"] },
  web: { http: ["gateway"] },
  orders: { http: ["api-gateway"], metrics: ["monitoring"] },
  reports: { http: ["api-gateway"], metrics: ["monitoring"] },
  "acme-api": { http: ["api-gateway"], metrics: ["monitoring"] },
  "acme-worker": { http: ["acme-api", "api-gateway"] },
  "globex-api": { http: ["api-gateway"], metrics: ["monitoring"] },
};

const appPod = (name: string): Endpoint => ({
  kind: "pod",
  namespace: APPS[name]?.namespace ?? "",
  labels: { "app.kubernetes.io/name": name, "app.kubernetes.io/instance": name },
});
/** A pod of no app (an operator, a proxy, a debugging pod) in a namespace. */
const foreignPod = (namespace: string): Endpoint => ({ kind: "pod", namespace, labels: { app: "probe" } });

describe("tenants and apps by behaviour (tests/fixtures/stacks/tenants.yaml)", () => {
  let plan: RunResult;
  let policies: NetworkPolicyObject[];
  let namespaces: string[];
  let sources: Source[];
  before(async function () {
    this.timeout(240_000);
    plan = await planStack(TENANTS_RUN);
    policies = policiesFrom(plan.resources);
    namespaces = [...ofType(plan, "kubernetes:core/v1:Namespace").map((r) => (r.inputs as { metadata: { name: string } }).metadata.name), "kube-system"];
    sources = [
      ...Object.keys(APPS).map((name) => ({ name, endpoint: appPod(name) })),
      ...namespaces.map((namespace) => ({ name: namespace, endpoint: foreignPod(namespace) })),
      { name: "internet", endpoint: { kind: "address", ip: "203.0.113.10" } },
    ];
  });

  it("plans both tenant namespaces beside the cluster's, every object schema-valid", async function () {
    this.timeout(120_000);
    expect(namespaces).to.include.members(["apps", "gateway", "monitoring", "data", "tenant-acme", "tenant-globex"]);
    const report = await verifyPlan(toPlanDocument(plan), defaultChartsDir());
    expect(errorsOf(report).map(formatFinding)).to.deep.equal([]);
    expect(report.checked.kubernetesObjects).to.be.greaterThan(100);
  });

  it("tenant A reaches nothing of tenant B, and B nothing of A, on any port", () => {
    const ports = [3000, 8080, 9090, 5432, 22];
    const inTenant = (ns: string): Source[] => [...Object.keys(APPS).filter((a) => APPS[a]?.namespace === ns).map((name) => ({ name, endpoint: appPod(name) })), { name: ns, endpoint: foreignPod(ns) }];
    const targetsOf = (ns: string): Target[] => inTenant(ns).flatMap((s) => ports.map((port) => ({ name: `${s.name}:${port}`, endpoint: s.endpoint, port })));
    const acme = inTenant("tenant-acme");
    const globex = inTenant("tenant-globex");
    expect(allowedPairs(policies, acme, targetsOf("tenant-globex")), formatMatrix(policies, acme, targetsOf("tenant-globex"))).to.deep.equal([]);
    expect(allowedPairs(policies, globex, targetsOf("tenant-acme")), formatMatrix(policies, globex, targetsOf("tenant-acme"))).to.deep.equal([]);
  });

  for (const [app, expected] of Object.entries(EXPECTED)) {
    it(`${app} is reached only from ${[...expected.http, ...(expected.metrics ?? []).map((m) => `${m} (metrics)`)].join(", ")}`, () => {
      const spec = APPS[app] ?? { namespace: "", port: 0 };
      const target = (port: number): Target => ({ name: `${app}:${port}`, endpoint: appPod(app), port });
      expect(sourcesReaching(policies, sources, target(spec.port)), `${app} HTTP`).to.have.members([...expected.http]);
      if (spec.metrics !== undefined) expect(sourcesReaching(policies, sources, target(spec.metrics)), `${app} metrics`).to.have.members([...(expected.metrics ?? [])]);
      // Any other port: nobody, not even the gateway, monitoring or the callers.
      expect(sourcesReaching(policies, sources, target(8443)), `${app} other port`).to.deep.equal([]);
    });
  }

  it("a pod of no app in an app or tenant namespace is reached from nowhere", () => {
    for (const namespace of ["apps", "tenant-acme", "tenant-globex"]) {
      expect(sourcesReaching(policies, sources, { name: namespace, endpoint: foreignPod(namespace), port: 8080 }), namespace).to.deep.equal([]);
    }
  });

  it("PostgreSQL's port admits the apps and tenants that use it, not an app that does not", () => {
    const postgres: Target = { name: "postgres:5432", endpoint: { kind: "pod", namespace: "data", labels: { "cnpg.io/cluster": "postgres" } }, port: 5432 };
    const reaching = sourcesReaching(policies, sources, postgres);
    expect(reaching).to.include.members(["orders", "acme-api", "globex-api"]);
    expect(reaching).to.not.include.members(["reports", "web", "api-gateway"]);
    // The tenants use PostgreSQL, so every pod of their namespaces may; the platform's own namespaces as before.
    expect(reaching).to.have.members(["orders", "acme-api", "acme-worker", "globex-api", "tenant-acme", "tenant-globex", "operators", "data", "monitoring", "velero"]);
  });

  it("Redis's port admits only its users: the gateway app and tenant globex, not tenant acme", () => {
    const redis: Target = { name: "redis:6379", endpoint: { kind: "pod", namespace: "data", labels: { "app.kubernetes.io/name": "redis-ha" } }, port: 6379 };
    expect(sourcesReaching(policies, sources, redis)).to.have.members(["api-gateway", "globex-api", "tenant-globex", "operators", "data", "monitoring", "velero"]);
  });
});
