/**
 * Pure: the vertical-pod-autoscaler chart's values and the facts of the pods it creates, for
 * recommendation mode. Keys: `../shared/reference/charts/vertical-pod-autoscaler/values.yaml`
 * (chart 0.11.0, VPA 1.7.1).
 */
import type { Placement } from "../../lib/contracts";

/** Helm release name; the chart names the recommender `<release>-recommender` (templates/_helpers.tpl `fullname` keeps a release name that contains the chart name). */
export const VPA_RELEASE = "vertical-pod-autoscaler";

/** The recommender pods' labels: `vertical-pod-autoscaler.recommender.selectorLabels` (templates/_helpers.tpl). */
export const RECOMMENDER_POD_LABELS = {
  "app.kubernetes.io/name": "vertical-pod-autoscaler",
  "app.kubernetes.io/instance": VPA_RELEASE,
  "app.kubernetes.io/component": "recommender",
} as const;

/** Container port of the recommender's metrics and health check (templates/recommender-deployment.yaml, port `prometheus`). */
export const RECOMMENDER_METRICS_PORT = 8942;

/**
 * Requests and memory limit of one recommender: the values.yaml comment's suggestion (50m/500Mi
 * requested, 1000Mi limit); the chart itself sets none, which would leave it unaccounted for.
 */
export const RECOMMENDER_SIZE = { cpuMillis: 50, memoryMi: 500, memoryLimitMi: 1000 } as const;

export interface VpaValuesInput {
  readonly recommenderReplicas: number;
  readonly placement: Placement;
}

/**
 * Recommender only. With `updateMode: "Off"` nothing acts on a recommendation: the updater would
 * evict nothing and the admission controller would rewrite no pod, so running them would only add
 * a mutating webhook on every pod creation (a failure point for all namespaces) and pods that
 * need their own certificates and policies. The recommender keeps its history in
 * VerticalPodAutoscalerCheckpoint objects (its default `--storage=checkpoint`), so it needs no
 * Prometheus and no volume.
 */
export function vpaValues(input: VpaValuesInput) {
  return {
    admissionController: { enabled: false },
    updater: { enabled: false },
    recommender: {
      enabled: true,
      replicas: input.recommenderReplicas,
      resources: {
        requests: { cpu: `${RECOMMENDER_SIZE.cpuMillis}m`, memory: `${RECOMMENDER_SIZE.memoryMi}Mi` },
        limits: { memory: `${RECOMMENDER_SIZE.memoryLimitMi}Mi` },
      },
      nodeSelector: { ...input.placement.nodeSelector },
      tolerations: input.placement.tolerations.map((t) => ({ ...t })),
      podDisruptionBudget: { enabled: input.recommenderReplicas > 1, minAvailable: 1 },
    },
  };
}
