/** Per-backend parts of `strata:cluster`, network policy options and app-namespace guard rails. */
import { z } from "zod";
import { cidr, count, ipToInt, ipv4, port, strictObject } from "../common";

/** A MetalLB address block: a CIDR or an inclusive `first-last` IPv4 range. */
export const addressBlock = z.string().superRefine((value, ctx) => {
  if (value.includes("/")) {
    const result = cidr.safeParse(value);
    if (!result.success) ctx.addIssue({ code: "custom", message: result.error.issues[0]?.message ?? "must be an IPv4 CIDR" });
    return;
  }
  const [first, last, ...rest] = value.split("-");
  if (rest.length > 0 || !ipv4.safeParse(first).success || !ipv4.safeParse(last).success) {
    ctx.addIssue({ code: "custom", message: "must be a CIDR such as 10.0.20.240/28 or a range such as 10.0.20.240-10.0.20.250" });
  } else if (ipToInt(first ?? "") > ipToInt(last ?? "")) {
    ctx.addIssue({ code: "custom", message: "starts after it ends; write the lower address first" });
  }
});

export const vsphereClusterConfig = strictObject({
  loadBalancerAddresses: z.array(addressBlock).default([]).describe("Addresses MetalLB may assign to LoadBalancer Services; must include the infra ingress address."),
  calicoEncapsulation: z.enum(["VXLAN", "VXLANCrossSubnet", "IPIP", "IPIPCrossSubnet", "None"]).default("VXLANCrossSubnet").describe("Calico IP pool encapsulation."),
  localVolumePath: z.string().regex(/^\/[A-Za-z0-9._/-]+$/, { error: "must be an absolute path" }).default("/var/lib/strata/local-volumes").describe("Host directory `local` persistent volumes are created under on database nodes and on storage nodes without purposed data disks (those serve the `object`/`object-fast` classes on their disks)."),
});

const duration = z.string().regex(/^(\d+h)?(\d+m)?(\d+s)?$/, { error: "must be a duration such as 30s, 10m or 1h" }).refine((v) => v !== "", {
  error: "must be a duration such as 30s, 10m or 1h",
});

export const karpenterConfig = strictObject({
  controllerReplicas: count(1).default(2).describe("Karpenter controller replicas on the system pool, each requesting 1 CPU / 1Gi (upstream's install size). Two keep provisioning going while one restarts (leader election); one is enough where a pause in scaling is acceptable (dev)."),
  maxNodes: count(0).optional().describe("Upper bound on nodes Karpenter may add; 0 declares no NodePool. Default: worker pools' maxCount − count (seeds: 20 − 6 = 14)."),
  maxCpuCores: count(1).optional().describe("Upper bound on vCPUs across Karpenter nodes. Default: worker pool maxCount × cores per node."),
  maxMemoryGi: count(1).optional().describe("Upper bound on memory across Karpenter nodes. Default: worker pool maxCount × memory per node."),
  capacityTypes: z.array(z.enum(["on-demand", "spot"])).min(1).default(["on-demand"]).describe("EC2 purchase options Karpenter may use."),
  instanceCategories: z.array(z.string().regex(/^[a-z]$/, { error: "must be one letter such as m" })).min(1).default(["c", "m", "r"]).describe("EC2 instance categories (first letter of the family)."),
  consolidateAfter: duration.default("10m").describe("How long a node must be empty or underused before it is consolidated (seeds: 10 minutes)."),
  amiAlias: z.string().regex(/^[a-z0-9]+@(latest|v\d{8})$/, { error: "must be an alias such as al2023@v20260801 or al2023@latest" }).optional().describe("AMI alias for EC2NodeClass, e.g. `al2023@v20260801`. Default: catalog KARPENTER_AMI_ALIAS."),
  instanceCpu: strictObject({
    min: count(1).default(2).describe("Fewest vCPUs of an instance Karpenter may launch (seeds: data nodes r5.large, 2 vCPUs)."),
    max: count(1).default(32).describe("Most vCPUs of an instance Karpenter may launch, so one pending pod cannot bring a 96-vCPU node (seeds: workers t3.xlarge, 4 vCPUs)."),
  }).prefault({}).superRefine((bounds, ctx) => {
    if (bounds.min > bounds.max) ctx.addIssue({ code: "custom", path: ["min"], message: `is larger than max (${bounds.max}); lower min or raise max` });
  }).describe("vCPU bounds of the instances Karpenter launches (NodePool requirements on karpenter.k8s.aws/instance-cpu); bare metal is always excluded."),
}).superRefine((karpenter, ctx) => {
  if (karpenter.maxCpuCores !== undefined && karpenter.instanceCpu.min > karpenter.maxCpuCores) {
    ctx.addIssue({ code: "custom", path: ["instanceCpu", "min"], message: `is larger than maxCpuCores (${karpenter.maxCpuCores}): no instance would fit under the NodePool's cpu limit; lower instanceCpu.min or raise maxCpuCores` });
  }
});

/**
 * Outside dev, Karpenter's AMI alias must be dated: `@latest` rolls every Karpenter node to each
 * new AMI release as soon as it is published, with no change in the stack.
 */
export function amiAliasProblem(environment: string, amiAlias: string | undefined): string | undefined {
  if (environment === "dev") return undefined;
  const key = "strata:cluster.eks.karpenter.amiAlias";
  const fix = "pin a dated alias such as al2023@v20260801 and move it deliberately";
  if (amiAlias === undefined) {
    return `${key}: is required outside dev, where the default al2023@latest would roll every Karpenter node to each new AMI release (got nothing); ${fix}`;
  }
  if (amiAlias.endsWith("@latest")) {
    return `${key}: must be a dated alias outside dev; @latest rolls every Karpenter node to each new AMI release (got ${JSON.stringify(amiAlias)}); ${fix}`;
  }
  return undefined;
}

/**
 * io2 limits per volume (https://docs.aws.amazon.com/ebs/latest/userguide/provisioned-iops.html,
 * io2 Block Express: 100 to 256,000 IOPS at up to 1,000 IOPS per GiB).
 */
export const IO2_LIMITS = { minIops: 100, maxIops: 256_000, maxIopsPerGi: 1000 } as const;

/** The opt-in io2 class: IOPS follow each volume's size. */
export const io2ClassConfig = strictObject({
  iopsPerGi: count(1)
    .max(IO2_LIMITS.maxIopsPerGi, { error: `must be at most ${IO2_LIMITS.maxIopsPerGi}, io2's largest IOPS-to-GiB ratio` })
    .describe("Provisioned IOPS per GiB of each io2 volume (seeds: 10,000 IOPS on a 100 GiB database volume = 100). Each volume gets at least 100 and at most 256,000 IOPS."),
});
export type Io2ClassConfig = z.infer<typeof io2ClassConfig>;

export const eksClusterConfig = strictObject({
  karpenter: karpenterConfig.prefault({}).describe("Karpenter node autoscaling."),
  defaultReclaimPolicy: z
    .enum(["Delete", "Retain"])
    .default("Delete")
    .describe("What happens to a volume of the default `gp3-encrypted` class when its claim is deleted: `Delete` frees it, `Retain` keeps the EBS volume until someone deletes it (seeds: ValueVerse keeps them). Database classes always retain."),
  io2: io2ClassConfig
    .optional()
    .describe("Declare the `io2-encrypted` class for the `database-io2` storage purpose, which a data service opts into with `storage.purpose: database-io2`. Default: no io2 class; every volume is gp3 (3,000 IOPS, 125 MiB/s included)."),
});

export const existingClusterConfig = strictObject({
  storageClasses: strictObject({
    default: z.string().min(1).optional().describe("General-purpose class (usually the cluster default)."),
    database: z.string().min(1).optional().describe("Class for database volumes."),
    "database-io2": z.string().min(1).optional().describe("Class for database volumes on provisioned IOPS (no fallback: a service that asks for it needs it)."),
    local: z.string().min(1).optional().describe("Class for node-local volumes."),
    object: z.string().min(1).optional().describe("Class for object-store bulk data (falls back to `default`)."),
    "object-fast": z.string().min(1).optional().describe("Class for object-store metadata/index (falls back to `default`)."),
  }).prefault({}).describe("Names of storage classes the existing cluster already has, by purpose."),
});

export const networkPolicyConfig = strictObject({
  enabled: z.boolean().default(true).describe("Declare default-deny NetworkPolicies with explicit allows in every strata namespace."),
  dataPorts: z.array(port).min(1).default([5432, 3306, 27017, 6379, 26379, 5672, 9092, 8333]).describe("Ports app namespaces may reach in the data namespace. Default: PostgreSQL, MySQL, MongoDB, Redis, RabbitMQ, Kafka, S3."),
  appsInternetEgress: z.boolean().default(false).describe("Let app pods open HTTPS (443) connections outside the cluster (seeds: backend API calls)."),
});

/** Per app namespace ResourceQuota. */
export const quotaConfig = strictObject({
  requestsCpuMillis: count(1).default(16000).describe("Sum of CPU requests in the namespace, in millicores."),
  requestsMemoryGi: count(1).default(32).describe("Sum of memory requests in the namespace."),
  limitsCpuMillis: count(1).default(32000).describe("Sum of CPU limits in the namespace, in millicores."),
  limitsMemoryGi: count(1).default(64).describe("Sum of memory limits in the namespace."),
  pods: count(1).default(100).describe("Pods the namespace may run."),
  persistentVolumeClaims: count(0).default(20).describe("Volume claims the namespace may hold."),
  storageGi: count(0).default(500).describe("Total storage the namespace's claims may request."),
});

/** Per app namespace LimitRange for containers. */
export const limitsConfig = strictObject({
  defaultRequestCpuMillis: count(1).default(100).describe("CPU request of a container that sets none."),
  defaultRequestMemoryMi: count(1).default(128).describe("Memory request of a container that sets none."),
  defaultCpuMillis: count(1).default(500).describe("CPU limit of a container that sets none."),
  defaultMemoryMi: count(1).default(512).describe("Memory limit of a container that sets none."),
  maxCpuMillis: count(1).default(4000).describe("Largest CPU limit one container may set."),
  maxMemoryMi: count(1).default(8192).describe("Largest memory limit one container may set."),
});
export type QuotaConfig = z.infer<typeof quotaConfig>;
export type LimitsConfig = z.infer<typeof limitsConfig>;

/** Requests must fit under limits, defaults under maxima. */
export function guardRailIssues(quota: QuotaConfig, limits: LimitsConfig, path: readonly PropertyKey[], ctx: z.RefinementCtx): void {
  const checks: [keyof QuotaConfig | keyof LimitsConfig, "quota" | "limits", number, string, number][] = [
    ["requestsCpuMillis", "quota", quota.requestsCpuMillis, "quota.limitsCpuMillis", quota.limitsCpuMillis],
    ["requestsMemoryGi", "quota", quota.requestsMemoryGi, "quota.limitsMemoryGi", quota.limitsMemoryGi],
    ["defaultRequestCpuMillis", "limits", limits.defaultRequestCpuMillis, "limits.defaultCpuMillis", limits.defaultCpuMillis],
    ["defaultRequestMemoryMi", "limits", limits.defaultRequestMemoryMi, "limits.defaultMemoryMi", limits.defaultMemoryMi],
    ["defaultCpuMillis", "limits", limits.defaultCpuMillis, "limits.maxCpuMillis", limits.maxCpuMillis],
    ["defaultMemoryMi", "limits", limits.defaultMemoryMi, "limits.maxMemoryMi", limits.maxMemoryMi],
  ];
  for (const [key, group, value, boundKey, bound] of checks) {
    if (value > bound) {
      ctx.addIssue({ code: "custom", path: [...path, group, key], message: `exceeds ${boundKey} (${bound}); lower it or raise ${boundKey}` });
    }
  }
}
