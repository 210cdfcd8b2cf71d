/** The vocabulary of the capacity check: what runs (demand) and where it can run (pools). */
import type { PoolRole } from "../../lib/contracts";
import type { Resources } from "./reservations";

export type { Resources } from "./reservations";

/** Where a workload's pods may land: one named pool, or every pool of a role (the cluster contract's placement). */
export type Target = { readonly pool: string } | { readonly role: PoolRole };

/** Pods of one Deployment/StatefulSet at their most, each requesting `perPod`. */
export interface Workload {
  /** What the pods belong to, e.g. `app api` or `postgres instances`. */
  readonly owner: string;
  readonly target: Target;
  readonly pods: number;
  readonly perPod: Resources;
  /** How the scheduler must place the pods and what a drain must leave running. @default - anywhere on the target, no budget */
  readonly placement?: PlacementRule;
}

/** A DaemonSet: one pod on each node it runs on. */
export interface DaemonSet {
  readonly owner: string;
  readonly perNode: Resources;
  /** `all`: it tolerates every taint; `untainted`: only nodes without NoSchedule/NoExecute taints. */
  readonly runsOn: "all" | "untainted";
}

/** What one contributor (an app, a platform service) asks of the cluster. */
export interface Demand {
  readonly workloads: readonly Workload[];
  readonly daemonSets: readonly DaemonSet[];
}

export const NO_DEMAND: Demand = { workloads: [], daemonSets: [] };

/** A pool as the check sees it: how many nodes at most and what each one offers pods. */
export interface CapacityPool {
  readonly name: string;
  readonly role: PoolRole;
  /** Whether the nodes carry a NoSchedule/NoExecute taint (pods placed by role elsewhere never land here). */
  readonly tainted: boolean;
  /** Nodes the pool has at its least (its count; an autoscaled pool may shrink to it). @default - maxNodes */
  readonly minNodes?: number;
  /** Nodes the pool reaches at most by itself (vSphere/existing: its size; EKS node group: its desired size). */
  readonly maxNodes: number;
  /** Allocatable per node: capacity minus the kubelet's reservations and eviction threshold. */
  readonly perNode: Resources;
  /** Nodes Karpenter may add to this pool, and the allocatable they add (already bounded by the NodePool limits). */
  readonly karpenter?: { readonly nodes: number; readonly allocatable: Resources };
  /** Config key that sets the pool's maximum size, for the fix in a message. */
  readonly sizeKey?: string;
}

export function addResources(a: Resources, b: Resources): Resources {
  return { cpuMillis: a.cpuMillis + b.cpuMillis, memoryMi: a.memoryMi + b.memoryMi };
}

export function scaleResources(r: Resources, factor: number): Resources {
  return { cpuMillis: r.cpuMillis * factor, memoryMi: r.memoryMi * factor };
}

export const ZERO: Resources = { cpuMillis: 0, memoryMi: 0 };

/**
 * The scheduling rules of a workload that the pool's node count must allow: required pod
 * anti-affinity on `kubernetes.io/hostname` (one pod per node) and the PodDisruptionBudget a drain
 * must respect.
 */
export interface PlacementRule {
  /** Required anti-affinity on the node's hostname: no two pods of the workload on one node. */
  readonly onePerNode: boolean;
  /** The PodDisruptionBudget's `minAvailable`. @default - no budget */
  readonly minAvailable?: number;
  /** Config key that sets the pod count (or the anti-affinity), for the fix in a message. */
  readonly key: string;
}
