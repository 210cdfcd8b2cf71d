/** Per-backend parts of `strata:cluster`, network policy options and app-namespace guard rails. */
import { z } from "zod";
import { cidr, count, ipToInt, ipv4, port, strictObject } from "./common";

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
  /** Addresses MetalLB may assign to LoadBalancer Services; must include the infra ingress address. @default [] */
  loadBalancerAddresses: z.array(addressBlock).default([]),
  /** Calico IP pool encapsulation. @default "VXLANCrossSubnet" */
  calicoEncapsulation: z.enum(["VXLAN", "VXLANCrossSubnet", "IPIP", "IPIPCrossSubnet", "None"]).default("VXLANCrossSubnet"),
  /** Host directory local persistent volumes are created under on storage and database nodes. @default "/var/lib/strata/local-volumes" */
  localVolumePath: z.string().regex(/^\/[A-Za-z0-9._/-]+$/, { error: "must be an absolute path" }).default("/var/lib/strata/local-volumes"),
});

const duration = z.string().regex(/^(\d+h)?(\d+m)?(\d+s)?$/, { error: "must be a duration such as 30s, 10m or 1h" }).refine((v) => v !== "", {
  error: "must be a duration such as 30s, 10m or 1h",
});

export const karpenterConfig = strictObject({
  /** Upper bound on vCPUs across Karpenter nodes. @default - worker pool maxCount × cores per node */
  maxCpuCores: count(1).optional(),
  /** Upper bound on memory across Karpenter nodes. @default - worker pool maxCount × memory per node */
  maxMemoryGi: count(1).optional(),
  /** EC2 purchase options Karpenter may use. @default ["on-demand"] */
  capacityTypes: z.array(z.enum(["on-demand", "spot"])).min(1).default(["on-demand"]),
  /** EC2 instance categories (first letter of the family). @default ["c","m","r"] */
  instanceCategories: z.array(z.string().regex(/^[a-z]$/, { error: "must be one letter such as m" })).min(1).default(["c", "m", "r"]),
  /** How long a node must be empty or underused before it is consolidated (seeds: 10 minutes). @default "10m" */
  consolidateAfter: duration.default("10m"),
  /** AMI alias for EC2NodeClass, e.g. `al2023@v20260801`. @default - catalog KARPENTER_AMI_ALIAS */
  amiAlias: z.string().regex(/^[a-z0-9]+@(latest|v\d{8})$/, { error: "must be an alias such as al2023@v20260801 or al2023@latest" }).optional(),
});

export const eksClusterConfig = strictObject({
  /** Karpenter node autoscaling. */
  karpenter: karpenterConfig.prefault({}),
  /** Provisioned IOPS of the io2 database class (seeds: 10,000). @default 10000 */
  databaseIops: count(100).default(10000),
});

export const existingClusterConfig = strictObject({
  /** Names of storage classes the existing cluster already has, by purpose. @default {} */
  storageClasses: strictObject({
    default: z.string().min(1).optional(),
    database: z.string().min(1).optional(),
    local: z.string().min(1).optional(),
  }).prefault({}),
});

export const networkPolicyConfig = strictObject({
  /** Declare default-deny NetworkPolicies with explicit allows in every strata namespace. @default true */
  enabled: z.boolean().default(true),
  /** Ports app namespaces may reach in the data namespace. @default - PostgreSQL, MySQL, MongoDB, Redis, RabbitMQ, Kafka, S3 */
  dataPorts: z.array(port).min(1).default([5432, 3306, 27017, 6379, 26379, 5672, 9092, 8333]),
  /** Let app pods open HTTPS (443) connections outside the cluster (seeds: backend API calls). @default false */
  appsInternetEgress: z.boolean().default(false),
});

/** Per app namespace ResourceQuota. */
export const quotaConfig = strictObject({
  /** @default 16000 */
  requestsCpuMillis: count(1).default(16000),
  /** @default 32 */
  requestsMemoryGi: count(1).default(32),
  /** @default 32000 */
  limitsCpuMillis: count(1).default(32000),
  /** @default 64 */
  limitsMemoryGi: count(1).default(64),
  /** @default 100 */
  pods: count(1).default(100),
  /** @default 20 */
  persistentVolumeClaims: count(0).default(20),
  /** Total requested storage. @default 500 */
  storageGi: count(0).default(500),
});

/** Per app namespace LimitRange for containers. */
export const limitsConfig = strictObject({
  /** @default 100 */
  defaultRequestCpuMillis: count(1).default(100),
  /** @default 128 */
  defaultRequestMemoryMi: count(1).default(128),
  /** @default 500 */
  defaultCpuMillis: count(1).default(500),
  /** @default 512 */
  defaultMemoryMi: count(1).default(512),
  /** @default 4000 */
  maxCpuMillis: count(1).default(4000),
  /** @default 8192 */
  maxMemoryMi: count(1).default(8192),
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
