/** Pure: the HPA v2 (resource targets and scaling behaviour) and the PodDisruptionBudget. */
import type { AppServiceSpec, AutoscalingSpec, ScalingPolicySpec } from "../../config/apps/service";

/** One direction of the HPA v2 `behavior` (also carried into KEDA's HPA). */
export function scalingRules(policy: ScalingPolicySpec | undefined) {
  if (policy === undefined) return undefined;
  return {
    ...(policy.stabilizationSeconds === undefined ? {} : { stabilizationWindowSeconds: policy.stabilizationSeconds }),
    // With both a percentage and a pod count, the pod count caps the percentage (the seeds' "100 %
    // every 30 s, at most 4 pods"): the smaller change wins.
    ...(policy.percent !== undefined && policy.pods !== undefined ? { selectPolicy: "Min" } : {}),
    policies: [
      ...(policy.percent === undefined ? [] : [{ type: "Percent", value: policy.percent, periodSeconds: policy.periodSeconds }]),
      ...(policy.pods === undefined ? [] : [{ type: "Pods", value: policy.pods, periodSeconds: policy.periodSeconds }]),
    ],
  };
}

export function autoscalerManifest(input: { readonly name: string; readonly namespace: string; readonly scaling: AutoscalingSpec; readonly labels: Readonly<Record<string, string>> }) {
  const { scaling } = input;
  const target = (resource: "cpu" | "memory", percent: number | undefined) =>
    percent === undefined ? [] : [{ type: "Resource", resource: { name: resource, target: { type: "Utilization", averageUtilization: percent } } }];
  const up = scalingRules(scaling.scaleUp);
  const down = scalingRules(scaling.scaleDown);
  return {
    metadata: { name: input.name, namespace: input.namespace, labels: { ...input.labels } },
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: input.name },
      minReplicas: scaling.minReplicas,
      maxReplicas: scaling.maxReplicas,
      metrics: [...target("cpu", scaling.cpuPercent), ...target("memory", scaling.memoryPercent)],
      ...(up === undefined && down === undefined ? {} : { behavior: { ...(up === undefined ? {} : { scaleUp: up }), ...(down === undefined ? {} : { scaleDown: down }) } }),
    },
  };
}

/** `minAvailable` from the spec, else one less than the fewest replicas; undefined for a single pod. */
export function minAvailableFor(spec: AppServiceSpec): number | undefined {
  // A cronjob's or job's pods run to completion: no budget (a drain may evict them; the Job retries).
  if (spec.kind === "cronjob" || spec.kind === "job") return undefined;
  const fewest = spec.autoscaling?.minReplicas ?? spec.replicas;
  if (spec.minAvailable !== undefined) return spec.minAvailable;
  return fewest > 1 ? fewest - 1 : undefined;
}

export function disruptionBudgetManifest(input: {
  readonly name: string;
  readonly namespace: string;
  readonly minAvailable: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly selector: Readonly<Record<string, string>>;
}) {
  return {
    metadata: { name: input.name, namespace: input.namespace, labels: { ...input.labels } },
    spec: { minAvailable: input.minAvailable, selector: { matchLabels: { ...input.selector } }, unhealthyPodEvictionPolicy: "AlwaysAllow" },
  };
}
