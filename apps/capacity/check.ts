/**
 * The capacity check proper: every workload's requests at their maximum, placed on the pools its
 * target allows, against the pools' allocatable capacity at their maximum size. Pure.
 *
 * A target is one pool, or the pools of a role (the untainted pools when no pool has that role).
 * Every set of pools must hold the demand of the targets inside it; for the sets the cluster
 * contract produces (single pools inside role groups) that is also enough for the demand to fit.
 * For the table, a role's demand is shared among its pools in proportion to their headroom.
 */
import { addResources, type CapacityPool, type Demand, type Resources, scaleResources, type Target, ZERO } from "./types";

/** One row of the table: a pool at its maximum size and the requests placed on it. */
export interface PoolRow {
  readonly pool: string;
  /** `6`, or `6+14` with Karpenter's nodes. */
  readonly nodes: string;
  readonly allocatable: Resources;
  /** DaemonSets on its nodes plus its share of the platform's workloads. */
  readonly platform: Resources;
  readonly apps: Resources;
  readonly headroom: Resources;
  readonly fits: boolean;
}

/** A set of pools whose demand exceeds what they offer. */
export interface Overflow {
  readonly pools: readonly string[];
  readonly nodes: string;
  readonly allocatable: Resources;
  readonly platform: Resources;
  readonly apps: Resources;
  readonly sizeKeys: readonly string[];
}

export interface CapacityReport {
  readonly rows: readonly PoolRow[];
  readonly overflows: readonly Overflow[];
  /** Targets no pool matches (their pods' requests are not counted anywhere). */
  readonly unplaced: readonly { readonly owner: string; readonly target: string }[];
}

const NO_SCHEDULE_TAINT = (pool: CapacityPool) => pool.tainted;

/** The pools a target's pods may land on. */
export function poolsOf(target: Target, pools: readonly CapacityPool[]): CapacityPool[] {
  if ("pool" in target) return pools.filter((p) => p.name === target.pool);
  const byRole = pools.filter((p) => p.role === target.role);
  return byRole.length > 0 ? byRole : pools.filter((p) => !NO_SCHEDULE_TAINT(p));
}

function nodesOf(pool: CapacityPool): number {
  return pool.maxNodes + (pool.karpenter?.nodes ?? 0);
}

/** The key that changes what Karpenter may add to a pool (its NodePool's node limit). */
export const KARPENTER_NODES_KEY = "strata:cluster.eks.karpenter.maxNodes";

function nodesLabel(pool: CapacityPool): string {
  return pool.karpenter === undefined ? String(pool.maxNodes) : `${pool.maxNodes}+${pool.karpenter.nodes}`;
}

function allocatableOf(pool: CapacityPool): Resources {
  return addResources(scaleResources(pool.perNode, pool.maxNodes), pool.karpenter?.allocatable ?? ZERO);
}

function sum(list: readonly Resources[]): Resources {
  return list.reduce(addResources, ZERO);
}

function fitsIn(used: Resources, offered: Resources): boolean {
  // Half a millicore / half a MiB of slack absorbs float sums of fractional shares.
  return used.cpuMillis <= offered.cpuMillis + 0.5 && used.memoryMi <= offered.memoryMi + 0.5;
}

export function evaluate(pools: readonly CapacityPool[], platform: Demand, apps: Demand): CapacityReport {
  const unplaced: { owner: string; target: string }[] = [];
  // DaemonSets cost every node they run on, Karpenter's included.
  const daemonCost = new Map(
    pools.map((pool) => {
      const perNode = sum([...platform.daemonSets, ...apps.daemonSets].filter((ds) => ds.runsOn === "all" || !pool.tainted).map((ds) => ds.perNode));
      return [pool.name, scaleResources(perNode, nodesOf(pool))];
    }),
  );
  // Demand per distinct set of pools, split by origin.
  interface Group { readonly pools: CapacityPool[]; platform: Resources; apps: Resources }
  // Every pool is a set of its own, so DaemonSets alone can overflow it.
  const groups = new Map<string, Group>(pools.map((p) => [p.name, { pools: [p], platform: ZERO, apps: ZERO }]));
  const place = (demand: Demand, origin: "platform" | "apps") => {
    for (const w of demand.workloads) {
      const matched = poolsOf(w.target, pools);
      if (matched.length === 0) {
        unplaced.push({ owner: w.owner, target: "pool" in w.target ? `pool ${w.target.pool}` : `role ${w.target.role}` });
        continue;
      }
      const key = matched.map((p) => p.name).sort().join("+");
      const group = groups.get(key) ?? { pools: matched, platform: ZERO, apps: ZERO };
      group[origin] = addResources(group[origin], scaleResources(w.perPod, w.pods));
      groups.set(key, group);
    }
  };
  place(platform, "platform");
  place(apps, "apps");

  // Smaller sets first, so a role's demand is shared by what its pinned pools leave.
  const ordered = [...groups.values()].sort((a, b) => a.pools.length - b.pools.length);
  const share = new Map(pools.map((p) => [p.name, { platform: ZERO, apps: ZERO }]));
  const overflows: Overflow[] = [];
  for (const group of ordered) {
    const names = new Set(group.pools.map((p) => p.name));
    const inside = ordered.filter((g) => g.pools.every((p) => names.has(p.name)));
    const demandPlatform = addResources(sum(inside.map((g) => g.platform)), sum(group.pools.map((p) => daemonCost.get(p.name) ?? ZERO)));
    const demandApps = sum(inside.map((g) => g.apps));
    const offered = sum(group.pools.map(allocatableOf));
    if (!fitsIn(addResources(demandPlatform, demandApps), offered) && !overflows.some((o) => o.pools.join("+") === [...names].join("+"))) {
      overflows.push({
        pools: group.pools.map((p) => p.name),
        nodes: group.pools.map(nodesLabel).join(" + "),
        allocatable: offered,
        platform: demandPlatform,
        apps: demandApps,
        sizeKeys: group.pools.flatMap((p) => [...(p.sizeKey === undefined ? [] : [p.sizeKey]), ...(p.karpenter === undefined ? [] : [KARPENTER_NODES_KEY])]),
      });
    }
    distribute(group, share, daemonCost);
  }

  const rows = pools.map((pool): PoolRow => {
    const allocatable = allocatableOf(pool);
    const placed = share.get(pool.name) ?? { platform: ZERO, apps: ZERO };
    const platformUse = addResources(placed.platform, daemonCost.get(pool.name) ?? ZERO);
    const headroom = { cpuMillis: allocatable.cpuMillis - platformUse.cpuMillis - placed.apps.cpuMillis, memoryMi: allocatable.memoryMi - platformUse.memoryMi - placed.apps.memoryMi };
    const inOverflow = overflows.some((o) => o.pools.includes(pool.name));
    return { pool: pool.name, nodes: nodesLabel(pool), allocatable, platform: platformUse, apps: placed.apps, headroom, fits: !inOverflow && fitsIn(ZERO, headroom) };
  });
  return { rows, overflows, unplaced };
}

/** Shares a group's demand among its pools in proportion to the headroom each has left (to capacity when none has any). */
function distribute(
  group: { readonly pools: readonly CapacityPool[]; readonly platform: Resources; readonly apps: Resources },
  share: Map<string, { platform: Resources; apps: Resources }>,
  daemonCost: Map<string, Resources>,
): void {
  for (const dim of ["cpuMillis", "memoryMi"] as const) {
    const left = group.pools.map((pool) => {
      const placed = share.get(pool.name) ?? { platform: ZERO, apps: ZERO };
      const used = placed.platform[dim] + placed.apps[dim] + (daemonCost.get(pool.name) ?? ZERO)[dim];
      return Math.max(0, allocatableOf(pool)[dim] - used);
    });
    const totalLeft = left.reduce((a, b) => a + b, 0);
    const weights = totalLeft > 0 ? left.map((l) => l / totalLeft) : group.pools.map((p) => allocatableOf(p)[dim] / Math.max(1, sum(group.pools.map(allocatableOf))[dim]));
    group.pools.forEach((pool, i) => {
      const placed = share.get(pool.name) ?? { platform: ZERO, apps: ZERO };
      const w = weights[i] ?? 0;
      share.set(pool.name, {
        platform: { ...placed.platform, [dim]: placed.platform[dim] + group.platform[dim] * w },
        apps: { ...placed.apps, [dim]: placed.apps[dim] + group.apps[dim] * w },
      });
    });
  }
}
