/**
 * Pure: the KEDA ScaledObject of an app whose `autoscaling` sets `requestsPerSecond` or
 * `latencyMs`. KEDA then owns the app's HPA: the CPU and memory targets become `cpu`/`memory`
 * triggers, the scale-up/scale-down behaviour goes to `advanced.horizontalPodAutoscalerConfig`,
 * and the custom metrics are Prometheus triggers on the platform's Prometheus.
 *
 * The queries read what the app exports on its metrics port, as the ServiceMonitor's targets
 * label it (`namespace`, `service` = the app's Service):
 * - requests per second per pod: `sum(rate(<requestsMetric>{namespace,service}[window]))`,
 *   `AverageValue` (KEDA divides by the pod count) against `requestsPerSecond`;
 * - latency: `histogram_quantile(q, sum by (le) (rate(<latencyMetric>_bucket{…}[window]))) * 1000`
 *   in milliseconds, `Value` against `latencyMs`.
 */
import type { AutoscalingSpec } from "../../config/apps-service";
import { scalingRules } from "./autoscaler";

export const SCALED_OBJECT_API_VERSION = "keda.sh/v1alpha1";

export interface ScaledObjectInput {
  readonly name: string;
  readonly namespace: string;
  readonly scaling: AutoscalingSpec;
  readonly labels: Readonly<Record<string, string>>;
  /** Prometheus query API, e.g. `http://kube-prometheus-stack-prometheus.monitoring.svc.cluster.local:9090`. */
  readonly prometheusAddress: string;
}

/** The PromQL selector of the app's series, as the ServiceMonitor's scrape labels them. */
export function seriesSelector(namespace: string, service: string): string {
  return `{namespace="${namespace}",service="${service}"}`;
}

export function requestsPerSecondQuery(scaling: AutoscalingSpec, namespace: string, service: string): string {
  return `sum(rate(${scaling.requestsMetric}${seriesSelector(namespace, service)}[${scaling.metricWindowSeconds}s]))`;
}

export function latencyQuery(scaling: AutoscalingSpec, namespace: string, service: string): string {
  return `histogram_quantile(${scaling.latencyQuantile}, sum by (le) (rate(${scaling.latencyMetric}_bucket${seriesSelector(namespace, service)}[${scaling.metricWindowSeconds}s]))) * 1000`;
}

export function scaledObjectManifest(input: ScaledObjectInput) {
  const { scaling, namespace, name } = input;
  const resource = (type: "cpu" | "memory", percent: number | undefined) => (percent === undefined ? [] : [{ type, metricType: "Utilization", metadata: { value: String(percent) } }]);
  const prometheus = (trigger: string, query: string, threshold: number, metricType: "AverageValue" | "Value") => ({
    type: "prometheus",
    name: trigger,
    metricType,
    metadata: { serverAddress: input.prometheusAddress, query, threshold: String(threshold), ignoreNullValues: "true" },
  });
  const up = scalingRules(scaling.scaleUp);
  const down = scalingRules(scaling.scaleDown);
  const behavior = up === undefined && down === undefined ? undefined : { ...(up === undefined ? {} : { scaleUp: up }), ...(down === undefined ? {} : { scaleDown: down }) };
  return {
    apiVersion: SCALED_OBJECT_API_VERSION,
    kind: "ScaledObject",
    metadata: { name, namespace, labels: { ...input.labels } },
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name },
      minReplicaCount: scaling.minReplicas,
      maxReplicaCount: scaling.maxReplicas,
      ...(behavior === undefined ? {} : { advanced: { horizontalPodAutoscalerConfig: { behavior } } }),
      triggers: [
        ...resource("cpu", scaling.cpuPercent),
        ...resource("memory", scaling.memoryPercent),
        ...(scaling.requestsPerSecond === undefined ? [] : [prometheus("requests-per-second", requestsPerSecondQuery(scaling, namespace, name), scaling.requestsPerSecond, "AverageValue")]),
        ...(scaling.latencyMs === undefined ? [] : [prometheus("latency", latencyQuery(scaling, namespace, name), scaling.latencyMs, "Value")]),
      ],
    },
  };
}
