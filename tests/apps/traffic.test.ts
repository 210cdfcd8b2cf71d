/**
 * The route's traffic builders and the release tracks are pure: each HTTPRoute and Envoy Gateway
 * policy is validated against the gateway-helm v1.9.0 CRDs of the chart reference data, and the
 * track selectors are checked pod by pod (issue #13).
 */
import { expect } from "chai";
import { disruptionBudgetManifest } from "../../apps/service/autoscaler";
import { deploymentManifest } from "../../apps/service/deployment";
import { serviceMonitorManifest } from "../../apps/service/exposure";
import { networkPolicyManifest } from "../../apps/service/network-policy";
import { appSelector, previewBackends, releaseTracks, routeBackends, serviceSelector, TRACK_LABEL, withServiceAccount } from "../../apps/service/release";
import { serviceManifest } from "../../apps/service/service";
import { backendTrafficSpec, duration, routeCorsSpec, routeTargets, securityHeaders, trafficRouteManifest } from "../../apps/service/traffic";
import { AppServiceConfig, type AppServiceSpec } from "../../config/apps/service";
import { loadCrds, type CrdIndex } from "../../tools/verify/crds";
import { customResourceFindings } from "../../tools/verify/custom-resources";
import { mayReach, selectorMatches, type NetworkPolicyObject, type PodEndpoint } from "../../tools/netpol/evaluate";
import { chartReference } from "../cluster/reference";

const spec = (extra: Record<string, unknown> = {}): AppServiceSpec =>
  AppServiceConfig.parse({ image: "ghcr.io/acme/api:1.4.2", port: 8080, metricsPort: 9090, resources: { cpuMillis: 250, memoryMi: 256, limitMemoryMi: 512 }, ...extra });
const gateway = { name: "strata", namespace: "gateway", sectionName: "https-wildcard-example-com" };
const labels = { "app.kubernetes.io/name": "api" };

let crds: CrdIndex | undefined;
function findings(object: { apiVersion: string; kind: string }): string[] {
  crds ??= loadCrds(chartReference());
  const [group = "", version = ""] = object.apiVersion.split("/");
  return customResourceFindings(object.kind, object, group, version, object.kind, crds).map((f) => `${f.severity} ${f.path}: ${f.message}`);
}
const policy = (kind: string, policySpec: unknown) => ({ apiVersion: "gateway.envoyproxy.io/v1alpha1", kind, metadata: { name: "api-x", namespace: "apps" }, spec: policySpec });

describe("AppService traffic and release builders", () => {
  describe("HTTPRoute", () => {
    const s = spec({
      route: {
        host: "api.example.com",
        paths: ["/api", "/socket"],
        timeoutSeconds: 45,
        sessionAffinity: { cookieName: "vv-affinity", ttlSeconds: 86400 * 7 },
        websocket: ["/socket"],
        securityHeaders: { strictTransportSecurity: "max-age=31536000", contentSecurityPolicy: "default-src 'self'", xssProtection: "1; mode=block" },
      },
      release: { strategy: "canary", image: "ghcr.io/acme/api:1.5.0", weightPercent: 10 },
    });
    const route = trafficRouteManifest({ name: "api", namespace: "apps", labels, host: "api.example.com", route: s.route!, backends: routeBackends("api", 8080, s.release), gateway });
    const [http, websocket] = route.spec.rules;

    it("validates against the Gateway API HTTPRoute CRD bundled with Envoy Gateway v1.9.0", () => {
      expect(findings(route)).to.deep.equal([]);
    });

    it("attaches to the given Gateway listener for its host", () => {
      expect(route.spec.parentRefs).to.deep.equal([{ group: "gateway.networking.k8s.io", kind: "Gateway", name: gateway.name, namespace: gateway.namespace, sectionName: gateway.sectionName }]);
      expect(route.spec.hostnames).to.deep.equal(["api.example.com"]);
    });

    it("times out plain requests and never an open WebSocket, whose paths get their own rule", () => {
      expect(route.spec.rules.map((r) => [r.name, r.matches.map((m) => m.path.value), r.timeouts.request])).to.deep.equal([
        ["http", ["/api", "/socket"], "45s"],
        ["websocket", ["/socket"], "0s"],
      ]);
    });

    it("sets the spec's security headers, CSP included, on both rules", () => {
      const expected = {
        type: "ResponseHeaderModifier",
        responseHeaderModifier: {
          set: [
            { name: "Strict-Transport-Security", value: "max-age=31536000" },
            { name: "X-Frame-Options", value: "DENY" },
            { name: "X-Content-Type-Options", value: "nosniff" },
            { name: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
            { name: "Permissions-Policy", value: "geolocation=(), microphone=(), camera=()" },
            { name: "Content-Security-Policy", value: "default-src 'self'" },
            { name: "X-XSS-Protection", value: "1; mode=block" },
          ],
        },
      };
      expect(http?.filters).to.deep.equal([expected]);
      expect(websocket?.filters).to.deep.equal([expected]);
      expect(securityHeaders({ ...s.route!.securityHeaders, enabled: false })).to.deep.equal([]);
    });

    it("pins clients with a permanent cookie and weighs the canary at 10 %", () => {
      expect(http?.sessionPersistence).to.deep.equal({ type: "Cookie", sessionName: "vv-affinity", absoluteTimeout: "168h", cookieConfig: { lifetimeType: "Permanent" } });
      expect(http?.backendRefs).to.deep.equal([
        { group: "", kind: "Service", name: "api", port: 8080, weight: 90 },
        { group: "", kind: "Service", name: "api-canary", port: 8080, weight: 10 },
      ]);
    });

    it("serves a whole-route WebSocket with one rule, session cookies and no headers when disabled", () => {
      const ws = spec({ route: { host: "ws.example.com", websocket: true, sessionAffinity: {}, securityHeaders: { enabled: false } } });
      const r = trafficRouteManifest({ name: "ws", namespace: "apps", labels, host: "ws.example.com", route: ws.route!, backends: routeBackends("ws", 8080, undefined), gateway });
      expect(r.spec.rules.map((rule) => rule.name)).to.deep.equal(["websocket"]);
      expect(r.spec.rules[0]).to.not.have.property("filters");
      expect(r.spec.rules[0]?.sessionPersistence).to.deep.equal({ type: "Cookie", sessionName: "strata-affinity", cookieConfig: { lifetimeType: "Session" } });
      expect(findings(r)).to.deep.equal([]);
    });

    it("writes durations Gateway API accepts (at most five digits per unit)", () => {
      expect([duration(15), duration(90), duration(3600), duration(3661), duration(604800), duration(0)]).to.deep.equal(["15s", "1m30s", "1h", "1h1m1s", "168h", "0s"]);
    });
  });

  describe("Envoy Gateway policies", () => {
    const targets = routeTargets(["api", "api-preview"]);

    it("merges the route's per-IP limit and WebSocket idle timeout into the gateway-wide policy", () => {
      const btp = backendTrafficSpec(targets, { rateLimit: { requests: 100, unit: "Minute" }, paths: ["/"], websocket: ["/ws"] });
      expect(btp).to.deep.equal({
        targetRefs: [
          { group: "gateway.networking.k8s.io", kind: "HTTPRoute", name: "api" },
          { group: "gateway.networking.k8s.io", kind: "HTTPRoute", name: "api-preview" },
        ],
        mergeType: "JSONMerge",
        rateLimit: { type: "Local", local: { rules: [{ clientSelectors: [{ sourceCIDR: { type: "Distinct", value: "0.0.0.0/0" } }], limit: { requests: 100, unit: "Minute" } }] } },
        timeout: { http: { streamIdleTimeout: "1h" } },
      });
      expect(findings(policy("BackendTrafficPolicy", btp))).to.deep.equal([]);
      // mergeType is only valid on route targets (a CEL rule the structural check cannot see).
      expect(btp?.targetRefs.every((t) => t.kind === "HTTPRoute")).to.equal(true);
    });

    it("declares no BackendTrafficPolicy when the route keeps the gateway's limit and has no WebSocket", () => {
      expect(backendTrafficSpec(targets, { paths: ["/"], websocket: false })).to.equal(undefined);
      expect(backendTrafficSpec(targets, { paths: ["/"], websocket: true })?.timeout).to.deep.equal({ http: { streamIdleTimeout: "1h" } });
    });

    it("answers CORS for the route's origins with a SecurityPolicy, or leaves the gateway's", () => {
      const cors = spec({ route: { host: "api.example.com", cors: { allowOrigins: ["https://app.example.com"], allowCredentials: true, exposeHeaders: ["X-Request-Id"] } } }).route!.cors;
      const sp = routeCorsSpec(targets, cors);
      expect(sp?.cors).to.deep.equal({
        allowOrigins: ["https://app.example.com"],
        allowMethods: ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
        allowHeaders: ["Authorization", "Content-Type"],
        maxAge: "600s",
        allowCredentials: true,
        exposeHeaders: ["X-Request-Id"],
      });
      expect(findings(policy("SecurityPolicy", sp))).to.deep.equal([]);
      expect(routeCorsSpec(targets, undefined)).to.equal(undefined);
    });
  });

  describe("release tracks", () => {
    const podLabels = (instance: string) => ({ "app.kubernetes.io/name": "api", "app.kubernetes.io/instance": instance });
    const pod = (instance: string): PodEndpoint => ({ kind: "pod", namespace: "apps", labels: podLabels(instance) });

    it("runs a canary beside the main track, each selecting only its own pods", () => {
      const s = spec({ release: { strategy: "canary", image: "ghcr.io/acme/api:1.5.0", weightPercent: 5 } });
      const [main, canary] = releaseTracks("api", s);
      expect([main?.name, main?.image, canary?.name, canary?.image]).to.deep.equal(["api", "ghcr.io/acme/api:1.4.2", "api-canary", "ghcr.io/acme/api:1.5.0"]);
      expect(canary?.labels[TRACK_LABEL]).to.equal("canary");
      expect(main?.labels).to.not.have.property(TRACK_LABEL);
      const pdb = disruptionBudgetManifest({ name: canary!.name, namespace: "apps", minAvailable: 1, labels: canary!.labels, selector: canary!.selector });
      expect(selectorMatches(pdb.spec.selector, podLabels("api-canary"))).to.equal(true);
      expect(selectorMatches(pdb.spec.selector, podLabels("api"))).to.equal(false);
      expect(selectorMatches({ matchLabels: serviceSelector("api", s.release) }, podLabels("api-canary"))).to.equal(false);
      expect(routeBackends("api", 8080, s.release).map((b) => [b.name, b.weight])).to.deep.equal([
        ["api", 95],
        ["api-canary", 5],
      ]);
    });

    it("scrapes each track's Service once: a ServiceMonitor per track matches only that track's Service", () => {
      const s = spec({ release: { strategy: "blueGreen", image: "ghcr.io/acme/api:1.5.0", active: "green" } });
      const tracks = releaseTracks("api", s);
      const services = [
        ...tracks.map((t) => serviceManifest({ name: t.name, namespace: "apps", spec: s, labels: t.labels, selector: t.selector })),
        serviceManifest({ name: "api", namespace: "apps", spec: s, labels: { "app.kubernetes.io/name": "api", "app.kubernetes.io/instance": "api" }, selector: serviceSelector("api", s.release) }),
      ];
      for (const t of tracks) {
        const monitor = serviceMonitorManifest({ name: t.name, namespace: "apps", spec: s, labels: t.labels, selector: t.selector });
        expect(services.filter((svc) => selectorMatches(monitor.spec.selector, svc.metadata.labels)).map((svc) => svc.metadata.name), t.name).to.deep.equal([t.name]);
      }
    });

    it("switches blue-green in one place: the route and the Service send everything to the active track, the preview to the idle one", () => {
      const s = spec({ route: { host: "api.example.com" }, release: { strategy: "blueGreen", image: "ghcr.io/acme/api:1.5.0", active: "blue", previewHost: "preview.example.com" } });
      expect(releaseTracks("api", s).map((t) => [t.name, t.image])).to.deep.equal([
        ["api-blue", "ghcr.io/acme/api:1.4.2"],
        ["api-green", "ghcr.io/acme/api:1.5.0"],
      ]);
      expect(routeBackends("api", 8080, s.release)).to.deep.equal([{ name: "api-blue", port: 8080, weight: 1 }]);
      expect(previewBackends("api", 8080, s.release)).to.deep.equal([{ name: "api-green", port: 8080, weight: 1 }]);
      expect(serviceSelector("api", s.release)).to.deep.equal({ "app.kubernetes.io/name": "api", "app.kubernetes.io/instance": "api-blue" });
      expect(previewBackends("api", 8080, { strategy: "blueGreen", image: "x:1", active: "green" })).to.equal(undefined);
    });

    it("runs every track as the app's ServiceAccount and admits the gateway to every track's pods", () => {
      const s = spec({ route: { host: "api.example.com" }, release: { strategy: "canary", image: "ghcr.io/acme/api:1.5.0", weightPercent: 10 } });
      const canary = releaseTracks("api", s)[1]!;
      const placement = { nodeSelector: {}, tolerations: [] };
      const d = withServiceAccount(deploymentManifest({ name: canary.name, namespace: "apps", spec: { ...s, image: canary.image }, labels: canary.labels, selector: canary.selector, placement }), "api");
      expect(d.spec.template.spec.serviceAccountName).to.equal("api");
      expect(d.spec.template.spec.containers[0]?.image).to.equal("ghcr.io/acme/api:1.5.0");
      expect(selectorMatches(d.spec.selector, d.spec.template.metadata.labels)).to.equal(true);
      const policyObject = networkPolicyManifest({ name: "api", namespace: "apps", spec: s, labels, selector: appSelector("api"), gatewayNamespace: "gateway", callers: [], uses: [] }) as NetworkPolicyObject;
      const envoy: PodEndpoint = { kind: "pod", namespace: "gateway", labels: { app: "envoy" } };
      const stranger: PodEndpoint = { kind: "pod", namespace: "apps", labels: { "app.kubernetes.io/name": "batch" } };
      for (const instance of ["api", "api-canary"]) {
        expect(mayReach([policyObject], { from: envoy, to: pod(instance), port: 8080, protocol: "TCP" }), instance).to.equal(true);
        expect(mayReach([policyObject], { from: stranger, to: pod(instance), port: 8080, protocol: "TCP" }), instance).to.equal(false);
      }
    });
  });
});
