/**
 * Scheduling helper: a pool role → the nodeSelector and tolerations that land a pod on that
 * pool. Pure, so a contract read back from another stack can rebuild it from its node pools.
 */
import type { NodePool, Placement, PoolRole } from "./contracts";

/**
 * Placement for a role, built from every pool with that role: the labels all of them share
 * become the nodeSelector, and each taint any of them carries gets a toleration. A role with no
 * pool yields an empty placement (schedule anywhere).
 */
export function placementFor(pools: readonly NodePool[], role: PoolRole): Placement {
  const matching = pools.filter((pool) => pool.role === role);
  const [first, ...rest] = matching;
  if (first === undefined) return { nodeSelector: {}, tolerations: [] };
  const nodeSelector = Object.fromEntries(
    Object.entries(first.labels)
      .filter(([key, value]) => rest.every((pool) => pool.labels[key] === value))
      .sort(([a], [b]) => a.localeCompare(b)),
  );
  const seen = new Set<string>();
  const tolerations: Placement["tolerations"][number][] = [];
  for (const taint of matching.flatMap((pool) => pool.taints)) {
    const id = `${taint.key}=${taint.value ?? ""}:${taint.effect}`;
    if (seen.has(id)) continue;
    seen.add(id);
    tolerations.push(
      taint.value === undefined
        ? { key: taint.key, operator: "Exists", effect: taint.effect }
        : { key: taint.key, operator: "Equal", value: taint.value, effect: taint.effect },
    );
  }
  return { nodeSelector, tolerations };
}

/** Binds `placementFor` to a fixed set of pools, as `ClusterOutputs.placementFor` expects. */
export function placementHelper(pools: readonly NodePool[]): (role: PoolRole) => Placement {
  return (role) => placementFor(pools, role);
}
