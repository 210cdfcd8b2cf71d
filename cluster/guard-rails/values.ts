/** Pure builders for PriorityClasses, ResourceQuotas and LimitRanges. */
import type { LimitsConfig, QuotaConfig } from "../../config/cluster/backends";

export const PRIORITY_CLASS_NAMES = ["platform-critical", "data", "apps-high", "apps-default"] as const;
export type PriorityClassName = (typeof PRIORITY_CLASS_NAMES)[number];

export interface PriorityClassSpec {
  readonly value: number;
  readonly globalDefault: boolean;
  readonly preemptionPolicy: "PreemptLowerPriority" | "Never";
  readonly description: string;
}

/**
 * Platform add-ons above data services above apps; all below Kubernetes' own
 * `system-cluster-critical` (2,000,000,000). `apps-default` is the cluster-wide default so a pod
 * without a class never outranks the platform.
 */
export const PRIORITY_CLASSES: Readonly<Record<PriorityClassName, PriorityClassSpec>> = {
  "platform-critical": { value: 1_000_000, globalDefault: false, preemptionPolicy: "PreemptLowerPriority", description: "Cluster add-ons strata installs (gateway, certificates, DNS-adjacent controllers)." },
  data: { value: 500_000, globalDefault: false, preemptionPolicy: "PreemptLowerPriority", description: "Stateful data services and their operators." },
  "apps-high": { value: 100_000, globalDefault: false, preemptionPolicy: "PreemptLowerPriority", description: "User-facing application services." },
  "apps-default": { value: 10_000, globalDefault: true, preemptionPolicy: "Never", description: "Default for every pod without a priority class; never preempts." },
};

/** ResourceQuota `spec.hard` for an app namespace. */
export function quotaHard(quota: QuotaConfig): Record<string, string> {
  return {
    "requests.cpu": `${quota.requestsCpuMillis}m`,
    "requests.memory": `${quota.requestsMemoryGi}Gi`,
    "limits.cpu": `${quota.limitsCpuMillis}m`,
    "limits.memory": `${quota.limitsMemoryGi}Gi`,
    pods: String(quota.pods),
    persistentvolumeclaims: String(quota.persistentVolumeClaims),
    "requests.storage": `${quota.storageGi}Gi`,
  };
}

/** LimitRange item for containers: defaults every container gets plus per-container maxima. */
export function containerLimits(limits: LimitsConfig) {
  return {
    type: "Container",
    defaultRequest: { cpu: `${limits.defaultRequestCpuMillis}m`, memory: `${limits.defaultRequestMemoryMi}Mi` },
    default: { cpu: `${limits.defaultCpuMillis}m`, memory: `${limits.defaultMemoryMi}Mi` },
    max: { cpu: `${limits.maxCpuMillis}m`, memory: `${limits.maxMemoryMi}Mi` },
  };
}
