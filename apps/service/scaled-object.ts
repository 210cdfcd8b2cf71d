/**
 * Pure: the KEDA ScaledObject of an app whose `autoscaling` sets `requestsPerSecond` or
 * `latencyMs`. KEDA then owns the app's HPA: the CPU and memory targets become `cpu`/`memory`
 * triggers, the scale-up/scale-down behaviour goes to `advanced.horizontalPodAutoscalerConfig`,
 * and the custom metrics are Prometheus triggers on the platform's Prometheus.
 *
 * The triggers read the HTTP metrics contract (`lib/http-metrics.ts`), the series the
 * golden-signal alerts and the apps dashboard read too: the app's own (`source="app"`) 2-minute
 * series, which its PrometheusRule records from the histogram its `httpMetrics` names.
 * - requests per second per pod: `sum(strata:http_requests:rate2m{…})`, `AverageValue` (KEDA
 *   divides by the pod count) against `requestsPerSecond`;
 * - latency: the quantile of `strata:http_request_duration_seconds_bucket:rate2m{…}` in
 *   milliseconds, `Value` against `latencyMs`; 0 while the service is idle (no requests in the
 *   window make the quantile NaN), nothing when its series are missing.
 *
 * A missing series is an error, never a 0 (`ignoreNullValues: "false"`; the prometheus scaler's
 * default `true` reads an empty result as 0, which silently left scaling to CPU alone). After
 * three failed polls KEDA falls back (the ScaledObject's `Fallback` condition turns true):
 * `currentReplicasIfHigher` with `minReplicas` keeps at least the pods running then, while the
 * CPU and memory triggers still scale up. KEDA 2.20 accepts a fallback when a trigger other than
 * cpu/memory exists (`CheckFallbackValid`) and applies it to `Value` targets too (since 2.18,
 * kedacore/keda#6655).
 */
import type { AutoscalingSpec } from "../../config/apps/service";
import { HTTP_SERIES, serviceSelector } from "../../lib/http-metrics";
import { scalingRules } from "./autoscaler";
import type { QueueTrigger } from "./queue-scaling";

export const SCALED_OBJECT_API_VERSION = "keda.sh/v1alpha1";

/** Failed polls of a trigger (30 s apart) before KEDA falls back. */
export const FALLBACK_FAILURE_THRESHOLD = 3;

export interface ScaledObjectInput {
  readonly name: string;
  readonly namespace: string;
  readonly scaling: AutoscalingSpec;
  readonly labels: Readonly<Record<string, string>>;
  /** Prometheus query API, e.g. `http://kube-prometheus-stack-prometheus.monitoring.svc.cluster.local:9090`; needed for `requestsPerSecond`/`latencyMs`. @default - none */
  readonly prometheusAddress?: string;
  /** A worker's broker triggers (`queue-scaling.ts`): Kafka lag, RabbitMQ queue length. @default [] */
  readonly queueTriggers?: readonly QueueTrigger[];
}

/** Requests per second the app's pods handle together (KEDA divides by the pods). */
export function requestsPerSecondQuery(namespace: string, service: string): string {
  return `sum(${HTTP_SERIES.requests("2m")}${serviceSelector(namespace, service, "app")})`;
}

/** Latency at `quantile` in milliseconds; 0 when idle, no result when the series are missing. */
export function latencyQuery(quantile: number, namespace: string, service: string): string {
  const selector = serviceSelector(namespace, service, "app");
  return `(histogram_quantile(${quantile}, sum by (le) (${HTTP_SERIES.durationBuckets("2m")}${selector})) * 1000 >= 0) or (0 * sum(${HTTP_SERIES.requests("2m")}${selector}))`;
}

export function scaledObjectManifest(input: ScaledObjectInput) {
  const { scaling, namespace, name } = input;
  const resource = (type: "cpu" | "memory", percent: number | undefined) => (percent === undefined ? [] : [{ type, metricType: "Utilization", metadata: { value: String(percent) } }]);
  const prometheus = (trigger: string, query: string, threshold: number, metricType: "AverageValue" | "Value") => {
    if (input.prometheusAddress === undefined) throw new Error(`ScaledObject ${name}: ${trigger} needs the platform's Prometheus`);
    return { type: "prometheus", name: trigger, metricType, metadata: { serverAddress: input.prometheusAddress, query, threshold: String(threshold), ignoreNullValues: "false" } };
  };
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
      fallback: { failureThreshold: FALLBACK_FAILURE_THRESHOLD, replicas: scaling.minReplicas, behavior: "currentReplicasIfHigher" },
      ...(behavior === undefined ? {} : { advanced: { horizontalPodAutoscalerConfig: { behavior } } }),
      triggers: [
        ...resource("cpu", scaling.cpuPercent),
        ...resource("memory", scaling.memoryPercent),
        ...(scaling.requestsPerSecond === undefined ? [] : [prometheus("requests-per-second", requestsPerSecondQuery(namespace, name), scaling.requestsPerSecond, "AverageValue")]),
        ...(scaling.latencyMs === undefined ? [] : [prometheus("latency", latencyQuery(scaling.latencyQuantile, namespace, name), scaling.latencyMs, "Value")]),
        ...(input.queueTriggers ?? []),
      ],
    },
  };
}
