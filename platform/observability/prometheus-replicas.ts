/**
 * Pure: the address of each Prometheus replica, for the clients that push series into Prometheus
 * (Tempo's metrics-generator through the remote-write receiver, the router collectors through the
 * OTLP receiver).
 *
 * The replicas do not share data: each scrapes every target itself, but a pushed series is stored
 * only by the replica that receives it. A push through the `<release>-prometheus` Service lands
 * on one pod, and with the Service's ClientIP affinity always the same one, so the other replica
 * would never hold the service map or the apps' OTLP metrics, and a query (which sticks to one
 * replica per client) would answer from whichever half it reached. Each pusher therefore writes
 * to every replica by the replica's own DNS name, one queue per replica.
 *
 * The names, from prometheus-operator v0.93.0 (kube-prometheus-stack 88.5.3's appVersion v0.93.1):
 * - The StatefulSet of shard 0 is `prometheus-<Prometheus name>` (pkg/prometheus/common.go
 *   `PrefixedName`, `prometheusNameByShard`); the chart renders `shards: 1` (values.yaml
 *   `prometheus.prometheusSpec.shards`), which strata keeps, so there is no `-shard-<n>` StatefulSet.
 * - Its governing Service is `prometheus-operated` unless the custom resource sets `serviceName`
 *   (pkg/prometheus/server/statefulset.go `governingServiceName`, server/operator.go); the chart
 *   sets it only from `prometheusSpec.serviceName` (templates/prometheus/prometheus.yaml), which
 *   strata leaves empty. The operator builds that Service headless, selecting
 *   `app.kubernetes.io/name: prometheus`, with the port named `portName` (the chart's `http-web`)
 *   9090 → the container port of that name, labelled `operated-prometheus: "true"` and the
 *   managed-by labels (pkg/prometheus/common.go `BuildStatefulSetService`, pkg/operator/factory.go
 *   `UpdateObject`).
 * - A StatefulSet pod `<statefulset>-<ordinal>` resolves as
 *   `<pod>.<governing Service>.<namespace>.svc.cluster.local` (Kubernetes, "StatefulSets: stable
 *   network ID").
 */
import { METRICS_RELEASE, PROMETHEUS_PORT, PROMETHEUS_PORT_NAME } from "./prometheus-values";

/** The Prometheus custom resource the chart creates (`prometheus.crname`: `<fullname>-prometheus`). */
const PROMETHEUS_NAME = `${METRICS_RELEASE}-prometheus`;
/** The operator's headless governing Service of every Prometheus StatefulSet in the namespace. */
export const PROMETHEUS_GOVERNING_SERVICE = "prometheus-operated";
/** Port name → port of the governing Service (the chart's `prometheusSpec.portName`). */
export const PROMETHEUS_GOVERNING_PORTS = { [PROMETHEUS_PORT_NAME]: PROMETHEUS_PORT } as const;
/** Labels the operator puts on the governing Service (no ServiceMonitor selects it). */
export const PROMETHEUS_GOVERNING_LABELS = { "operated-prometheus": "true", "managed-by": "prometheus-operator", "app.kubernetes.io/managed-by": "prometheus-operator" } as const;

/** The pod names of `replicas` Prometheus replicas, ordinal 0 first. */
export function prometheusReplicaPods(replicas: number): string[] {
  return Array.from({ length: replicas }, (_, ordinal) => `prometheus-${PROMETHEUS_NAME}-${ordinal}`);
}

/**
 * The base URL of each of `replicas` Prometheus replicas in `namespace`, ordinal 0 first: what a
 * pusher writes to, once per replica. The count is the resolved `metrics.replicas`, so scaling
 * Prometheus adds the new replica's endpoint to every pusher.
 */
export function prometheusReplicaUrls(namespace: string, replicas: number): string[] {
  return prometheusReplicaPods(replicas).map((pod) => `http://${pod}.${PROMETHEUS_GOVERNING_SERVICE}.${namespace}.svc.cluster.local:${PROMETHEUS_PORT}`);
}
