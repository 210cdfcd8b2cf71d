/**
 * A managed node group as the later layers and the offline plan's capacity and cost checks see
 * it, without the AWS provider: labels, size and per-node capacity.
 */
import type { EksNodeGroupConfig } from "../../config/infra/eks";
import type { NodePool } from "../../lib/contracts";
import { isInstanceType, poolCapacity } from "../../lib/instance-types";
import { POOL_NAME_LABEL, POOL_ROLE_LABEL } from "../../lib/placement";

/** Node labels: the pool and the role the placement helper schedules by, then the group's own labels. */
export function nodeLabels(pool: string, group: EksNodeGroupConfig): Record<string, string> {
  return { [POOL_NAME_LABEL]: pool, [POOL_ROLE_LABEL]: group.role, ...group.labels };
}

/** The pool as later layers see it: size, per-node capacity from the instance type table. */
export function nodePoolOf(pool: string, group: EksNodeGroupConfig): NodePool {
  const capacity = poolCapacity(group.instanceTypes.filter(isInstanceType));
  return {
    name: pool,
    role: group.role,
    count: group.desiredSize ?? group.minSize,
    maxCount: group.maxSize,
    cpuCores: capacity.cpuCores,
    memoryGi: capacity.memoryGi,
    labels: nodeLabels(pool, group),
    taints: group.taints.map((t) => ({ ...t })),
    addresses: [],
  };
}
