/**
 * The ValueVerse system as `examples/valueverse.yaml` plans it (EKS, over the eks-prod-infra
 * example): the seed's replica bounds, HPA targets and behaviour, budgets, resources and pod
 * security, the route on the shared Gateway and the wiring to PostgreSQL and Redis.
 */
import { expect } from "chai";
import { SECRET_PLACEHOLDER } from "../../tools/engine/plan-document";
import type { RunResult } from "../../tools/engine/run";
import { at, named, ofType, planStack } from "../harness";

const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const HPA = "kubernetes:autoscaling/v2:HorizontalPodAutoscaler";
const PDB = "kubernetes:policy/v1:PodDisruptionBudget";
const ROUTE = "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute";
const TRAFFIC = "kubernetes:gateway.envoyproxy.io/v1alpha1:BackendTrafficPolicy";
const SECURITY = "kubernetes:gateway.envoyproxy.io/v1alpha1:SecurityPolicy";
const SCALED_OBJECT = "kubernetes:keda.sh/v1alpha1:ScaledObject";
/** The seed's security headers (valueverse-eks-implementation.md, "Security Headers"). */
const SEED_HEADERS = {
  "Strict-Transport-Security": "max-age=31536000",
  "X-Frame-Options": "DENY",
  "X-Content-Type-Options": "nosniff",
  "X-XSS-Protection": "1; mode=block",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  "Permissions-Policy": "geolocation=(), microphone=(), camera=()",
};
type Rule = { name: string; matches: { path: { value: string } }[]; timeouts: { request: string }; filters: { responseHeaderModifier: { set: { name: string; value: string }[] } }[]; sessionPersistence: unknown };

describe("ValueVerse on EKS (examples/valueverse.yaml)", () => {
  let plan: RunResult;
  before(async function () {
    // Plans the eks-prod-infra example first (its upstream stack), on a machine that may be busy.
    this.timeout(240_000);
    plan = await planStack({ stack: "valueverse", configFile: "examples/valueverse.yaml" });
  });
  const input = (type: string, name: string, path: string) => at(named(plan, type, name).inputs, path);
  const container = (app: string) => (input(DEPLOYMENT, `${app}-deployment`, "spec.template.spec.containers") as Record<string, unknown>[])[0] ?? {};

  it("issue #25: scales the backend 3–20 at CPU 70 % / memory 80 % / 1000 requests/s per pod (KEDA): up 100 % per 30 s at most 4 pods, down 50 % per 60 s", () => {
    // KEDA owns the backend's HPA: strata renders no HPA of its own beside the ScaledObject.
    expect(ofType(plan, HPA).map((r) => r.name)).to.not.include("backend-autoscaler");
    const spec = named(plan, SCALED_OBJECT, "backend-scaled-object").inputs.spec;
    expect(at(spec, "minReplicaCount")).to.equal(3);
    expect(at(spec, "maxReplicaCount")).to.equal(20);
    const triggers = at(spec, "triggers") as { type: string; metricType: string; metadata: Record<string, string> }[];
    expect(triggers.map((t) => [t.type, t.metricType, t.metadata["value"] ?? t.metadata["threshold"]])).to.deep.equal([
      ["cpu", "Utilization", "70"],
      ["memory", "Utilization", "80"],
      // AverageValue: KEDA divides the service's request rate by its pods, so 1000 is per pod.
      ["prometheus", "AverageValue", "1000"],
    ]);
    expect(triggers[2]?.metadata["query"]).to.equal('sum(strata:http_requests:rate2m{namespace="apps",service="backend",source="app"})');
    expect(at(spec, "advanced.horizontalPodAutoscalerConfig.behavior.scaleUp")).to.deep.equal({
      stabilizationWindowSeconds: 0,
      selectPolicy: "Min",
      policies: [
        { type: "Percent", value: 100, periodSeconds: 30 },
        { type: "Pods", value: 4, periodSeconds: 30 },
      ],
    });
    expect(at(spec, "advanced.horizontalPodAutoscalerConfig.behavior.scaleDown")).to.deep.equal({ stabilizationWindowSeconds: 300, policies: [{ type: "Percent", value: 50, periodSeconds: 60 }] });
  });

  it("keeps the seed's monitoring (Prometheus 30 days on 50 GB, Loki 7 days) and scrapes the backend's metrics port", () => {
    const prometheus = named(plan, "kubernetes:helm.sh/v3:Release", "valueverse-prod-platform-observability-metrics").inputs;
    expect(at(prometheus, "values.prometheus.prometheusSpec.retention")).to.equal("30d");
    expect(at(prometheus, "values.prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec.resources.requests.storage")).to.equal("50Gi");
    expect(at(named(plan, "kubernetes:helm.sh/v3:Release", "valueverse-prod-platform-observability-logs").inputs, "values.loki.limits_config.retention_period")).to.equal("168h");
    const endpoints = input("kubernetes:monitoring.coreos.com/v1:ServiceMonitor", "backend-service-monitor", "spec.endpoints") as Record<string, unknown>[];
    expect(endpoints[0]).to.deep.include({ port: "metrics", path: "/metrics" });
  });

  it("scales the frontend 2–10 and keeps 2 backend / 1 frontend pods through disruptions", () => {
    expect(input(HPA, "frontend-autoscaler", "spec.minReplicas")).to.equal(2);
    expect(input(HPA, "frontend-autoscaler", "spec.maxReplicas")).to.equal(10);
    expect(input(PDB, "backend-disruption-budget", "spec.minAvailable")).to.equal(2);
    expect(input(PDB, "frontend-disruption-budget", "spec.minAvailable")).to.equal(1);
  });

  it("sizes the backend 500m/1Gi → 2/2Gi and the frontend 250m/512Mi → 1/1Gi", () => {
    expect(container("backend")["resources"]).to.deep.equal({ requests: { cpu: "500m", memory: "1024Mi" }, limits: { cpu: "2000m", memory: "2048Mi" } });
    expect(container("frontend")["resources"]).to.deep.equal({ requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "1000m", memory: "1024Mi" } });
  });

  it("runs both as UID 1000 on a read-only root with no capabilities, rolling out with none unavailable", () => {
    for (const app of ["backend", "frontend"]) {
      expect(at(container(app), "securityContext.runAsUser"), app).to.equal(1000);
      expect(at(container(app), "securityContext.readOnlyRootFilesystem"), app).to.equal(true);
      expect(at(container(app), "securityContext.capabilities"), app).to.deep.equal({ drop: ["ALL"] });
      expect(input(DEPLOYMENT, `${app}-deployment`, "spec.strategy.rollingUpdate.maxUnavailable"), app).to.equal(0);
      expect(input(DEPLOYMENT, `${app}-deployment`, "spec.template.spec.nodeSelector"), app).to.deep.include({ "node.strata.io/role": "worker" });
    }
    expect(at(container("backend"), "livenessProbe.httpGet")).to.deep.equal({ path: "/health/live", port: 8000 });
    expect(at(container("backend"), "readinessProbe.initialDelaySeconds")).to.equal(10);
  });

  it("routes api.valueverse.example.com to the backend and the apex to the frontend on the shared Gateway's listeners", () => {
    const backend = named(plan, ROUTE, "backend-route").inputs;
    expect(at(backend, "spec.hostnames")).to.deep.equal(["api.valueverse.example.com"]);
    expect((at(backend, "spec.parentRefs") as { sectionName: string }[])[0]?.sectionName).to.equal("https-wildcard-valueverse-example-com");
    expect((at(named(plan, ROUTE, "frontend-route").inputs, "spec.parentRefs") as { sectionName: string }[])[0]?.sectionName).to.equal("https-valueverse-example-com");
    const apps = plan.outputs.apps as { apps: Record<string, { internalUrl: string; publicUrl?: string }> };
    expect(apps.apps["backend"]).to.deep.equal({ internalUrl: "http://backend.apps.svc:8000", publicUrl: "https://api.valueverse.example.com" });
    expect(apps.apps["frontend"]).to.deep.equal({ internalUrl: "http://frontend.apps.svc:3000", publicUrl: "https://valueverse.example.com" });
  });

  it("limits each client IP to 100 requests per minute on both routes, merged into the gateway-wide policy", () => {
    for (const app of ["backend", "frontend"]) {
      const spec = named(plan, TRAFFIC, `${app}-traffic`).inputs.spec;
      expect(at(spec, "targetRefs"), app).to.deep.equal([{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", name: app }]);
      expect(at(spec, "mergeType"), app).to.equal("JSONMerge");
      expect(at(spec, "rateLimit"), app).to.deep.equal({
        type: "Local",
        local: { rules: [{ clientSelectors: [{ sourceCIDR: { type: "Distinct", value: "0.0.0.0/0" } }], limit: { requests: 100, unit: "Minute" } }] },
      });
    }
    expect(input(TRAFFIC, "backend-traffic", "spec.timeout")).to.deep.equal({ http: { streamIdleTimeout: "1h" } });
    expect(at(named(plan, TRAFFIC, "frontend-traffic").inputs, "spec")).to.not.have.property("timeout");
  });

  it("sets the seed's security headers on every rule of both routes and pins clients with a cookie", () => {
    for (const app of ["backend", "frontend"]) {
      const rules = input(ROUTE, `${app}-route`, "spec.rules") as Rule[];
      for (const rule of rules) {
        const set = rule.filters[0]?.responseHeaderModifier.set ?? [];
        expect(Object.fromEntries(set.map((h) => [h.name, h.value])), `${app} ${rule.name}`).to.deep.equal(SEED_HEADERS);
        expect(rule.sessionPersistence, `${app} ${rule.name}`).to.deep.equal({ type: "Cookie", sessionName: `vv-${app === "backend" ? "api" : "web"}-affinity`, cookieConfig: { lifetimeType: "Session" } });
      }
    }
  });

  it("gives the API's WebSocket path its own rule without a request timeout, and CORS for the frontend's origin", () => {
    const rules = input(ROUTE, "backend-route", "spec.rules") as Rule[];
    expect(rules.map((r) => [r.name, r.matches.map((m) => m.path.value), r.timeouts.request])).to.deep.equal([
      ["http", ["/"], "30s"],
      ["websocket", ["/ws"], "0s"],
    ]);
    expect((input(ROUTE, "frontend-route", "spec.rules") as Rule[]).map((r) => [r.name, r.timeouts.request])).to.deep.equal([["http", "15s"]]);
    expect(input(SECURITY, "backend-cors", "spec.cors")).to.deep.include({ allowOrigins: ["https://valueverse.example.com"], allowCredentials: true });
    expect(ofType(plan, SECURITY).map((p) => p.name).filter((name) => !name.includes("observability"))).to.deep.equal(["backend-cors"]);
  });

  it("hands the backend DATABASE_URL and REDIS_URL through a secret Secret, and only the backend", () => {
    const secret = named(plan, "kubernetes:core/v1:Secret", "backend-env");
    // issue #27: connection URLs keep their shape with the password masked; every other value is hidden.
    const shown = Object.values(secret.inputs.stringData as Record<string, string>);
    expect(shown.every((v) => v === SECRET_PLACEHOLDER || /^[a-z][a-z0-9+.-]*:\/\/[^:]*:\*\*\*@/.test(v))).to.equal(true);
    const env = container("backend")["env"] as { name: string; valueFrom?: unknown }[];
    expect(env.filter((e) => e.valueFrom !== undefined).map((e) => e.name)).to.deep.equal(["DATABASE_URL", "REDIS_URL", "JWT_SECRET_KEY"]);
    expect(ofType(plan, "kubernetes:core/v1:Secret").map((s) => s.name)).to.not.include("frontend-env");
    // issue #27: a URL in the outputs shows its password masked (`app:***@`), never in clear.
    expect(JSON.stringify(plan.outputs)).to.not.match(/postgresql:\/\/[^"]*:(?!\*\*\*@)[^"@]+@/);
  });

  it("issue #20: the backend's JWT key comes from AWS Secrets Manager through External Secrets, and a rotation rolls it", () => {
    const external = named(plan, "kubernetes:external-secrets.io/v1:ExternalSecret", "backend-external-external-secret").inputs;
    expect(at(external, "spec.secretStoreRef")).to.deep.equal({ kind: "ClusterSecretStore", name: "aws" });
    expect(at(external, "spec.data")).to.deep.equal([{ secretKey: "JWT_SECRET_KEY", remoteRef: { key: "valueverse/prod/backend/jwt-secret-key" } }]);
    expect(at(named(plan, "kubernetes:apps/v1:Deployment", "backend-deployment").inputs, "metadata.annotations")).to.deep.equal({ "secret.reloader.stakater.com/reload": "backend-external" });
    const env = container("backend")["env"] as { name: string; valueFrom?: unknown }[];
    expect(env.find((e) => e.name === "JWT_SECRET_KEY")?.valueFrom).to.deep.equal({ secretKeyRef: { name: "backend-external", key: "JWT_SECRET_KEY" } });
  });

  it("lets the backend reach PostgreSQL and Redis in the data namespace, and the frontend neither", () => {
    const egress = (app: string) => input("kubernetes:networking.k8s.io/v1:NetworkPolicy", `${app}-network-policy`, "spec.egress") as { to: { namespaceSelector?: { matchLabels: Record<string, string> } }[]; ports: { port: number }[] }[];
    const targets = (app: string) => egress(app).map((rule) => [rule.to[0]?.namespaceSelector?.matchLabels["kubernetes.io/metadata.name"], rule.ports.map((p) => p.port)]);
    expect(targets("backend")).to.deep.equal([
      ["kube-system", [53, 53]],
      ["data", [5432]],
      ["data", [6379]],
    ]);
    expect(targets("frontend")).to.deep.equal([
      ["kube-system", [53, 53]],
      ["apps", [8000]],
    ]);
  });
});
