/**
 * The multi-tenant platform as `examples/multitenant/Pulumi.multitenant.yaml` plans it (EKS): the
 * seed's API gateway, the microservice template's HPA behaviour, the Next.js frontend, the
 * `application` node group with its toleration, MySQL and Redis wiring.
 */
import { expect } from "chai";
import type { RunResult } from "../../tools/engine/run";
import { at, named, planStack } from "../harness";
import { container, DEPLOYMENT, envOf, HPA, input, podSpec, resourceTargets, ROUTE, SERVICE } from "./seed-plans";

export const MULTITENANT = { stack: "multitenant", configFile: "examples/multitenant/Pulumi.multitenant.yaml" } as const;
const MICROSERVICES = ["auth-service", "tenant-service", "service-registry"];

describe("Multi-tenant platform on EKS (examples/multitenant)", () => {
  let plan: RunResult;
  before(async function () {
    this.timeout(240_000);
    plan = await planStack(MULTITENANT);
  });

  it("runs the API gateway with 3 replicas, surge 1 / unavailable 0, 100m/256Mi → 500m/512Mi", () => {
    expect(input(plan, DEPLOYMENT, "api-gateway-deployment", "spec.replicas")).to.equal(3);
    expect(input(plan, DEPLOYMENT, "api-gateway-deployment", "spec.strategy.rollingUpdate")).to.deep.equal({ maxSurge: 1, maxUnavailable: 0 });
    expect(container(plan, "api-gateway")["resources"]).to.deep.equal({ requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "500m", memory: "512Mi" } });
  });

  it("runs the backends as UID/fsGroup 1001 on ports 3000 + metrics 9090 with /health 30/10/5/3 and /ready 5/5/3/3", () => {
    for (const app of ["api-gateway", ...MICROSERVICES]) {
      const c = container(plan, app);
      expect(at(podSpec(plan, app), "securityContext"), app).to.include({ runAsUser: 1001, fsGroup: 1001, runAsNonRoot: true });
      expect(c["ports"], app).to.deep.equal([
        { name: "http", containerPort: 3000, protocol: "TCP" },
        { name: "metrics", containerPort: 9090, protocol: "TCP" },
      ]);
      expect(c["livenessProbe"], app).to.deep.equal({ httpGet: { path: "/health", port: 3000 }, initialDelaySeconds: 30, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 });
      expect(c["readinessProbe"], app).to.deep.equal({ httpGet: { path: "/ready", port: 3000 }, initialDelaySeconds: 5, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 3 });
      expect(c["volumeMounts"], app).to.deep.equal([
        { name: "logs", mountPath: "/app/logs" },
        { name: "tmp", mountPath: "/tmp" },
      ]);
    }
    expect((input(plan, SERVICE, "api-gateway-service", "spec.ports") as { port: number }[]).map((p) => p.port)).to.deep.equal([80, 9090]);
  });

  it("places the services on the application pool with its toleration and spreads replicas across nodes", () => {
    for (const app of ["api-gateway", ...MICROSERVICES, "frontend"]) {
      const pod = podSpec(plan, app);
      expect(pod["nodeSelector"], app).to.include({ "node-type": "application", "node.strata.io/pool": "application" });
      expect(pod["tolerations"], app).to.deep.equal([{ key: "application", operator: "Equal", value: "true", effect: "NoSchedule" }]);
      // The seed's preferred pod anti-affinity on the hostname, as a soft spread constraint.
      expect((pod["topologySpreadConstraints"] as { topologyKey: string; whenUnsatisfiable: string }[])[0]).to.include({ topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway" });
    }
  });

  it("scales the template's microservices 2–10 at CPU 70 % / memory 80 %: up 100 %/15 s after 60 s, down 10 %/60 s after 300 s", () => {
    for (const app of MICROSERVICES) {
      expect(input(plan, HPA, `${app}-autoscaler`, "spec.minReplicas"), app).to.equal(2);
      expect(input(plan, HPA, `${app}-autoscaler`, "spec.maxReplicas"), app).to.equal(10);
      expect(resourceTargets(plan, app), app).to.deep.equal([
        ["cpu", 70],
        ["memory", 80],
      ]);
      expect(input(plan, HPA, `${app}-autoscaler`, "spec.behavior"), app).to.deep.equal({
        scaleUp: { stabilizationWindowSeconds: 60, policies: [{ type: "Percent", value: 100, periodSeconds: 15 }] },
        scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: "Percent", value: 10, periodSeconds: 60 }] },
      });
    }
  });

  it("sizes the Next.js frontend 50m/128Mi → 200m/256Mi with /api/health, /api/ready and a .next/cache emptyDir", () => {
    const c = container(plan, "frontend");
    expect(c["resources"]).to.deep.equal({ requests: { cpu: "50m", memory: "128Mi" }, limits: { cpu: "200m", memory: "256Mi" } });
    expect(at(c, "livenessProbe.httpGet")).to.deep.equal({ path: "/api/health", port: 3000 });
    expect(at(c, "readinessProbe.httpGet")).to.deep.equal({ path: "/api/ready", port: 3000 });
    expect(c["volumeMounts"]).to.deep.include({ name: "cache", mountPath: "/app/.next/cache" });
    expect(input(plan, DEPLOYMENT, "frontend-deployment", "spec.replicas")).to.equal(3);
    expect(at(named(plan, ROUTE, "frontend-route").inputs, "spec.hostnames")).to.deep.equal(["www.platform.com"]);
  });

  it("issue #25: serves www.platform.com (the certificate's www had no route) and redirects the apex there with a 301", () => {
    expect(at(named(plan, ROUTE, "frontend-route").inputs, "spec.parentRefs.0.sectionName")).to.equal("https-wildcard-platform-com");
    const redirect = named(plan, ROUTE, "frontend-redirect-0-route").inputs;
    expect(at(redirect, "spec.hostnames")).to.deep.equal(["platform.com"]);
    expect(at(redirect, "spec.parentRefs.0.sectionName")).to.equal("https-platform-com");
    expect(at(redirect, "spec.rules.0.filters")).to.deep.equal([{ type: "RequestRedirect", requestRedirect: { hostname: "www.platform.com", statusCode: 301 } }]);
    const certificate = plan.resources.find((r) => r.type === "kubernetes:cert-manager.io/v1:Certificate" && at(r.inputs, "spec.secretName") === "tls-platform-com");
    const routed = plan.resources.filter((r) => r.type === ROUTE).flatMap((r) => at(r.inputs, "spec.hostnames") as string[]);
    expect((at(certificate?.inputs, "spec.dnsNames") as string[]).filter((name) => !routed.includes(name)), "certificate names no route serves").to.deep.equal([]);
  });

  it("migrates the schema in an init container of each microservice, with the service's own variables and hardening", () => {
    for (const app of MICROSERVICES) {
      const init = (podSpec(plan, app)["initContainers"] as Record<string, unknown>[] | undefined) ?? [];
      expect(init.map((c) => [c["name"], c["image"], c["command"]]), app).to.deep.equal([["migrate", `ghcr.io/platform/${app}:1.0.0`, ["npm", "run", "migrate"]]]);
      expect((init[0]?.["env"] as { name: string }[]).map((e) => e.name), app).to.include("DATABASE_URL");
      expect(at(init[0], "securityContext.readOnlyRootFilesystem"), app).to.equal(true);
    }
    expect(podSpec(plan, "api-gateway")["initContainers"]).to.equal(undefined);
  });

  it("limits the API to 100 requests per minute per client IP and sends the frontend's CSP", () => {
    expect(input(plan, "kubernetes:gateway.envoyproxy.io/v1alpha1:BackendTrafficPolicy", "api-gateway-traffic", "spec.rateLimit.local.rules")).to.deep.equal([
      { clientSelectors: [{ sourceCIDR: { type: "Distinct", value: "0.0.0.0/0" } }], limit: { requests: 100, unit: "Minute" } },
    ]);
    const rules = input(plan, ROUTE, "frontend-route", "spec.rules") as { filters: { responseHeaderModifier?: { set: { name: string; value: string }[] } }[] }[];
    const headers = Object.fromEntries((rules[0]?.filters.find((f) => f.responseHeaderModifier !== undefined)?.responseHeaderModifier?.set ?? []).map((h) => [h.name, h.value]));
    expect(headers["Content-Security-Policy"]).to.equal(
      "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; font-src 'self' data:; connect-src 'self' https://api.platform.com;",
    );
    expect(headers).to.include({ "X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff", "X-XSS-Protection": "1; mode=block", "Strict-Transport-Security": "max-age=31536000; includeSubDomains" });
  });

  it("creates the tenant-<id> namespaces with the seed's labels", () => {
    for (const id of ["acme", "globex"]) {
      const labels = input(plan, "kubernetes:core/v1:Namespace", `tenant-${id}-namespace`, "metadata.labels") as Record<string, string>;
      expect(labels, id).to.include({ environment: "production", team: "tenant", "tenant-id": id, "security-level": "high" });
    }
  });

  it("wires DATABASE_URL (MySQL) and REDIS_URL through the app's Secret", () => {
    for (const app of ["api-gateway", ...MICROSERVICES]) {
      const secretEnv = envOf(plan, app).filter((e) => e.valueFrom !== undefined).map((e) => e.name);
      expect(secretEnv, app).to.include.members(["DATABASE_URL", "REDIS_URL"]);
    }
    expect(envOf(plan, "api-gateway").filter((e) => e.valueFrom !== undefined).map((e) => e.name)).to.include("JWT_SECRET");
  });
});
