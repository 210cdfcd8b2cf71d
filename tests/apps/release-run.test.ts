/**
 * A canary and a blue-green service declared under Pulumi mocks: each track gets its own
 * Deployment, Service, HPA, PDB and ServiceMonitor, the route and the policies target the right
 * Services and routes, and the in-cluster Service follows the active track (issue #13).
 */
import { expect } from "chai";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { buildApps } from "../../apps";
import { AppsConfig } from "../../config/apps";
import { ConfigError } from "../../config/errors";
import type { ClusterOutputs, PlatformOutputs } from "../../lib/contracts";

interface Declared {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
}

const none = () => ({ nodeSelector: {}, tolerations: [] });
const cluster = (provider: k8s.Provider): ClusterOutputs => ({
  provider,
  namespaces: { gateway: "gateway", operators: "operators", data: "data", monitoring: "monitoring", backup: "velero", apps: ["apps"] },
  storageClasses: {},
  issuers: {},
  placementFor: none,
  placementForPool: none,
  gateway: { name: "strata", namespace: "gateway", domain: "example.com", address: pulumi.output("10.0.0.1"), listeners: { "example.com": ["https-example-com", "https-wildcard-example-com"] } },
});
// A platform that runs Prometheus (its query address in the contract), so apps get ServiceMonitors.
const platform: PlatformOutputs = { endpoints: {}, observability: { prometheusQuery: pulumi.output("http://prometheus.monitoring.svc:9090") }, secretStores: {}, reloaderAnnotation: "secret.reloader.stakater.com/reload" };
const service = (extra: Record<string, unknown>) => ({
  image: "ghcr.io/acme/api:1.4.2",
  port: 8080,
  metricsPort: 9090,
  autoscaling: { minReplicas: 3, maxReplicas: 6, cpuPercent: 70 },
  resources: { cpuMillis: 100, memoryMi: 128, limitMemoryMi: 256 },
  ...extra,
});

async function declare(services: Record<string, unknown>): Promise<Declared[]> {
  const declared: Declared[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        declared.push({ type: args.type, name: args.name, inputs: args.inputs as Record<string, unknown> });
        return { id: `${args.name}-id`, state: args.inputs as Record<string, unknown> };
      },
      call: (args) => args.inputs as Record<string, unknown>,
    },
    "strata",
    "release-test",
    false,
  );
  buildApps(AppsConfig.parse({ services }), cluster(new k8s.Provider("test", {})), platform);
  // Registrations settle asynchronously under mocks; wait until no new one arrives.
  for (let last = -1, quiet = 0; quiet < 3; ) {
    await new Promise((resolve) => setTimeout(resolve, 30));
    quiet = declared.length === last ? quiet + 1 : 0;
    last = declared.length;
  }
  return declared;
}

const names = (all: Declared[], kind: string) =>
  all
    .filter((d) => d.type.endsWith(`:${kind}`))
    .map((d) => d.name)
    .sort();
const one = (all: Declared[], kind: string, name: string) => {
  const found = all.find((d) => d.type.endsWith(`:${kind}`) && d.name === name);
  if (found === undefined) throw new Error(`no ${kind} ${name}`);
  return found.inputs as { metadata: { name: string }; spec: Record<string, unknown> };
};

describe("apps layer: canary and blue-green tracks under mocks", function () {
  this.timeout(60_000);

  it("runs a canary as a second track with its own objects and weighs it on the route", async () => {
    const all = await declare({
      api: service({
        route: { host: "api.example.com", paths: ["/"], rateLimit: { requests: 50 }, websocket: ["/ws"] },
        release: { strategy: "canary", image: "ghcr.io/acme/api:1.5.0", weightPercent: 20 },
      }),
    });
    for (const kind of ["Deployment", "HorizontalPodAutoscaler", "PodDisruptionBudget", "ServiceMonitor"]) {
      expect(names(all, kind), kind).to.deep.equal([`api-canary-${kindSuffix(kind)}`, `api-${kindSuffix(kind)}`].sort());
    }
    expect(names(all, "Service")).to.deep.equal(["api-canary-service", "api-service"]);
    expect(one(all, "Deployment", "api-canary-deployment").spec).to.deep.nested.include({ "template.spec.containers[0].image": "ghcr.io/acme/api:1.5.0", "template.spec.serviceAccountName": "api" });
    expect(one(all, "HorizontalPodAutoscaler", "api-canary-autoscaler").spec["scaleTargetRef"]).to.deep.equal({ apiVersion: "apps/v1", kind: "Deployment", name: "api-canary" });
    expect(one(all, "Service", "api-service").spec["selector"]).to.deep.equal({ "app.kubernetes.io/name": "api", "app.kubernetes.io/instance": "api" });
    expect(one(all, "NetworkPolicy", "api-network-policy").spec["podSelector"]).to.deep.equal({ matchLabels: { "app.kubernetes.io/name": "api" } });
    const rules = one(all, "HTTPRoute", "api-route").spec["rules"] as { name: string; backendRefs: { name: string; weight: number }[] }[];
    expect(rules.map((r) => [r.name, r.backendRefs.map((b) => `${b.name}:${b.weight}`)])).to.deep.equal([
      ["http", ["api:80", "api-canary:20"]],
      ["websocket", ["api:80", "api-canary:20"]],
    ]);
    expect(one(all, "BackendTrafficPolicy", "api-traffic").spec).to.deep.nested.include({ "rateLimit.local.rules[0].limit": { requests: 50, unit: "Minute" } });
    expect(names(all, "SecurityPolicy")).to.deep.equal([]);
  });

  it("runs blue and green, routes all to the active one and the preview host to the idle one", async () => {
    const all = await declare({
      api: service({
        route: { host: "api.example.com", cors: { allowOrigins: ["https://example.com"] } },
        release: { strategy: "blueGreen", image: "ghcr.io/acme/api:1.5.0", active: "green", previewHost: "preview.example.com" },
      }),
    });
    expect(names(all, "Deployment")).to.deep.equal(["api-blue-deployment", "api-green-deployment"]);
    expect(names(all, "Service")).to.deep.equal(["api-blue-service", "api-green-service", "api-service"]);
    expect(names(all, "PodDisruptionBudget")).to.deep.equal(["api-blue-disruption-budget", "api-green-disruption-budget"]);
    expect(one(all, "Service", "api-service").spec["selector"]).to.deep.equal({ "app.kubernetes.io/name": "api", "app.kubernetes.io/instance": "api-green" });
    expect(one(all, "PodDisruptionBudget", "api-blue-disruption-budget").spec["selector"]).to.deep.equal({ matchLabels: { "app.kubernetes.io/name": "api", "app.kubernetes.io/instance": "api-blue" } });
    const backends = (route: string) => (one(all, "HTTPRoute", route).spec["rules"] as { backendRefs: { name: string }[] }[]).map((r) => r.backendRefs.map((b) => b.name));
    expect(backends("api-route")).to.deep.equal([["api-green"]]);
    expect(backends("api-preview-route")).to.deep.equal([["api-blue"]]);
    expect(one(all, "HTTPRoute", "api-preview-route").spec).to.deep.nested.include({ hostnames: ["preview.example.com"], "parentRefs[0].sectionName": "https-wildcard-example-com" });
    expect((one(all, "SecurityPolicy", "api-cors").spec["targetRefs"] as { name: string }[]).map((t) => t.name)).to.deep.equal(["api", "api-preview"]);
  });

  it("checks the preview host against the listeners of a gateway from another stack", () => {
    const config = AppsConfig.parse({
      services: { api: service({ route: { host: "api.example.com" }, release: { strategy: "blueGreen", image: "ghcr.io/acme/api:1.5.0", active: "blue", previewHost: "preview.other.org" } }) },
    });
    const problems = (() => {
      try {
        buildApps(config, cluster({} as k8s.Provider), platform);
      } catch (error) {
        if (error instanceof ConfigError) return error.problems;
        throw error;
      }
      return [];
    })();
    expect(problems).to.deep.equal([
      'strata:apps.services.api.release.previewHost: no listener of the cluster\'s gateway serves it (got "preview.other.org"); use a domain of strata:cluster.gateway.domains or one label under it',
    ]);
  });
});

function kindSuffix(kind: string): string {
  return { Deployment: "deployment", HorizontalPodAutoscaler: "autoscaler", PodDisruptionBudget: "disruption-budget", ServiceMonitor: "service-monitor" }[kind] ?? kind;
}
