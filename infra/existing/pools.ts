import type { ExistingInfraConfig } from "../../config/infra/existing";
import type { NodePool } from "../../lib/contracts";

/** The described pools of an existing cluster, as contract node pools. */
export function describedPools(config: ExistingInfraConfig["existing"]): NodePool[] {
  return Object.entries(config.nodePools).map(([name, pool]) => ({
    name,
    role: pool.role,
    count: pool.count,
    maxCount: pool.maxCount ?? pool.count,
    cpuCores: pool.cpuCores,
    memoryGi: pool.memoryGi,
    labels: pool.labels,
    taints: pool.taints,
    addresses: [],
  }));
}
