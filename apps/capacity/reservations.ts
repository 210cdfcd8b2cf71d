/**
 * What the kubelet keeps back from a node's capacity before pods are scheduled (node allocatable =
 * capacity − kube-reserved − system-reserved − the hard eviction threshold), per backend.
 *
 * - kubeadm nodes (vSphere): strata's KubeletConfiguration (`infra/vsphere/kubeadm.ts`) sets no
 *   kubeReserved or systemReserved, so only the kubelet's default hard eviction threshold
 *   `memory.available<100Mi` is held back.
 * - EKS (AL2023, nodeadm): kube-reserved CPU is 6 % of the first core, 1 % of the second, 0.5 %
 *   of the third and fourth and 0.25 % of every further core; kube-reserved memory is
 *   11 MiB × maxPods + 255 MiB, maxPods being ENIs × (IPv4 addresses per ENI − 1) + 2 (VPC CNI
 *   without prefix delegation; 110 when the instance type is not known); evictionHard
 *   `memory.available: 100Mi`. (awslabs/amazon-eks-ami `nodeadm/internal/kubelet/config.go`,
 *   `eni_max_pods.go`, `instance-info.jsonl`.)
 * - existing clusters: their kubelet settings are not known; the kubelet default threshold is
 *   subtracted and the table says so.
 */
import type { Backend } from "../../lib/contracts";
import type { InstanceType } from "../../lib/instance-types";

/** CPU (millicores) and memory (MiB). */
export interface Resources {
  readonly cpuMillis: number;
  readonly memoryMi: number;
}

/** The kubelet's default `evictionHard` `memory.available` threshold, kept on every backend. */
export const EVICTION_HARD_MEMORY_MI = 100;

/** nodeadm's fallback when an instance type's network limits are unknown (the kubelet default). */
export const EKS_DEFAULT_MAX_PODS = 110;

/** Network interfaces and IPv4 addresses per interface of each instance type strata accepts (nodeadm `instance-info.jsonl`). */
export const EKS_INSTANCE_NETWORK: Record<InstanceType, { readonly enis: number; readonly ipsPerEni: number }> = {
  "t3.medium": { enis: 3, ipsPerEni: 6 },
  "t3.large": { enis: 3, ipsPerEni: 12 },
  "t3.xlarge": { enis: 4, ipsPerEni: 15 },
  "t3.2xlarge": { enis: 4, ipsPerEni: 15 },
  "t3a.medium": { enis: 3, ipsPerEni: 6 },
  "t3a.large": { enis: 3, ipsPerEni: 12 },
  "t3a.xlarge": { enis: 4, ipsPerEni: 15 },
  "t3a.2xlarge": { enis: 4, ipsPerEni: 15 },
  "m6i.large": { enis: 3, ipsPerEni: 10 },
  "m6i.xlarge": { enis: 4, ipsPerEni: 15 },
  "m6i.2xlarge": { enis: 4, ipsPerEni: 15 },
  "m6i.4xlarge": { enis: 8, ipsPerEni: 30 },
  "m7i.large": { enis: 3, ipsPerEni: 10 },
  "m7i.xlarge": { enis: 4, ipsPerEni: 15 },
  "m7i.2xlarge": { enis: 4, ipsPerEni: 15 },
  "m7i.4xlarge": { enis: 8, ipsPerEni: 30 },
  "c6i.large": { enis: 3, ipsPerEni: 10 },
  "c6i.xlarge": { enis: 4, ipsPerEni: 15 },
  "c6i.2xlarge": { enis: 4, ipsPerEni: 15 },
  "c7i.large": { enis: 3, ipsPerEni: 10 },
  "c7i.xlarge": { enis: 4, ipsPerEni: 15 },
  "c7i.2xlarge": { enis: 4, ipsPerEni: 15 },
  "r6i.large": { enis: 3, ipsPerEni: 10 },
  "r6i.xlarge": { enis: 4, ipsPerEni: 15 },
  "r6i.2xlarge": { enis: 4, ipsPerEni: 15 },
  "r7i.large": { enis: 3, ipsPerEni: 10 },
  "r7i.xlarge": { enis: 4, ipsPerEni: 15 },
  "r7i.2xlarge": { enis: 4, ipsPerEni: 15 },
  "m7g.large": { enis: 3, ipsPerEni: 10 },
  "m7g.xlarge": { enis: 4, ipsPerEni: 15 },
  "m7g.2xlarge": { enis: 4, ipsPerEni: 15 },
  "c7g.large": { enis: 3, ipsPerEni: 10 },
  "c7g.xlarge": { enis: 4, ipsPerEni: 15 },
  "r7g.large": { enis: 3, ipsPerEni: 10 },
  "r7g.xlarge": { enis: 4, ipsPerEni: 15 },
  "r7g.2xlarge": { enis: 4, ipsPerEni: 15 },
};

/** Pods an EKS node of this type admits: ENIs × (IPs per ENI − 1) + 2. */
export function eksMaxPods(type: InstanceType | undefined): number {
  if (type === undefined) return EKS_DEFAULT_MAX_PODS;
  const { enis, ipsPerEni } = EKS_INSTANCE_NETWORK[type];
  return enis * (ipsPerEni - 1) + 2;
}

/** nodeadm's kube-reserved CPU: 6 % / 1 % / 0.5 % / 0.25 % of the core ranges 0–1, 1–2, 2–4, 4+ (integer millicores per range). */
export function eksKubeReservedCpuMillis(vcpu: number): number {
  const total = vcpu * 1000;
  const ranges: readonly [number, number, number][] = [
    [0, 1000, 600],
    [1000, 2000, 100],
    [2000, 4000, 50],
    [4000, total, 25],
  ];
  return ranges.reduce((sum, [start, end, basisPoints]) => (total <= start ? sum : sum + Math.floor(((Math.min(total, end) - start) * basisPoints) / 10000)), 0);
}

/** nodeadm's kube-reserved memory: 11 MiB per pod the node admits plus 255 MiB. */
export function eksKubeReservedMemoryMi(maxPods: number): number {
  return 11 * maxPods + 255;
}

/** Held back per node: what the kubelet reserves plus the hard eviction threshold. */
export function nodeReservation(backend: Backend, node: { readonly cpuCores: number; readonly instanceType?: InstanceType }): Resources {
  switch (backend) {
    case "eks":
      return { cpuMillis: eksKubeReservedCpuMillis(node.cpuCores), memoryMi: eksKubeReservedMemoryMi(eksMaxPods(node.instanceType)) + EVICTION_HARD_MEMORY_MI };
    case "vsphere":
    case "existing":
      return { cpuMillis: 0, memoryMi: EVICTION_HARD_MEMORY_MI };
  }
}
