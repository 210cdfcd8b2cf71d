/**
 * `strata:apps.capacityCheck`: whether the apps layer refuses (`fail`), reports (`warn`) or skips
 * (`off`) a stack whose requests at HPA maximum do not fit the pools at their maximum size, and
 * the parse-time checks the capacity check needs (every pinned pool exists and can hold nodes).
 */
import { z } from "zod";
import { describeValue } from "../errors";
import type { InfraConfig } from "../infra";
import { poolMaxNodes } from "../infra/vsphere/autoscaling";

export const CAPACITY_CHECK_MODES = ["fail", "warn", "off"] as const;
export type CapacityCheckMode = (typeof CAPACITY_CHECK_MODES)[number];

export const capacityCheck = z
  .enum(CAPACITY_CHECK_MODES)
  .optional()
  .describe("What a stack whose requests at HPA maximum (plus the platform's) exceed the pools' allocatable capacity at their maximum size does: fail, warn or off. Default: fail in prod, warn elsewhere.");

/** The mode in force: the configured one, else `fail` in prod and `warn` elsewhere. */
export function capacityCheckMode(environment: string, configured: CapacityCheckMode | undefined): CapacityCheckMode {
  return configured ?? (environment === "prod" ? "fail" : "warn");
}

/** A pool as the parse-time checks see it: its name, the key that sizes it, its maximum node count. */
export interface PoolBound {
  readonly name: string;
  /** Config key that changes `maxNodes`, for the fix in a message. */
  readonly sizeKey: string;
  readonly maxNodes: number;
}

/** An app may be pinned only to a pool the infra slice declares, and one that can hold a node. */
export function pinnedPoolProblem(key: string, pool: string | undefined, pools: readonly PoolBound[] | undefined): string | undefined {
  if (pool === undefined || pools === undefined) return undefined;
  const found = pools.find((p) => p.name === pool);
  if (found === undefined) {
    return `${key}.pool: is not a node pool of strata:infra (got ${describeValue(pool)}); use one of ${pools.map((p) => p.name).join(", ") || "(none: declare the pool in strata:infra)"}`;
  }
  if (found.maxNodes === 0) {
    return `${key}.pool: the pool has no nodes at its maximum size (got ${describeValue(pool)}); raise ${found.sizeKey} or place the service on another pool`;
  }
  return undefined;
}

/** With `fail` the check needs the pools' sizes; an existing cluster that declares none cannot be checked. */
export function unsizedPoolsProblem(mode: CapacityCheckMode, pools: readonly PoolBound[] | undefined, serviceCount: number): string | undefined {
  if (mode !== "fail" || pools === undefined || pools.length > 0 || serviceCount === 0) return undefined;
  return `strata:apps.capacityCheck: needs the node pools' sizes (got "fail"); declare strata:infra.existing.nodePools (role, count, maxCount, cpuCores, memoryGi) or set strata:apps.capacityCheck to warn or off`;
}

/** The pools the infra slice declares, with the key that bounds each one's size. */
export function poolBounds(infra: InfraConfig | undefined): PoolBound[] | undefined {
  if (infra === undefined) return undefined;
  switch (infra.backend) {
    case "vsphere":
      return Object.entries(infra.vsphere.nodePools).map(([name, p]) => ({
        name,
        sizeKey: `strata:infra.vsphere.nodePools.${name}.${p.autoscaling === undefined ? "count" : "autoscaling.max"}`,
        maxNodes: poolMaxNodes(p),
      }));
    case "eks":
      // No Cluster Autoscaler resizes managed node groups: each stays at desiredSize (Karpenter's
      // nodes are counted apart, bounded by strata:cluster.eks.karpenter).
      return Object.entries(infra.eks.nodeGroups).map(([name, g]) => ({ name, sizeKey: `strata:infra.eks.nodeGroups.${name}.desiredSize`, maxNodes: g.desiredSize ?? g.minSize }));
    case "existing":
      return Object.entries(infra.existing.nodePools).map(([name, p]) => ({ name, sizeKey: `strata:infra.existing.nodePools.${name}.maxCount`, maxNodes: p.maxCount ?? p.count }));
  }
}
