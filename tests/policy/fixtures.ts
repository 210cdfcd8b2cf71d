/** Small resources for the policy tests: one passing and one violating variant per policy. */
import type { PlannedResource } from "../../tools/engine/plan-document";
import { evaluatePolicies, type PackConfig, type Policy, type Violation } from "../../tools/policy/evaluate";

let counter = 0;

export function resource(type: string, inputs: Record<string, unknown>, extra: Partial<PlannedResource> = {}): PlannedResource {
  counter++;
  const name = extra.name ?? `r${counter}`;
  return { urn: `urn:pulumi:test::strata::${type}::${name}`, type, name, parent: "", dependencies: [], provider: "", protect: false, custom: true, version: "", inputs, ...extra };
}

export function check(policy: Policy, resources: readonly PlannedResource[], config: PackConfig = {}): Promise<Violation[]> {
  return evaluatePolicies({ resources }, [policy], config);
}

/** A hardened Deployment that every workload policy accepts; `patch` edits its pod spec. */
export function deployment(patch: (pod: Record<string, unknown>, container: Record<string, unknown>) => void = () => undefined, options: { name?: string; namespace?: string; replicas?: number } = {}): PlannedResource {
  const container: Record<string, unknown> = {
    name: "web",
    image: "ghcr.io/example/web:1.2.3",
    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["ALL"] } },
    resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } },
    readinessProbe: { httpGet: { path: "/ready", port: 8080 } },
    livenessProbe: { httpGet: { path: "/live", port: 8080 } },
  };
  const pod: Record<string, unknown> = { containers: [container], securityContext: { runAsNonRoot: true } };
  patch(pod, container);
  const name = options.name ?? "web";
  const namespace = options.namespace ?? "apps";
  return resource(
    "kubernetes:apps/v1:Deployment",
    {
      metadata: { name, namespace },
      spec: { replicas: options.replicas ?? 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name, tier: "web" } }, spec: pod } },
    },
    { name },
  );
}
