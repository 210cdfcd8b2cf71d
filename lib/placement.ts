/**
 * Placement by pool role: the nodeSelector and tolerations that land a pod on the pools of one
 * role. Pure, so a contract read back from another stack can rebuild it from its node pools.
 */
import type { NodePool, Placement, PoolRole, Taint } from "./contracts";

/** Label every strata-built node carries with its pool role. */
export const POOL_ROLE_LABEL = "node.strata.io/role";
/** Label every strata-built node carries with the name of its pool. */
export const POOL_NAME_LABEL = "node.strata.io/pool";

/**
 * Builds `placementFor(role)` over the given pools. The selector is the set of labels shared by
 * every pool of that role; the tolerations cover every taint those pools carry. A role no pool
 * has yields an empty placement, so the pod schedules on any untainted node.
 */
export function placementFor(pools: readonly NodePool[]): (role: PoolRole) => Placement {
  return (role) => {
    const matching = pools.filter((pool) => pool.role === role);
    const [first, ...rest] = matching;
    if (first === undefined) return { nodeSelector: {}, tolerations: [] };
    const nodeSelector = Object.fromEntries(
      Object.entries(first.labels).filter(([key, value]) => rest.every((pool) => pool.labels[key] === value)),
    );
    const tolerations = tolerationsFor(matching.flatMap((pool) => pool.taints));
    return { nodeSelector, tolerations };
  };
}

/**
 * Builds `placementForPool(name)` over the given pools: the pool's own labels as selector (on
 * strata-built nodes they include `node.strata.io/pool`), its taints tolerated. Throws for a
 * pool that does not exist; config checks report that case before anything is declared.
 */
export function placementForPool(pools: readonly NodePool[]): (poolName: string) => Placement {
  return (poolName) => {
    const pool = pools.find((p) => p.name === poolName);
    if (pool === undefined) throw new Error(`no node pool named "${poolName}"; pools: ${pools.map((p) => p.name).join(", ")}`);
    return { nodeSelector: { ...pool.labels }, tolerations: tolerationsFor(pool.taints) };
  };
}

/** One toleration per distinct taint: `Equal` where the taint has a value, `Exists` otherwise. */
function tolerationsFor(taints: readonly Taint[]): Placement["tolerations"] {
  const seen = new Set<string>();
  return taints
    .filter((taint) => {
      const id = `${taint.key}=${taint.value ?? ""}:${taint.effect}`;
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    })
    .map((taint) =>
      taint.value === undefined
        ? { key: taint.key, operator: "Exists" as const, effect: taint.effect }
        : { key: taint.key, operator: "Equal" as const, value: taint.value, effect: taint.effect },
    );
}
