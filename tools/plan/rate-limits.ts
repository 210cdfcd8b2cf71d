/**
 * The rate-limit section `npm run plan` prints, read from the rendered BackendTrafficPolicies: what
 * each limit targets and what a client can really send. A Local limit is a token bucket in each
 * Envoy replica, so a client whose connections spread over all of them reaches the limit times the
 * replicas; a Global one is counted once by Envoy Gateway's rate-limit service in its Redis.
 */
import type { PlanDocument, PlannedResource } from "../engine/plan-document";

const POLICY = "kubernetes:gateway.envoyproxy.io/v1alpha1:BackendTrafficPolicy";
const PROXY = "kubernetes:gateway.envoyproxy.io/v1alpha1:EnvoyProxy";

interface Limit {
  readonly requests: number;
  readonly unit: string;
}

function field(value: unknown, path: readonly (string | number)[]): unknown {
  return path.reduce<unknown>((node, key) => (node !== null && typeof node === "object" ? (node as Record<string | number, unknown>)[key] : undefined), value);
}

/** Envoy replicas behind the shared Gateway, from its EnvoyProxy; undefined when the plan has none. */
export function envoyReplicas(plan: PlanDocument): number | undefined {
  const proxy = plan.resources.find((r) => r.type === PROXY);
  const replicas = field(proxy?.inputs, ["spec", "provider", "kubernetes", "envoyDeployment", "replicas"]);
  return typeof replicas === "number" ? replicas : undefined;
}

function describeTargets(policy: PlannedResource): string {
  const refs = (field(policy.inputs, ["spec", "targetRefs"]) as { kind?: string; name?: string }[] | undefined) ?? [];
  const namespace = field(policy.inputs, ["metadata", "namespace"]);
  return refs.map((ref) => (ref.kind === "Gateway" ? `Gateway ${ref.name} (every route without its own)` : `${ref.kind} ${String(namespace)}/${ref.name}`)).join(", ");
}

/** One line per rate-limited policy; the whole section, or "" when the plan has no gateway. */
export function formatRateLimits(plan: PlanDocument): string {
  const replicas = envoyReplicas(plan);
  if (replicas === undefined) return "";
  const lines = plan.resources
    .filter((r) => r.type === POLICY && field(r.inputs, ["spec", "rateLimit"]) !== undefined)
    .map((policy) => {
      const type = field(policy.inputs, ["spec", "rateLimit", "type"]);
      const rules = (field(policy.inputs, ["spec", "rateLimit", type === "Global" ? "global" : "local", "rules"]) as { limit: Limit }[] | undefined) ?? [];
      const limits = rules.map(({ limit }) =>
        type === "Global"
          ? `${limit.requests}/${limit.unit} per client IP, counted once across the ${replicas} replicas (Global)`
          : `${limit.requests}/${limit.unit} per client IP per replica × ${replicas} replicas = ${limit.requests * replicas}/${limit.unit} effective (Local)`,
      );
      return `  ${describeTargets(policy)}: ${limits.join("; ")}`;
    });
  const header = `Rate limits (Envoy ${replicas} replica${replicas === 1 ? "" : "s"}; a Local limit is counted by each replica, a Global one by the rate-limit service):`;
  return [header, ...(lines.length === 0 ? ["  none: no route is rate limited"] : lines)].join("\n");
}
