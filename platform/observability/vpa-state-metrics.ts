/**
 * Pure: VPA recommendations as Prometheus series, so Grafana shows them. kube-state-metrics
 * dropped its built-in VPA metrics; its custom-resource-state configuration reads the
 * VerticalPodAutoscaler objects instead (kube-state-metrics docs/metrics/extend/
 * customresourcestate-metrics.md has the VPA example; a Kubernetes quantity string such as
 * `250m` or `262144k` is parsed with resource.ParseQuantity, pkg/customresourcestate/
 * registry_factory.go). The VPA recommender's own metrics (port 8942) are aggregates about the
 * recommender, not the recommendations. Without the VPA CRD the configuration yields nothing.
 */

/** Metric name (kube-state-metrics prefixes `kube_customresource_`) per recommendation field of `status.recommendation.containerRecommendations[]`. */
const FIELDS = { target: "target", lowerBound: "lowerbound", upperBound: "upperbound" } as const;
const RESOURCES = [
  { resource: "cpu", unit: "core" },
  { resource: "memory", unit: "byte" },
] as const;

/** The series of the recommended requests (`target`), labelled `namespace`, `verticalpodautoscaler`, `target_name`, `container`, `resource`, `unit`. */
export const VPA_TARGET_SERIES = "kube_customresource_verticalpodautoscaler_status_recommendation_containerrecommendations_target";

/** The `CustomResourceStateMetrics` resource entry for VerticalPodAutoscaler objects. */
export function vpaStateMetricsResource() {
  return {
    groupVersionKind: { group: "autoscaling.k8s.io", version: "v1", kind: "VerticalPodAutoscaler" },
    labelsFromPath: { namespace: ["metadata", "namespace"], verticalpodautoscaler: ["metadata", "name"], target_kind: ["spec", "targetRef", "kind"], target_name: ["spec", "targetRef", "name"] },
    metrics: Object.entries(FIELDS).flatMap(([field, suffix]) =>
      RESOURCES.map(({ resource, unit }) => ({
        name: `verticalpodautoscaler_status_recommendation_containerrecommendations_${suffix}`,
        help: `VPA recommendation (${field}) of the container's ${resource} request.`,
        commonLabels: { resource, unit },
        each: { type: "Gauge", gauge: { path: ["status", "recommendation", "containerRecommendations"], labelsFromPath: { container: ["containerName"] }, valueFrom: [field, resource] } },
      })),
    ),
  };
}

/** kube-state-metrics' RBAC rule to list and watch the objects. */
export const VPA_STATE_METRICS_RULE = { apiGroups: ["autoscaling.k8s.io"], resources: ["verticalpodautoscalers"], verbs: ["list", "watch"] };

interface StateMetricsValues {
  readonly customResourceState: { readonly enabled: boolean; readonly config: { readonly kind: string; readonly spec: { readonly resources: readonly object[] } } };
  readonly rbac: { readonly extraRules: readonly object[] };
}

/** The kube-state-metrics subchart values with the VPA objects added (the chart takes one configuration document). */
export function withVpaStateMetrics(values: StateMetricsValues) {
  const { config } = values.customResourceState;
  return {
    customResourceState: { ...values.customResourceState, config: { ...config, spec: { ...config.spec, resources: [...config.spec.resources, vpaStateMetricsResource()] } } },
    rbac: { ...values.rbac, extraRules: [...values.rbac.extraRules, VPA_STATE_METRICS_RULE] },
  };
}
