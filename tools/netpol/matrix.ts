/**
 * Reachability matrices over the evaluator: named sources × named targets (an endpoint plus a
 * port), so tests state the intended matrix as data and failures print which cells differ.
 */
import { evaluate, type Endpoint, type NetworkPolicyObject, type Protocol } from "./evaluate";

/** A named source endpoint. */
export interface Source {
  readonly name: string;
  readonly endpoint: Endpoint;
}
/** A named destination: endpoint, port and protocol. */
export interface Target {
  readonly name: string;
  readonly endpoint: Endpoint;
  readonly port: number;
  /** @default "TCP" */
  readonly protocol?: Protocol;
}

/** `source → target` for every allowed pair, in source then target order. */
export function allowedPairs(policies: readonly NetworkPolicyObject[], sources: readonly Source[], targets: readonly Target[]): string[] {
  return sources.flatMap((source) =>
    targets
      .filter((target) => evaluate(policies, { from: source.endpoint, to: target.endpoint, port: target.port, ...(target.protocol ? { protocol: target.protocol } : {}) }).allowed)
      .map((target) => `${source.name} → ${target.name}`),
  );
}

/** Names of the sources that may reach one target. */
export function sourcesReaching(policies: readonly NetworkPolicyObject[], sources: readonly Source[], target: Target): string[] {
  return allowedPairs(policies, sources, [target]).map((pair) => pair.split(" → ")[0] as string);
}

/** Names of the targets one source may reach. */
export function targetsReachedBy(policies: readonly NetworkPolicyObject[], source: Source, targets: readonly Target[]): string[] {
  return allowedPairs(policies, [source], targets).map((pair) => pair.split(" → ")[1] as string);
}

/** A plain-text table (✓ allowed, · denied), one row per source. */
export function formatMatrix(policies: readonly NetworkPolicyObject[], sources: readonly Source[], targets: readonly Target[]): string {
  const allowed = new Set(allowedPairs(policies, sources, targets));
  const width = Math.max(...sources.map((s) => s.name.length), 6);
  const header = `${"".padEnd(width)} ${targets.map((_, i) => `${i + 1}`.padStart(3)).join("")}`;
  const rows = sources.map((s) => `${s.name.padEnd(width)} ${targets.map((t) => (allowed.has(`${s.name} → ${t.name}`) ? "  ✓" : "  ·")).join("")}`);
  const legend = targets.map((t, i) => `${i + 1}. ${t.name}`);
  return [header, ...rows, "", ...legend].join("\n");
}
