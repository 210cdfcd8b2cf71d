/**
 * Node pools → one spec per VM: name, static address, size, disks, labels and taints. Pure, so
 * the address plan and the per-pool sizes are tested without the engine.
 */
import { intToIp } from "../../config/common";
import type { VsphereInfraConfig, VspherePoolConfig } from "../../config/infra/vsphere";
import { poolMaxNodes } from "../../config/infra/vsphere/autoscaling";
import { poolAddressSpace } from "../../config/infra/vsphere/checks";
import type { DataDiskPurpose, NodePool, PoolRole, Taint } from "../../lib/contracts";
import { POOL_NAME_LABEL, POOL_ROLE_LABEL } from "../../lib/placement";

/** kubeadm's own control-plane taint, kept when a control-plane pool adds taints of its own. */
export const CONTROL_PLANE_TAINT: Taint = { key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" };

export interface DiskSpec {
  /** Label on the VM, `disk0` for the OS disk. */
  readonly label: string;
  readonly sizeGi: number;
  readonly tier: string;
  /** What a storage node's data disk holds. @default - none: mounted by tier, no storage class */
  readonly purpose?: DataDiskPurpose;
}

export interface NodeSpec {
  /** VM name and hostname: `<cluster>-<pool>-<n>`, n from 1. */
  readonly name: string;
  readonly pool: string;
  readonly role: PoolRole;
  /** Position in the pool, from 0; the first control-plane node runs `kubeadm init`. */
  readonly index: number;
  readonly address: string;
  /** Prefix length of the node network, for netplan. */
  readonly prefixLength: number;
  readonly network: string;
  readonly cpus: number;
  readonly memoryGi: number;
  readonly disks: readonly DiskSpec[];
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly Taint[];
}

/** Whether a role joins the cluster as a Kubernetes node (load balancers only run HAProxy/keepalived). */
export function isKubernetesNode(role: PoolRole): boolean {
  return role !== "load-balancer";
}

/** Roles whose VMs hold data, so they are protected in production. */
export function isStateful(role: PoolRole): boolean {
  return role === "database" || role === "storage";
}

function poolTaints(pool: VspherePoolConfig): Taint[] {
  const taints = pool.taints.map((t) => ({ key: t.key, effect: t.effect, ...(t.value === undefined ? {} : { value: t.value }) }));
  if (pool.role === "control-plane" && !taints.some((t) => t.key === CONTROL_PLANE_TAINT.key)) taints.unshift(CONTROL_PLANE_TAINT);
  return taints;
}

function poolLabels(name: string, pool: VspherePoolConfig): Record<string, string> {
  return { ...pool.labels, [POOL_NAME_LABEL]: name, [POOL_ROLE_LABEL]: pool.role };
}

/** Every VM of every pool, in pool order then index order. */
export function nodeSpecs(infra: VsphereInfraConfig): NodeSpec[] {
  const vs = infra.vsphere;
  return Object.entries(vs.nodePools).flatMap(([poolName, pool]) => {
    const space = poolAddressSpace(pool) ?? [];
    const prefixLength = Number(vs.networks[pool.network]?.cidr.split("/")[1] ?? 32);
    const disks: DiskSpec[] = [
      { label: "disk0", sizeGi: pool.osDiskGi, tier: pool.osDiskTier ?? vs.defaultTier },
      ...pool.dataDisks.map((disk, i) => ({ label: `disk${i + 1}`, sizeGi: disk.sizeGi, tier: disk.tier, ...(disk.purpose === undefined ? {} : { purpose: disk.purpose }) })),
    ];
    return Array.from({ length: pool.count }, (_, index): NodeSpec => {
      const address = space[index];
      if (address === undefined) throw new Error(`pool ${poolName} has no address for node ${index + 1}; config validation should have caught this`);
      return {
        name: `${infra.clusterName}-${poolName}-${index + 1}`,
        pool: poolName,
        role: pool.role,
        index,
        address: intToIp(address),
        prefixLength,
        network: pool.network,
        cpus: pool.cpus,
        memoryGi: pool.memoryGi,
        disks,
        labels: poolLabels(poolName, pool),
        taints: poolTaints(pool),
      };
    });
  });
}

/** The pools as the infra contract describes them: per-node capacity and addresses. */
export function describePools(infra: VsphereInfraConfig, nodes: readonly NodeSpec[]): NodePool[] {
  return Object.entries(infra.vsphere.nodePools).map(([name, pool]) => ({
    name,
    role: pool.role,
    // An autoscaled pool starts at its minimum; the autoscaler may grow it to its maximum.
    count: pool.autoscaling?.min ?? pool.count,
    maxCount: poolMaxNodes(pool),
    cpuCores: pool.cpus,
    memoryGi: pool.memoryGi,
    labels: poolLabels(name, pool),
    taints: poolTaints(pool),
    addresses: nodes.filter((node) => node.pool === name).map((node) => node.address),
  }));
}
