/** Hand-built plan documents for the verification tests. */
import { resolve } from "node:path";
import type { PlanDocument, PlannedResource } from "../../tools/engine/plan-document";

export const FIXTURE_CHARTS = resolve(__dirname, "..", "fixtures", "charts");

export function planned(type: string, name: string, inputs: Record<string, unknown>, custom = true): PlannedResource {
  return {
    urn: `urn:pulumi:test::strata::${type}::${name}`,
    type,
    name,
    parent: "",
    dependencies: [],
    provider: "",
    protect: false,
    custom,
    version: "",
    inputs,
  };
}

export function planOf(...resources: PlannedResource[]): PlanDocument {
  return { project: "strata", stack: "test", resources, outputs: {} };
}

/** A Helm release of a fixture chart, pinned and sourced as its SOURCE.txt says unless overridden. */
export function release(name: string, inputs: Record<string, unknown>): PlannedResource {
  return planned("kubernetes:helm.sh/v3:Release", name, {
    chart: "demo-app",
    version: "1.2.3",
    name,
    namespace: "demo",
    repositoryOpts: { repo: "https://charts.example.test/stable" },
    values: {},
    ...inputs,
  });
}

export function deployment(spec: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace: "apps", labels: { "app.kubernetes.io/name": "web" } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { "app.kubernetes.io/name": "web" } },
      template: {
        metadata: { labels: { "app.kubernetes.io/name": "web" }, annotations: { "prometheus.io/scrape": "true" } },
        spec: {
          containers: [
            {
              name: "web",
              image: "registry.example.test/web:1.0.0",
              ports: [{ name: "http", containerPort: 8080 }],
              env: [{ name: "DATABASE_PASSWORD", value: "[secret]" }],
              resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } },
              readinessProbe: { httpGet: { path: "/healthz", port: "http" }, periodSeconds: 10 },
            },
          ],
        },
      },
      ...spec,
    },
  };
}
