/**
 * Issue #26: with the Istio ambient mesh on, a connection between two meshed pods travels as
 * HBONE to port 15008 of the destination pod, so both ends' NetworkPolicies must admit 15008 as
 * well as the port the client dialled; the Tartware seed runs meshed with STRICT mTLS and its
 * AuthorizationPolicies mirror `callers`.
 */
import { expect } from "chai";
import { join } from "node:path";
import { brokenConnections, failed, proveConnections } from "../../tools/connections";
import { GATEWAY_PROXIES } from "../../tools/connections/derive";
import type { PlanDocument, PlannedResource } from "../../tools/engine/plan-document";
import { REPO_ROOT, toPlanDocument } from "../../tools/engine/run";
import { loadCrds } from "../../tools/verify/crds";
import { customResourceFindings } from "../../tools/verify/custom-resources";
import { planStack } from "../harness";

let plan: Promise<PlanDocument> | undefined;
const tartware = () => (plan ??= planStack({ stack: "tartware", configFile: `${REPO_ROOT}/examples/tartware/Pulumi.tartware.yaml` }).then(toPlanDocument));
let multitenantPlan: Promise<PlanDocument> | undefined;
const multitenant = () => (multitenantPlan ??= planStack({ stack: "multitenant", configFile: "examples/multitenant/Pulumi.multitenant.yaml" }).then(toPlanDocument));

const meta = (r: PlannedResource) => (r.inputs["metadata"] ?? {}) as { name?: string; namespace?: string; labels?: Record<string, string> };
const ofKind = (p: PlanDocument, kind: string) => p.resources.filter((r) => r.inputs["kind"] === kind);
interface Rule { readonly from?: unknown[]; readonly ports?: { port?: number }[] }

/** The plan with port 15008 taken out of one NetworkPolicy's ingress rules. */
function withoutHbone(p: PlanDocument, namespace: string, name: string): PlanDocument {
  let changed = 0;
  const resources = p.resources.map((r) => {
    if (r.inputs["kind"] !== "NetworkPolicy" || meta(r).name !== name || meta(r).namespace !== namespace) return r;
    const spec = r.inputs["spec"] as { ingress: Rule[] };
    // A rule left with no port would admit every port: it goes.
    const ingress = spec.ingress
      .map((rule) => ({ ...rule, ...(rule.ports ? { ports: rule.ports.filter((port) => port.port !== 15008) } : {}) }))
      .filter((rule) => rule.ports === undefined || rule.ports.length > 0);
    changed += 1;
    return { ...r, inputs: { ...r.inputs, spec: { ...spec, ingress } } };
  });
  expect(changed, `NetworkPolicy ${namespace}/${name}`).to.equal(1);
  return { ...p, resources };
}

describe("connections: the ambient mesh (Tartware)", () => {
  it("issue #26: meshes the app namespace and the Gateway's proxies, with STRICT mTLS", async () => {
    const p = await tartware();
    const namespace = ofKind(p, "Namespace").find((r) => meta(r).name === "tartware");
    expect(meta(namespace!).labels).to.include({ "istio.io/dataplane-mode": "ambient" });
    const strict = ofKind(p, "PeerAuthentication").find((r) => meta(r).namespace === "tartware" && meta(r).name === "default");
    expect(strict?.inputs["spec"]).to.deep.equal({ mtls: { mode: "STRICT" } });
    const proxy = ofKind(p, "EnvoyProxy")[0]?.inputs["spec"] as { provider: { kubernetes: { envoyDeployment: { pod: { labels?: Record<string, string> } } } } };
    expect(proxy.provider.kubernetes.envoyDeployment.pod.labels).to.deep.equal({ "istio.io/dataplane-mode": "ambient" });
  });

  it("issue #26: every connection is proven on the meshed stack", async () => {
    const results = await proveConnections(await tartware());
    expect(results.map((r) => `${r.source} → ${r.destination}`)).to.include("tartware/{app.kubernetes.io/name=api-gateway} → tartware/core-service:8080");
    // The waypoint's Envoy stats are scraped (PodMonitor), and that path is proven like the others.
    expect(results.map((r) => `${r.source} → ${r.destination}`)).to.include("monitoring/prometheus → tartware/{gateway.networking.k8s.io/gateway-name=waypoint}:http-envoy-prom");
    expect(brokenConnections(results).map((b) => `${b.connection}: ${b.message}`)).to.deep.equal([]);
  });

  it("issue #26: a call between two meshed apps breaks when the callee's policy lacks HBONE 15008", async () => {
    const broken = brokenConnections(await proveConnections(withoutHbone(await tartware(), "tartware", "core-service")));
    const call = broken.find((b) => b.connection.startsWith("tartware/{app.kubernetes.io/name=api-gateway} → tartware/core-service:8080"));
    expect(call?.message, "api-gateway → core-service").to.match(/^ingress: .*on 15008\/TCP \(HBONE: both ends are in the ambient mesh\)/);
  });

  it("issue #26: AuthorizationPolicies admit the declared callers by ServiceAccount, and every Istio object is valid against the base chart's CRDs", async () => {
    const p = await tartware();
    const core = ofKind(p, "AuthorizationPolicy").find((r) => meta(r).namespace === "tartware" && meta(r).name === "core-service");
    const rules = (core?.inputs["spec"] as { action: string; rules: { from?: { source: { principals?: string[] } }[]; to: unknown[] }[] }).rules;
    expect(rules.flatMap((rule) => rule.from ?? []).flatMap((f) => f.source.principals ?? [])).to.include("cluster.local/ns/tartware/sa/api-gateway");
    const crds = loadCrds(join(REPO_ROOT, "..", "shared", "reference", "charts"));
    const apiVersion = (r: PlannedResource) => (typeof r.inputs["apiVersion"] === "string" ? r.inputs["apiVersion"] : "");
    const istio = p.resources.filter((r) => apiVersion(r).includes("istio.io/"));
    expect(istio.length).to.be.greaterThan(2);
    for (const r of istio) {
      const [group, version] = apiVersion(r).split("/") as [string, string];
      expect(customResourceFindings(r.name, r.inputs, group, version, String(r.inputs["kind"]), crds), r.name).to.deep.equal([]);
    }
  });
});

describe("connections: the ambient mesh (multitenant, EMIS prod)", () => {
  it("issue #26: multitenant meshes its app and tenant namespaces with STRICT mTLS and every connection is proven", async () => {
    const p = await multitenant();
    for (const name of ["platform-core", "platform-apps", "tenant-acme", "tenant-globex"]) {
      expect(meta(ofKind(p, "Namespace").find((r) => meta(r).name === name)!).labels, name).to.include({ "istio.io/dataplane-mode": "ambient" });
      expect(ofKind(p, "PeerAuthentication").find((r) => meta(r).namespace === name && meta(r).name === "default")?.inputs["spec"], name).to.deep.equal({ mtls: { mode: "STRICT" } });
    }
    expect(brokenConnections(await proveConnections(p)).map((b) => `${b.connection}: ${b.message}`)).to.deep.equal([]);
  });

  it("issue #26: EMIS prod keeps the mesh off (optional in its seed): no Istio release, no Istio object", async () => {
    const p = toPlanDocument(await planStack({ stack: "prod" }));
    expect(p.resources.filter((r) => r.type === "kubernetes:helm.sh/v3:Release" && ["base", "istiod", "cni", "ztunnel"].includes(String(r.inputs["chart"])))).to.deep.equal([]);
    expect(p.resources.filter((r) => typeof r.inputs["apiVersion"] === "string" && r.inputs["apiVersion"].includes("istio.io/"))).to.deep.equal([]);
  });
});

/** The plan with one AuthorizationPolicy's rules rewritten. */
function withRules(p: PlanDocument, namespace: string, name: string, rewrite: (rules: Record<string, unknown>[]) => Record<string, unknown>[]): PlanDocument {
  let changed = 0;
  const resources = p.resources.map((r) => {
    if (r.inputs["kind"] !== "AuthorizationPolicy" || meta(r).name !== name || meta(r).namespace !== namespace) return r;
    const spec = r.inputs["spec"] as { rules: Record<string, unknown>[] };
    changed += 1;
    return { ...r, inputs: { ...r.inputs, spec: { ...spec, rules: rewrite(spec.rules) } } };
  });
  expect(changed, `AuthorizationPolicy ${namespace}/${name}`).to.equal(1);
  return { ...p, resources };
}

/** The plan with a declared workload's pods taken out of the mesh (their ambient label dropped). */
function unmeshed(p: PlanDocument, workload: string): PlanDocument {
  const declared = p.connections!;
  const workloads = declared.workloads.map((w) => {
    if (w.id !== workload) return w;
    const labels = { ...w.pods.labels };
    delete labels["istio.io/dataplane-mode"];
    return { ...w, pods: { ...w.pods, labels } };
  });
  expect(workloads.filter((w, i) => w !== declared.workloads[i]).length, workload).to.be.greaterThan(0);
  return { ...p, connections: { ...declared, workloads } };
}

describe("connections: STRICT mTLS and AuthorizationPolicies (Tartware)", () => {
  const call = "tartware/{app.kubernetes.io/name=api-gateway} → tartware/core-service:8080";

  it("issue #26: a declared call between meshed apps is authorized over mTLS, and Prometheus' plaintext scrape passes on the PERMISSIVE metrics port", async () => {
    const results = await proveConnections(await tartware());
    const row = results.find((r) => `${r.source} → ${r.destination}` === call);
    expect(row?.checks.mesh).to.deep.equal({ ok: true, note: "mTLS, authorized" });
    const scrapes = results.filter((r) => r.source === "monitoring/prometheus" && r.destination.startsWith("tartware/"));
    expect(scrapes.length).to.be.greaterThan(0);
    for (const scrape of scrapes) expect(failed(scrape.checks.mesh), scrape.destination).to.equal(false);
  });

  it("issue #26: removing the caller's rule from the callee's AuthorizationPolicy turns the declared call red", async () => {
    const withoutCaller = (rules: Record<string, unknown>[]) => rules.filter((rule) => !JSON.stringify(rule).includes("sa/api-gateway"));
    const broken = brokenConnections(await proveConnections(withRules(await tartware(), "tartware", "core-service", withoutCaller)));
    expect(broken.find((b) => b.connection === call)?.message).to.match(/^mesh: no rule of the AuthorizationPolicies selecting .*core-service.* admits .*\[cluster\.local\/ns\/tartware\/sa\/api-gateway\] on port 8080/);
  });

  it("issue #26: a caller outside the mesh into the STRICT namespace is red: the Gateway's proxies taken out of the mesh", async () => {
    const broken = brokenConnections(await proveConnections(unmeshed(await tartware(), GATEWAY_PROXIES)));
    const refused = broken.filter((b) => b.message.startsWith("mesh:"));
    expect(refused.length, "route backends refused").to.be.greaterThan(0);
    expect(refused[0]?.message).to.match(/^mesh: PeerAuthentication tartware\/default requires mTLS on tartware port \d+, and .* is outside the mesh: ztunnel refuses its plaintext/);
  });
});

describe("resilience through the waypoint (Tartware)", () => {
  const call = "tartware/{app.kubernetes.io/name=api-gateway} → tartware/core-service:8080";

  it("issue #26: core-service's resilience becomes a waypoint, a DestinationRule and a mesh HTTPRoute on its Service, each valid against its CRD", async () => {
    const p = await tartware();
    const waypoint = ofKind(p, "Gateway").find((r) => meta(r).namespace === "tartware" && meta(r).name === "waypoint");
    expect(waypoint?.inputs["spec"]).to.deep.equal({ gatewayClassName: "istio-waypoint", listeners: [{ name: "mesh", port: 15008, protocol: "HBONE" }] });
    const service = ofKind(p, "Service").find((r) => meta(r).namespace === "tartware" && meta(r).name === "core-service");
    expect(meta(service!).labels).to.include({ "istio.io/use-waypoint": "waypoint" });
    const rule = ofKind(p, "DestinationRule").find((r) => meta(r).name === "core-service");
    expect(rule?.inputs["spec"]).to.deep.include({ host: "core-service.tartware.svc.cluster.local" });
    expect((rule?.inputs["spec"] as { trafficPolicy: unknown }).trafficPolicy).to.deep.include({ outlierDetection: { consecutive5xxErrors: 5, baseEjectionTime: "30s", interval: "10s", maxEjectionPercent: 50 } });
    const route = ofKind(p, "HTTPRoute").find((r) => meta(r).name === "core-service-mesh");
    expect((route?.inputs["spec"] as { rules: unknown[] }).rules[0]).to.deep.include({ timeouts: { request: "3s", backendRequest: "1s" }, retry: { attempts: 2, codes: [502, 503, 504] } });
    const edge = ofKind(p, "BackendTrafficPolicy").find((r) => meta(r).name === "api-gateway-traffic");
    expect(edge?.inputs["spec"]).to.deep.include({ retry: { numRetries: 2, perRetry: { timeout: "1s" }, retryOn: { triggers: ["connect-failure", "gateway-error"] } } });
    const crds = loadCrds(join(REPO_ROOT, "..", "shared", "reference", "charts"));
    const apiVersion = (r: PlannedResource) => (typeof r.inputs["apiVersion"] === "string" ? r.inputs["apiVersion"] : "");
    for (const r of [waypoint!, rule!, route!, edge!, ...ofKind(p, "AuthorizationPolicy").filter((a) => (meta(a).name ?? "").endsWith("-waypoint"))]) {
      const [group, version] = apiVersion(r).split("/") as [string, string];
      expect(customResourceFindings(r.name, r.inputs, group, version, String(r.inputs["kind"]), crds), r.name).to.deep.equal([]);
    }
  });

  it("issue #26: the declared call reaches core-service through the waypoint, and breaks when the waypoint's policy drops HBONE", async () => {
    const results = await proveConnections(await tartware());
    expect(brokenConnections(results)).to.deep.equal([]);
    const broken = brokenConnections(await proveConnections(withoutHbone(await tartware(), "tartware", "waypoint")));
    expect(broken.find((b) => b.connection === call)?.message).to.match(/^ingress: no NetworkPolicy of tartware admits .* to tartware\/waypoint \(waypoint of core-service\) on 15008\/TCP/);
  });

  it("issue #26: the waypoint's calls into core-service need its identity in core-service's AuthorizationPolicy", async () => {
    const withoutWaypoint = (rules: Record<string, unknown>[]) => rules.filter((rule) => !JSON.stringify(rule).includes("sa/waypoint"));
    const broken = brokenConnections(await proveConnections(withRules(await tartware(), "tartware", "core-service", withoutWaypoint)));
    expect(broken.find((b) => b.connection.startsWith("tartware/waypoint → tartware/{app.kubernetes.io/name=core-service}"))?.message).to.match(/^mesh: .*\[cluster\.local\/ns\/tartware\/sa\/waypoint\]/);
  });
});
