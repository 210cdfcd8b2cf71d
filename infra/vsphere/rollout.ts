/**
 * Which VMs Pulumi may create or change only one after another, and what proves that one is back
 * before the next is touched. Pure: `cluster.ts` turns each link into a `dependsOn` on a per-member
 * readiness gate (`ApiReadiness`, the same dynamic resource as the cluster's gate).
 *
 * Control planes: etcd admits one learner at a time, and kubeadm joins every stacked etcd member
 * as a learner (`EtcdLearnerMode`: beta and on by default since 1.29, GA and locked on in 1.32,
 * the gate removed in 1.33: kubernetes/kubernetes#120228, #126374, #129589), promoting it only once
 * it has caught up. Control plane n is therefore created only after control plane n-1's
 * `kube-apiserver-<node>` pod is Ready: kubeadm gives that static pod a readiness probe on the
 * node's own `/readyz` (cmd/kubeadm/app/phases/controlplane/manifests.go), and that API server
 * talks to its local etcd member only (`--etcd-servers=https://127.0.0.1:2379`), which serves it
 * only as a voting member (a learner refuses the API server's requests, see aws/eks-anywhere#7669).
 * Ordering in Pulumi, rather than a wait loop in the join script, keeps the first-boot scripts as
 * they are, shows the order in the plan, and serves resizes too.
 *
 * Resizes: the vSphere provider applies a CPU or memory change without hot-add by shutting the
 * guest down (terraform-provider-vsphere `virtual_machine_config_structure.go` sets
 * `reboot_required` for a changed `num_cpus`/`memory` unless hot-add allows it; the update then
 * calls `GracefulPowerOff` with `shutdown_wait_timeout` and `force_power_off`,
 * `resource_vsphere_virtual_machine.go`). Pulumi updates independent resources in parallel, so
 * without links every member of a pool would be powered off at once. The same chain holds them:
 * a member's gate is re-run when its size changes (its triggers), and the next member is updated
 * only once that gate has seen the member healthy again.
 */
import type { PoolRole } from "../../lib/contracts";
import type { NodeSpec } from "./pools";

/** What one member's gate polls: through `url`, these nodes Ready and these kube-system pods Ready. */
export interface MemberCheck {
  readonly url: string;
  readonly nodeNames: readonly string[];
  readonly readyPods: readonly string[];
}

/** Roles whose members back each other up: etcd, replicated data, the VIP pair. */
export const QUORUM_ROLES: readonly PoolRole[] = ["control-plane", "database", "storage", "load-balancer"];

/**
 * Pools whose members are created and changed one at a time, each waiting for the previous one's
 * health: the quorum roles, and any pool spread over hosts (`antiAffinity`: declared as members that
 * must not fail together). Plain worker and system pools change in parallel.
 */
export function rollsOneAtATime(pool: { readonly role: PoolRole; readonly antiAffinity?: boolean }): boolean {
  return QUORUM_ROLES.includes(pool.role) || pool.antiAffinity === true;
}

/** What re-runs a member's gate: its VM (a replacement) and its size (a resize powers it off). */
export function memberTriggers(node: Pick<NodeSpec, "cpus" | "memoryGi">): string[] {
  return [`cpus=${node.cpus}`, `memoryGi=${node.memoryGi}`];
}

/** The kube-system mirror pod of a control plane's API server, as kubeadm's static pod names it. */
export const apiServerPod = (node: string) => `kube-apiserver-${node}`;

/** The health a member must show before the next member of its pool is touched. */
export function memberCheck(node: Pick<NodeSpec, "name" | "role" | "address">, vipUrl: string, apiServerPort: number): MemberCheck {
  switch (node.role) {
    case "control-plane":
      return { url: vipUrl, nodeNames: [node.name], readyPods: [apiServerPod(node.name)] };
    case "load-balancer":
      // Not a Kubernetes node: its own HAProxy must pass the API through again.
      return { url: `https://${node.address}:${apiServerPort}`, nodeNames: [], readyPods: [] };
    default:
      return { url: vipUrl, nodeNames: [node.name], readyPods: [] };
  }
}

/**
 * For each node, the member of its pool it waits for (the previous one, in pool order), or
 * undefined. Only pools for which `chained` holds are linked.
 */
export function predecessors(nodes: readonly NodeSpec[], chained: (pool: string) => boolean): ReadonlyMap<string, string | undefined> {
  const last = new Map<string, string>();
  const result = new Map<string, string | undefined>();
  for (const node of nodes) {
    result.set(node.name, chained(node.pool) ? last.get(node.pool) : undefined);
    last.set(node.pool, node.name);
  }
  return result;
}
