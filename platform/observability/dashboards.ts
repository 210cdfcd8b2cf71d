/**
 * Pure: strata's own Grafana dashboards, generated (no upstream JSON is copied). One dashboard
 * per data service on its exporter's standard metrics, and the apps' golden signals on strata's
 * recording rules, and their SLOs on the ratios `lib/slo.ts` records. The cluster dashboards come
 * with kube-prometheus-stack.
 */
import { HTTP_SERIES } from "../../lib/http-metrics";
import { SLO_SERIES, type SloWindow } from "../../lib/slo";
import { mongodbReplicationLag, mysqlGroupReplicationLag } from "./replication-lag";
import { VPA_TARGET_SERIES } from "./vpa-state-metrics";

export interface Panel {
  readonly title: string;
  /** PromQL; `$namespace` is the dashboard's namespace variable. */
  readonly expr: string;
  /** Grafana unit id (`reqps`, `s`, `percentunit`, `bytes`, `short`). */
  readonly unit: string;
  /** Legend template, e.g. `{{pod}}`. */
  readonly legend: string;
}

export interface DashboardSpec {
  readonly uid: string;
  readonly title: string;
  readonly panels: readonly Panel[];
  /** Extra template variable over this label of the first panel's metric (e.g. `service`). */
  readonly byLabel?: { readonly name: string; readonly metric: string };
}

const PROMETHEUS = { type: "prometheus", uid: "prometheus" } as const;

/** A Grafana dashboard model: two time-series panels per row, a namespace variable. */
export function dashboardJson(spec: DashboardSpec): Record<string, unknown> {
  const metric = spec.byLabel?.metric ?? "up";
  const variables = [
    { name: "namespace", label: "Namespace", type: "query", datasource: PROMETHEUS, query: `label_values(${metric}, namespace)`, includeAll: true, multi: true, refresh: 2 },
    ...(spec.byLabel === undefined
      ? []
      : [{ name: spec.byLabel.name, label: spec.byLabel.name, type: "query", datasource: PROMETHEUS, query: `label_values(${metric}{namespace=~"$namespace"}, ${spec.byLabel.name})`, includeAll: true, multi: true, refresh: 2 }]),
  ];
  return {
    uid: spec.uid,
    title: spec.title,
    tags: ["strata"],
    editable: false,
    schemaVersion: 39,
    time: { from: "now-6h", to: "now" },
    refresh: "1m",
    templating: { list: variables.map((v) => ({ ...v, current: {}, allValue: ".*" })) },
    panels: spec.panels.map((panel, index) => ({
      id: index + 1,
      type: "timeseries",
      title: panel.title,
      datasource: PROMETHEUS,
      gridPos: { h: 8, w: 12, x: (index % 2) * 12, y: Math.floor(index / 2) * 8 },
      fieldConfig: { defaults: { unit: panel.unit }, overrides: [] },
      targets: [{ refId: "A", datasource: PROMETHEUS, expr: panel.expr, legendFormat: panel.legend }],
    })),
  };
}

const ns = 'namespace=~"$namespace"';
/** An app series' legend: where it is measured shows, as a service may have both. */
const APP_LEGEND = "{{namespace}}/{{service}} ({{source}})";

const SLO_SELECTOR = `{${ns},service=~"$service"}`;
const SLO_LEGEND = "{{namespace}}/{{service}} {{slo}}";
/** How many times the budget's pace a window's error ratio is (1 = spends exactly the budget in 30 days). */
const burnRate = (w: SloWindow) => `${SLO_SERIES.errorRatio(w)}${SLO_SELECTOR} / on (namespace, service, slo) (1 - ${SLO_SERIES.objective}${SLO_SELECTOR})`;

/**
 * East-west traffic in the Istio ambient mesh (empty where the mesh is off), on Istio's standard
 * metrics: ztunnel reports every connection as `istio_tcp_*` with `connection_security_policy`
 * (`mutual_tls` or `none`); waypoints report requests as `istio_requests_total` and
 * `istio_request_duration_milliseconds` with `reporter="waypoint"` (istio.io, "Istio Standard
 * Metrics" and "Ambient: observability").
 */
const destinationNs = 'destination_workload_namespace=~"$namespace"';
const serviceNs = 'destination_service_namespace=~"$namespace"';
const waypointRate = (extra: string) => `sum by (destination_service_namespace, destination_service_name) (rate(istio_requests_total{reporter="waypoint",${serviceNs}${extra}}[5m]))`;
const MESH_PANELS: readonly Panel[] = [
  {
    title: "Mesh: share of connections with mTLS",
    expr: `sum by (destination_workload_namespace) (rate(istio_tcp_connections_opened_total{${destinationNs},connection_security_policy="mutual_tls"}[5m])) / sum by (destination_workload_namespace) (rate(istio_tcp_connections_opened_total{${destinationNs}}[5m]))`,
    unit: "percentunit",
    legend: "{{destination_workload_namespace}}",
  },
  { title: "Mesh: east-west bytes per second", expr: `sum by (destination_workload_namespace, destination_workload) (rate(istio_tcp_sent_bytes_total{${destinationNs}}[5m]))`, unit: "Bps", legend: "{{destination_workload_namespace}}/{{destination_workload}}" },
  { title: "Mesh: east-west requests per second (waypoints)", expr: waypointRate(""), unit: "reqps", legend: "{{destination_service_namespace}}/{{destination_service_name}}" },
  { title: "Mesh: east-west error ratio (5xx, waypoints)", expr: `${waypointRate(',response_code=~"5.."')} / ${waypointRate("")}`, unit: "percentunit", legend: "{{destination_service_namespace}}/{{destination_service_name}}" },
  {
    title: "Mesh: east-west latency P95 (waypoints)",
    expr: `histogram_quantile(0.95, sum by (le, destination_service_namespace, destination_service_name) (rate(istio_request_duration_milliseconds_bucket{reporter="waypoint",${serviceNs}}[5m]))) / 1000`,
    unit: "s",
    legend: "{{destination_service_namespace}}/{{destination_service_name}}",
  },
];

/** Every dashboard strata provisions, by ConfigMap key (file name). */
export const DASHBOARDS: Readonly<Record<string, DashboardSpec>> = {
  // The HTTP metrics contract (lib/http-metrics.ts): every routed service from the edge, and
  // every service with a metrics port from its own histogram; `source` tells them apart.
  "apps-golden-signals.json": {
    uid: "strata-apps",
    title: "strata / Apps: golden signals",
    byLabel: { name: "service", metric: HTTP_SERIES.requests("5m") },
    panels: [
      { title: "Requests per second", expr: `${HTTP_SERIES.requests("5m")}{${ns},service=~"$service"}`, unit: "reqps", legend: APP_LEGEND },
      { title: "Error ratio (5xx)", expr: `strata:http_error_ratio:rate5m{${ns},service=~"$service"}`, unit: "percentunit", legend: APP_LEGEND },
      { title: "Latency P95", expr: `strata:http_request_duration_seconds:p95{${ns},service=~"$service"}`, unit: "s", legend: APP_LEGEND },
      { title: "Latency P99", expr: `strata:http_request_duration_seconds:p99{${ns},service=~"$service"}`, unit: "s", legend: APP_LEGEND },
      { title: "CPU (cores) by namespace", expr: `strata:namespace_cpu_usage_cores:rate5m{${ns}}`, unit: "short", legend: "{{namespace}}" },
      { title: "Memory by namespace", expr: `strata:namespace_memory_working_set:bytes{${ns}}`, unit: "bytes", legend: "{{namespace}}" },
      ...MESH_PANELS,
    ],
  },
  // The services' objectives (strata:apps.services.<name>.slo): how much of the budget each window
  // burns, against the thresholds of the burn-rate alerts (14.4 and 6 page, 3 and 1 ticket).
  "slo.json": {
    uid: "strata-slo",
    title: "strata / Apps: service-level objectives",
    byLabel: { name: "service", metric: SLO_SERIES.objective },
    panels: [
      { title: "Good requests, last 1h (SLI)", expr: `1 - ${SLO_SERIES.errorRatio("1h")}${SLO_SELECTOR}`, unit: "percentunit", legend: SLO_LEGEND },
      { title: "Objective", expr: `${SLO_SERIES.objective}${SLO_SELECTOR}`, unit: "percentunit", legend: SLO_LEGEND },
      { title: "Burn rate, 1h (page above 14.4)", expr: burnRate("1h"), unit: "short", legend: SLO_LEGEND },
      { title: "Burn rate, 6h (page above 6)", expr: burnRate("6h"), unit: "short", legend: SLO_LEGEND },
      { title: "Burn rate, 1d (ticket above 3)", expr: burnRate("1d"), unit: "short", legend: SLO_LEGEND },
      // 3 of the budget's 30 days at the 3-day burn rate.
      { title: "Share of the 30-day budget spent in the last 3 days", expr: `(${burnRate("3d")}) * 3 / 30`, unit: "percentunit", legend: SLO_LEGEND },
    ],
  },
  // strata:cluster.vpa: what the recommender would request beside what the pods request (empty
  // without VPA). kube-state-metrics reads both (vpa-state-metrics.ts; kube_pod_container_resource_requests).
  "apps-vpa-recommendations.json": {
    uid: "strata-apps-vpa",
    title: "strata / Apps: VPA recommendations",
    byLabel: { name: "target_name", metric: VPA_TARGET_SERIES },
    panels: [
      { title: "CPU: recommended (VPA target)", expr: `max by (namespace, target_name, container) (${VPA_TARGET_SERIES}{${ns},target_name=~"$target_name",resource="cpu"})`, unit: "short", legend: "{{namespace}}/{{target_name}} {{container}}" },
      { title: "CPU: requested per pod", expr: `max by (namespace, container) (kube_pod_container_resource_requests{${ns},container=~"$target_name",resource="cpu"})`, unit: "short", legend: "{{namespace}} {{container}}" },
      { title: "Memory: recommended (VPA target)", expr: `max by (namespace, target_name, container) (${VPA_TARGET_SERIES}{${ns},target_name=~"$target_name",resource="memory"})`, unit: "bytes", legend: "{{namespace}}/{{target_name}} {{container}}" },
      { title: "Memory: requested per pod", expr: `max by (namespace, container) (kube_pod_container_resource_requests{${ns},container=~"$target_name",resource="memory"})`, unit: "bytes", legend: "{{namespace}} {{container}}" },
    ],
  },
  "postgresql.json": {
    uid: "strata-postgresql",
    title: "strata / PostgreSQL (CloudNativePG)",
    byLabel: { name: "pod", metric: "cnpg_collector_up" },
    panels: [
      { title: "Replication lag", expr: `cnpg_pg_replication_lag{${ns}}`, unit: "s", legend: "{{pod}}" },
      { title: "Connections", expr: `sum by (pod) (cnpg_backends_total{${ns}})`, unit: "short", legend: "{{pod}}" },
      { title: "Transactions per second", expr: `sum by (pod) (rate(cnpg_pg_stat_database_xact_commit{${ns}}[5m]))`, unit: "ops", legend: "{{pod}}" },
      { title: "Database size", expr: `sum by (pod, datname) (cnpg_pg_database_size_bytes{${ns}})`, unit: "bytes", legend: "{{pod}} {{datname}}" },
    ],
  },
  "mysql.json": {
    uid: "strata-mysql",
    title: "strata / MySQL",
    byLabel: { name: "pod", metric: "mysql_up" },
    panels: [
      { title: "Queries per second", expr: `rate(mysql_global_status_queries{${ns}}[5m])`, unit: "ops", legend: "{{pod}}" },
      { title: "Connections", expr: `mysql_global_status_threads_connected{${ns}}`, unit: "short", legend: "{{pod}}" },
      { title: "Replication lag", expr: mysqlGroupReplicationLag(ns), unit: "s", legend: "{{pod}}" },
      { title: "Slow queries", expr: `rate(mysql_global_status_slow_queries{${ns}}[5m])`, unit: "ops", legend: "{{pod}}" },
    ],
  },
  "mongodb.json": {
    uid: "strata-mongodb",
    title: "strata / MongoDB",
    byLabel: { name: "pod", metric: "mongodb_up" },
    panels: [
      { title: "Operations per second", expr: `sum by (pod, type) (rate(mongodb_op_counters_total{${ns}}[5m]))`, unit: "ops", legend: "{{pod}} {{type}}" },
      { title: "Connections", expr: `mongodb_connections{${ns},state="current"}`, unit: "short", legend: "{{pod}}" },
      { title: "Replication lag", expr: mongodbReplicationLag(ns), unit: "s", legend: "{{member_idx}}" },
      { title: "Resident memory", expr: `mongodb_memory{${ns},type="resident"} * 1024 * 1024`, unit: "bytes", legend: "{{pod}}" },
    ],
  },
  "redis.json": {
    uid: "strata-redis",
    title: "strata / Redis",
    byLabel: { name: "pod", metric: "redis_up" },
    panels: [
      { title: "Commands per second", expr: `rate(redis_commands_processed_total{${ns}}[5m])`, unit: "ops", legend: "{{pod}}" },
      { title: "Clients", expr: `redis_connected_clients{${ns}}`, unit: "short", legend: "{{pod}}" },
      { title: "Memory used", expr: `redis_memory_used_bytes{${ns}}`, unit: "bytes", legend: "{{pod}}" },
      { title: "Keyspace hit ratio", expr: `rate(redis_keyspace_hits_total{${ns}}[5m]) / (rate(redis_keyspace_hits_total{${ns}}[5m]) + rate(redis_keyspace_misses_total{${ns}}[5m]))`, unit: "percentunit", legend: "{{pod}}" },
    ],
  },
  "rabbitmq.json": {
    uid: "strata-rabbitmq",
    title: "strata / RabbitMQ",
    byLabel: { name: "pod", metric: "rabbitmq_identity_info" },
    panels: [
      { title: "Messages ready", expr: `sum by (pod) (rabbitmq_queue_messages_ready{${ns}})`, unit: "short", legend: "{{pod}}" },
      { title: "Messages unacknowledged", expr: `sum by (pod) (rabbitmq_queue_messages_unacked{${ns}})`, unit: "short", legend: "{{pod}}" },
      { title: "Published per second", expr: `sum by (pod) (rate(rabbitmq_global_messages_received_total{${ns}}[5m]))`, unit: "ops", legend: "{{pod}}" },
      { title: "Connections", expr: `sum by (pod) (rabbitmq_connections{${ns}})`, unit: "short", legend: "{{pod}}" },
    ],
  },
  "kafka.json": {
    uid: "strata-kafka",
    title: "strata / Kafka (Strimzi)",
    byLabel: { name: "consumergroup", metric: "kafka_consumergroup_lag" },
    panels: [
      { title: "Consumer lag", expr: `sum by (consumergroup, topic) (kafka_consumergroup_lag{${ns},consumergroup=~"$consumergroup"})`, unit: "short", legend: "{{consumergroup}} / {{topic}}" },
      { title: "Messages in per second", expr: `sum by (topic) (rate(kafka_topic_partition_current_offset{${ns}}[5m]))`, unit: "ops", legend: "{{topic}}" },
      { title: "Under-replicated partitions", expr: `sum by (topic) (kafka_topic_partition_under_replicated_partition{${ns}})`, unit: "short", legend: "{{topic}}" },
      { title: "Brokers", expr: `kafka_brokers{${ns}}`, unit: "short", legend: "brokers" },
    ],
  },
  "object-store.json": {
    uid: "strata-object-store",
    title: "strata / Object store (S3)",
    panels: [
      { title: "S3 requests per second", expr: `sum by (type) (rate(SeaweedFS_s3_request_total{${ns}}[5m]))`, unit: "reqps", legend: "{{type}}" },
      { title: "S3 request latency P95", expr: `histogram_quantile(0.95, sum by (le, type) (rate(SeaweedFS_s3_request_seconds_bucket{${ns}}[5m])))`, unit: "s", legend: "{{type}}" },
      { title: "Volume disk used", expr: `sum by (pod) (SeaweedFS_volumeServer_total_disk_size{${ns}})`, unit: "bytes", legend: "{{pod}}" },
      { title: "Bucket volume (PVC) free", expr: `kubelet_volume_stats_available_bytes{${ns}}`, unit: "bytes", legend: "{{persistentvolumeclaim}}" },
    ],
  },
};
