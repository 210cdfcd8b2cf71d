/**
 * Placement feasibility: whether the pools a workload may land on have the nodes its scheduling
 * rules need. Pure.
 *
 * - Required pod anti-affinity on `kubernetes.io/hostname` puts at most one pod per node, so the
 *   pools need at least as many nodes as pods at their most; otherwise the extra pods stay
 *   Pending and a Helm release with `atomic: true` waits out its timeout and rolls back.
 * - A node drain (an upgrade, a node replacement) evicts the node's pods through the Eviction API,
 *   which refuses while the PodDisruptionBudget's `minAvailable` would be broken
 *   (https://kubernetes.io/docs/concepts/scheduling-eviction/api-eviction/). A budget of every pod
 *   never lets one go; on a pool of one node (its least) evicted pods have nowhere to go, so any
 *   `minAvailable` above 0 stops the drain.
 *
 * Required anti-affinity is counted against the pools' maximum size; the drain against the least.
 */
import type { CapacityPool, Workload } from "./types";

/** A workload its pools cannot place, or cannot drain. */
export interface PlacementProblem {
  readonly kind: "unschedulable" | "undrainable";
  readonly owner: string;
  readonly pools: readonly string[];
  readonly message: string;
}

function poolsLabel(pools: readonly CapacityPool[]): string {
  return pools.length === 1 ? `pool ${pools[0]?.name ?? ""}` : `pools ${pools.map((p) => p.name).join(" + ")}`;
}

function sizeFix(pools: readonly CapacityPool[]): string {
  const keys = pools.flatMap((p) => (p.sizeKey === undefined ? [] : [p.sizeKey]));
  return keys.length > 0 ? `add nodes (${keys.join(", ")})` : "add nodes to the pool in the infra stack";
}

/** Every workload with a placement rule, checked against the pools `poolsOf` gives it. */
export function placementProblems(workloads: readonly Workload[], poolsOf: (w: Workload) => readonly CapacityPool[]): PlacementProblem[] {
  const problems: PlacementProblem[] = [];
  for (const w of workloads) {
    const rule = w.placement;
    const pools = poolsOf(w);
    if (rule === undefined || pools.length === 0 || w.pods === 0) continue;
    const names = pools.map((p) => p.name);
    const most = pools.reduce((sum, p) => sum + p.maxNodes + (p.karpenter?.nodes ?? 0), 0);
    const least = pools.reduce((sum, p) => sum + (p.minNodes ?? p.maxNodes), 0);
    if (rule.onePerNode && w.pods > most) {
      problems.push({
        kind: "unschedulable",
        owner: w.owner,
        pools: names,
        message: `${rule.key}: ${w.owner} runs ${w.pods} pods with required anti-affinity (one per node), but ${poolsLabel(pools)} has ${most} node${most === 1 ? "" : "s"} at most, so ${w.pods - most} would stay Pending (got ${w.pods}); ${sizeFix(pools)} or lower ${rule.key} to ${most}`,
      });
    }
    const min = rule.minAvailable;
    if (min === undefined || min <= 0) continue;
    if (min >= w.pods) {
      problems.push({
        kind: "undrainable",
        owner: w.owner,
        pools: names,
        message: `${rule.key}: the PodDisruptionBudget of ${w.owner} keeps ${min} of ${w.pods} pods available, so no drain can evict one (got minAvailable ${min}); run more pods or lower minAvailable`,
      });
    } else if (least <= 1) {
      problems.push({
        kind: "undrainable",
        owner: w.owner,
        pools: names,
        message: `${rule.key}: a drain of the only node of ${poolsLabel(pools)} cannot evict ${w.owner}: its PodDisruptionBudget keeps ${min} of ${w.pods} pods available and they have no other node (got 1 node at least); keep 2 or more nodes in it (its count), or run one pod, which gets no budget`,
      });
    }
  }
  return problems;
}
