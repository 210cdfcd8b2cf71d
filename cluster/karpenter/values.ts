/** Pure: Karpenter chart values, the EC2NodeClass and the worker NodePool. */
import type * as pulumi from "@pulumi/pulumi";
import type { NodePool, Placement, Taint } from "../../lib/contracts";
import { CONTROLLER_SERVICE_ACCOUNTS } from "../../lib/service-accounts";

export interface KarpenterValuesOptions {
  readonly clusterName: string;
  /** SQS queue with EC2 interruption events; interruption handling is off without it. */
  readonly interruptionQueue?: pulumi.Input<string>;
  /** Where the controller runs: never on nodes it manages. */
  readonly placement: Placement;
  /** Controller replicas, all on the system pool. @default 2 (the chart's default) */
  readonly replicas?: number;
}

/**
 * Requests (= limits) of each controller replica: upstream's install command sets exactly these
 * (`controller.resources` 1 CPU / 1Gi, requests = limits; karpenter-provider-aws
 * website/content/en/v1.14/getting-started/getting-started-with-karpenter/scripts/step08-apply-helm-chart.sh).
 * The chart passes them to the controller, which sizes itself from them: `CPU_REQUESTS` (default
 * 1000 millicores) and `MEMORY_LIMIT`, whose 90% becomes the Go GC's soft limit
 * (website/content/en/v1.14/reference/settings.md; charts/karpenter/templates/deployment.yaml).
 */
export const KARPENTER_CONTROLLER_SIZE = { cpuMillis: 1000, memoryMi: 1024 } as const;

const controllerQuantities = { cpu: `${KARPENTER_CONTROLLER_SIZE.cpuMillis}m`, memory: `${KARPENTER_CONTROLLER_SIZE.memoryMi}Mi` };


export function karpenterValues(options: KarpenterValuesOptions) {
  return {
    replicas: options.replicas ?? 2,
    controller: { resources: { requests: { ...controllerQuantities }, limits: { ...controllerQuantities } } },
    serviceAccount: { create: true, name: CONTROLLER_SERVICE_ACCOUNTS.karpenter.serviceAccount },
    settings: {
      clusterName: options.clusterName,
      eksControlPlane: true,
      ...(options.interruptionQueue === undefined ? {} : { interruptionQueue: options.interruptionQueue }),
    },
    nodeSelector: { "kubernetes.io/os": "linux", ...options.placement.nodeSelector },
    tolerations: options.placement.tolerations.map((t) => ({ ...t })),
  };
}

export interface NodeLimits {
  readonly nodes: number;
  /** vCPU ceiling; absent when nothing sizes it (no worker pool, no override). */
  readonly cpuCores?: number;
  /** Memory ceiling; absent when nothing sizes it. */
  readonly memoryGi?: number;
}

/**
 * Capacity Karpenter may add: the headroom between each worker pool's `count` (the fixed node
 * group) and its `maxCount` (seeds: 6 → 20 workers). Config overrides the node count (cpu and
 * memory then follow it at the largest worker's size) and cpu and memory directly.
 */
export function workerHeadroom(
  pools: readonly NodePool[],
  overrides: { readonly maxNodes?: number; readonly maxCpuCores?: number; readonly maxMemoryGi?: number },
): NodeLimits {
  const workers = pools.filter((pool) => pool.role === "worker");
  const extra = (pool: NodePool) => Math.max(0, pool.maxCount - pool.count);
  const headroom = {
    nodes: workers.reduce((sum, pool) => sum + extra(pool), 0),
    cpuCores: workers.reduce((sum, pool) => sum + extra(pool) * pool.cpuCores, 0),
    memoryGi: workers.reduce((sum, pool) => sum + extra(pool) * pool.memoryGi, 0),
  };
  const largest = [...workers].sort((x, y) => y.cpuCores - x.cpuCores)[0];
  const nodes = overrides.maxNodes ?? headroom.nodes;
  const sized =
    overrides.maxNodes === undefined ? headroom : largest === undefined ? {} : { cpuCores: nodes * largest.cpuCores, memoryGi: nodes * largest.memoryGi };
  const cpuCores = overrides.maxCpuCores ?? sized.cpuCores;
  const memoryGi = overrides.maxMemoryGi ?? sized.memoryGi;
  return { nodes, ...(cpuCores === undefined ? {} : { cpuCores }), ...(memoryGi === undefined ? {} : { memoryGi }) };
}

export interface NodePoolOptions {
  readonly nodeClassName: string;
  readonly limits: NodeLimits;
  readonly capacityTypes: readonly string[];
  readonly instanceCategories: readonly string[];
  readonly consolidateAfter: string;
  /** vCPU bounds of the instances the pool may launch. */
  readonly instanceCpu: { readonly min: number; readonly max: number };
  /** Labels and taints the worker pool's nodes carry, so workloads placed by role land on Karpenter nodes too. */
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly Taint[];
}

export function nodePoolSpec(options: NodePoolOptions) {
  return {
    template: {
      metadata: { labels: { ...options.labels } },
      spec: {
        nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: options.nodeClassName },
        requirements: [
          { key: "karpenter.sh/capacity-type", operator: "In", values: [...options.capacityTypes] },
          { key: "karpenter.k8s.aws/instance-category", operator: "In", values: [...options.instanceCategories] },
          { key: "kubernetes.io/arch", operator: "In", values: ["amd64"] },
          // Well-known labels (karpenter-provider-aws website/content/en/v1.14/concepts/scheduling.md,
          // "Well-Known Labels"; Gte/Lte are Karpenter's numeric operators, accepted by the v1.14.1
          // NodePool CRD). Bare metal reports no hypervisor and Xen marks previous generations
          // (reference/instance-types.md), so `nitro` keeps both out, as upstream's NodePool example does.
          { key: "karpenter.k8s.aws/instance-cpu", operator: "Gte", values: [String(options.instanceCpu.min)] },
          { key: "karpenter.k8s.aws/instance-cpu", operator: "Lte", values: [String(options.instanceCpu.max)] },
          { key: "karpenter.k8s.aws/instance-hypervisor", operator: "In", values: ["nitro"] },
        ],
        taints: options.taints.map((t) => ({ ...t })),
        expireAfter: "720h",
      },
    },
    limits: {
      nodes: String(options.limits.nodes),
      ...(options.limits.cpuCores === undefined ? {} : { cpu: String(options.limits.cpuCores) }),
      ...(options.limits.memoryGi === undefined ? {} : { memory: `${options.limits.memoryGi}Gi` }),
    },
    disruption: { consolidationPolicy: "WhenEmptyOrUnderutilized", consolidateAfter: options.consolidateAfter },
  };
}

export interface NodeClassOptions {
  readonly clusterName: string;
  readonly amiAlias: string;
  readonly nodeRoleName: pulumi.Input<string>;
  /** The private subnets, as selector terms (`[{id}]`). */
  readonly subnetSelectorTerms: pulumi.Input<{ id: string }[]>;
  /** Security groups the managed node groups use too: the EKS cluster group and strata's node group. */
  readonly securityGroupIds: readonly pulumi.Input<string>[];
  readonly kmsKeyArn: pulumi.Input<string>;
}

/** EC2NodeClass `spec`: private subnets, the node groups' security groups, IMDSv2 only, encrypted root volume. */
export function nodeClassSpec(options: NodeClassOptions) {
  return {
    role: options.nodeRoleName,
    amiSelectorTerms: [{ alias: options.amiAlias }],
    subnetSelectorTerms: options.subnetSelectorTerms,
    securityGroupSelectorTerms: options.securityGroupIds.map((id) => ({ id })),
    metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
    blockDeviceMappings: [
      { deviceName: "/dev/xvda", ebs: { volumeSize: "100Gi", volumeType: "gp3", encrypted: true, kmsKeyID: options.kmsKeyArn, deleteOnTermination: true } },
    ],
    tags: { "strata.io/cluster": options.clusterName, "karpenter.sh/discovery": options.clusterName },
  };
}
