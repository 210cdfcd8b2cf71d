/**
 * The pools of the infra contract at their maximum size, each node's allocatable capacity, and
 * what Karpenter may add on EKS. Pure: the same from this stack's infra or another stack's.
 */
import { workerHeadroom } from "../../cluster/karpenter/values";
import type { Backend, NodePool } from "../../lib/contracts";
import { INSTANCE_TYPES, type InstanceType } from "../../lib/instance-types";
import { nodeReservation, type Resources } from "./reservations";
import type { CapacityPool } from "./types";

export interface PoolSource {
  readonly backend: Backend;
  readonly nodePools: readonly NodePool[];
  /** EKS instance types per pool, when this stack owns the infra layer. @default - per-node capacity from the contract, maxPods 110 */
  readonly instanceTypes?: Readonly<Record<string, readonly InstanceType[]>>;
  /** Karpenter on EKS with the NodePool overrides of `strata:cluster.eks.karpenter`. @default - no Karpenter */
  readonly karpenter?: { readonly maxNodes?: number; readonly maxCpuCores?: number; readonly maxMemoryGi?: number };
  /** Config key that sizes each pool, by pool name. @default - none */
  readonly sizeKeys?: Readonly<Record<string, string>>;
}

/** Per-node allocatable: capacity less reservations; with several instance types, the smallest of each dimension. */
export function allocatablePerNode(backend: Backend, pool: NodePool, types: readonly InstanceType[] | undefined): Resources {
  const nodes = types === undefined || types.length === 0 ? [{ cpuCores: pool.cpuCores, memoryGi: pool.memoryGi }] : types.map((t) => ({ cpuCores: INSTANCE_TYPES[t].vcpu, memoryGi: INSTANCE_TYPES[t].memoryGi, instanceType: t }));
  const each = nodes.map((node) => {
    const reserved = nodeReservation(backend, node);
    return { cpuMillis: node.cpuCores * 1000 - reserved.cpuMillis, memoryMi: node.memoryGi * 1024 - reserved.memoryMi };
  });
  return { cpuMillis: Math.min(...each.map((r) => r.cpuMillis)), memoryMi: Math.min(...each.map((r) => r.memoryMi)) };
}

/**
 * Pools at the size they can really reach. vSphere and existing pools reach `maxCount`. EKS managed
 * node groups stay at their desired size (strata runs no Cluster Autoscaler and Karpenter never
 * resizes them; `desiredSize` is applied on every `up`); Karpenter's NodePool adds
 * nodes carrying the first worker pool's labels, bounded by its node, CPU and memory limits
 * (`cluster/karpenter/values.ts`), each node sized like the largest worker pool.
 */
export function capacityPools(source: PoolSource): CapacityPool[] {
  const { backend, nodePools } = source;
  const pools = nodePools
    .filter((pool) => pool.role !== "load-balancer")
    .map((pool): CapacityPool => ({
      name: pool.name,
      role: pool.role,
      tainted: pool.taints.some((t) => t.effect !== "PreferNoSchedule"),
      minNodes: pool.count,
      maxNodes: backend === "eks" ? pool.count : pool.maxCount,
      perNode: allocatablePerNode(backend, pool, source.instanceTypes?.[pool.name]),
      ...(source.sizeKeys?.[pool.name] === undefined ? {} : { sizeKey: source.sizeKeys[pool.name] }),
    }));
  if (backend !== "eks" || source.karpenter === undefined) return pools;
  const limits = workerHeadroom(nodePools, source.karpenter);
  const workers = nodePools.filter((pool) => pool.role === "worker");
  const first = workers[0];
  const largest = [...workers].sort((x, y) => y.cpuCores - x.cpuCores)[0];
  if (first === undefined || largest === undefined || limits.nodes === 0) return pools;
  const perNode = allocatablePerNode(backend, largest, source.instanceTypes?.[largest.name]);
  // A CPU or memory limit bounds capacity (not allocatable): scale it by the node's allocatable share.
  const cpuShare = perNode.cpuMillis / (largest.cpuCores * 1000);
  const memoryShare = perNode.memoryMi / (largest.memoryGi * 1024);
  const allocatable = {
    cpuMillis: Math.min(limits.nodes * perNode.cpuMillis, limits.cpuCores === undefined ? Infinity : limits.cpuCores * 1000 * cpuShare),
    memoryMi: Math.min(limits.nodes * perNode.memoryMi, limits.memoryGi === undefined ? Infinity : limits.memoryGi * 1024 * memoryShare),
  };
  return pools.map((pool) => (pool.name === first.name ? { ...pool, karpenter: { nodes: limits.nodes, allocatable } } : pool));
}
