/**
 * Pure: strata's alerting and recording rules, one PrometheusRule group list per concern, with
 * the thresholds from config. Applications are read through the HTTP metrics contract
 * (`lib/http-metrics.ts`): the platform records the edge's series from the Envoy proxies here,
 * each app's PrometheusRule records its own, and the golden-signal rules read both alike. The
 * other metric names are the standard ones of each exporter (node-exporter, kubelet,
 * CloudNativePG, mysqld, Percona mongodb_exporter, redis_exporter, RabbitMQ's built-in plugin,
 * Strimzi's Kafka exporter and cluster operator, cert-manager, Velero). A rule whose metric is absent never fires, so
 * a service that is not installed raises nothing; no rule uses `absent()`.
 */
import type { AlertThresholds } from "../../config/platform/observability";
import { HTTP_SERIES } from "../../lib/http-metrics";
import { CLUSTER_CA_RENEWAL_DAYS } from "../kafka/ca-values";
import { bucketBackupAlerts } from "../object-store/bucket-backup-alerts";
import { etcdUploadAlerts } from "../etcd-backup/alerts";
import { controlPlaneMaintenanceAlerts } from "./control-plane-alerts";
import { MYSQL_BACKUP_COMPLETED_SERIES } from "./backup-state-metrics";
import { mongodbReplicationLag, mysqlGroupReplicationLag } from "./replication-lag";
import { alertRule as alert, type AlertRule, type RecordingRule, type RuleGroup } from "../../lib/prometheus-rules";

export type { AlertRule, RecordingRule, RuleGroup };

/** A series of the Barman Cloud plugin: its name `barman-cloud.cloudnative-pg.io` with `.`/`-` as `_`. */
const BARMAN_METRIC = (name: string): string => `barman_cloud_cloudnative_pg_io_${name}`;

/**
 * The edge's series of every routed service, from the Envoy proxies' cluster stats. Envoy
 * Gateway names a route rule's cluster `httproute/<namespace>/<route>/rule/<n>` (its default
 * `clusterStatName`), which Envoy's Prometheus output carries as `envoy_cluster_name`;
 * `envoy_cluster_upstream_rq_xx` counts responses by `envoy_response_code_class`, the 503/504s
 * Envoy answers itself too (its router charges "no healthy upstream", timeouts and resets to the
 * cluster: `chargeUpstreamCode`), and `envoy_cluster_upstream_rq_time` is in milliseconds.
 * These are the series Envoy Gateway's own dashboards read (gateway-addons-helm, v1.9.0).
 */
export function edgeRecordingRules(): RuleGroup {
  const routes = 'envoy_cluster_name=~"httproute/.+/rule/.+"';
  const byRoute = (expr: string) =>
    `label_replace(label_replace(${expr}, "namespace", "$1", "envoy_cluster_name", "httproute/([^/]+)/.+"), "service", "$1", "envoy_cluster_name", "httproute/[^/]+/([^/]+)/rule/.+")`;
  const requests = `sum by (namespace, service) (${byRoute(`rate(envoy_cluster_upstream_rq_xx{${routes}}[5m])`)})`;
  const labels = { source: "edge" };
  return {
    name: "strata.http.edge",
    rules: [
      { record: HTTP_SERIES.requests("5m"), expr: requests, labels },
      { record: HTTP_SERIES.errors("5m"), expr: `sum by (namespace, service) (${byRoute(`rate(envoy_cluster_upstream_rq_xx{${routes},envoy_response_code_class="5"}[5m])`)}) or 0 * ${requests}`, labels },
      { record: HTTP_SERIES.edgeDurationBucketsMs, expr: `sum by (namespace, service, le) (${byRoute(`rate(envoy_cluster_upstream_rq_time_bucket{${routes}}[5m])`)})`, labels },
    ],
  };
}

/** Recording rules for capacity planning: per-service RPS, errors, latency quantiles (every source), saturation. */
export function capacityRecordingRules(): RuleGroup {
  const by = "sum by (namespace, service, source, le)";
  const quantile = (q: number) =>
    `histogram_quantile(${q}, ${by} (${HTTP_SERIES.durationBuckets("5m")})) or histogram_quantile(${q}, ${by} (${HTTP_SERIES.edgeDurationBucketsMs})) / 1000`;
  const requests = HTTP_SERIES.requests("5m");
  return {
    name: "strata.capacity.rules",
    rules: [
      { record: "strata:http_error_ratio:rate5m", expr: `${HTTP_SERIES.errors("5m")} / ${requests}` },
      { record: "strata:http_request_duration_seconds:p50", expr: quantile(0.5) },
      { record: "strata:http_request_duration_seconds:p95", expr: quantile(0.95) },
      { record: "strata:http_request_duration_seconds:p99", expr: quantile(0.99) },
      // What clients send: the edge where the Gateway routes, else what the apps count.
      { record: "strata:cluster_http_requests:rate5m", expr: `sum(${requests}{source="edge"}) or sum(${requests}{source="app"})` },
      { record: "strata:namespace_cpu_usage_cores:rate5m", expr: 'sum by (namespace) (rate(container_cpu_usage_seconds_total{container!=""}[5m]))' },
      { record: "strata:namespace_memory_working_set:bytes", expr: 'sum by (namespace) (container_memory_working_set_bytes{container!=""})' },
      { record: "strata:node_cpu_utilisation:ratio", expr: '1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[5m]))' },
      { record: "strata:node_memory_utilisation:ratio", expr: "1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes" },
    ],
  };
}

/**
 * Cluster-wide golden-signal alerts on the apps, each only where its threshold is set (Tartware's
 * seed: > 25k RPS, P95 > 500 ms, P99 > 1 s, errors > 5 %), and scrape targets that stopped answering.
 */
export function applicationAlerts(t: AlertThresholds): RuleGroup {
  const rules: AlertRule[] = [];
  if (t.requestsPerSecond !== undefined) {
    rules.push(
      alert(
        "StrataRequestRateAboveCapacity",
        `strata:cluster_http_requests:rate5m > ${t.requestsPerSecond}`,
        "5m",
        "warning",
        "Request rate above the capacity target",
        `The cluster serves {{ $value | humanize }} requests/s, above the ${t.requestsPerSecond} requests/s it is sized for.`,
      ),
    );
  }
  if (t.latencyP95Ms !== undefined) {
    rules.push(
      alert(
        "StrataLatencyP95High",
        `strata:http_request_duration_seconds:p95 > ${t.latencyP95Ms / 1000}`,
        "10m",
        "warning",
        "P95 latency above target",
        `P95 latency of {{ $labels.namespace }}/{{ $labels.service }} (measured at the {{ $labels.source }}) is {{ $value | humanizeDuration }}, above ${t.latencyP95Ms} ms.`,
      ),
    );
  }
  if (t.latencyP99Ms !== undefined) {
    rules.push(
      alert(
        "StrataLatencyP99High",
        `strata:http_request_duration_seconds:p99 > ${t.latencyP99Ms / 1000}`,
        "10m",
        "critical",
        "P99 latency above target",
        `P99 latency of {{ $labels.namespace }}/{{ $labels.service }} (measured at the {{ $labels.source }}) is {{ $value | humanizeDuration }}, above ${t.latencyP99Ms} ms.`,
      ),
    );
  }
  if (t.errorRatePercent !== undefined) {
    rules.push(
      alert(
        "StrataErrorRateHigh",
        `strata:http_error_ratio:rate5m > ${t.errorRatePercent / 100} and ${HTTP_SERIES.requests("5m")} > 1`,
        "5m",
        "critical",
        "Error rate above target",
        `{{ $labels.namespace }}/{{ $labels.service }} answers {{ $value | humanizePercentage }} of requests with 5xx (measured at the {{ $labels.source }}), above ${t.errorRatePercent} %.`,
      ),
    );
  }
  rules.push(
    alert(
      "StrataTargetDown",
      "up == 0",
      "5m",
      "critical",
      "Scrape target down",
      "{{ $labels.job }} at {{ $labels.instance }} in {{ $labels.namespace }} has not answered scrapes for 5 minutes.",
    ),
  );
  return { name: "strata.applications", rules };
}

/** CPU, memory and disk exhaustion on nodes, volumes and containers. */
export function resourceAlerts(t: AlertThresholds): RuleGroup {
  const fs = 'fstype!~"tmpfs|overlay|squashfs|nsfs"';
  return {
    name: "strata.resources",
    rules: [
      alert("StrataNodeCpuHigh", `strata:node_cpu_utilisation:ratio * 100 > ${t.cpuPercent}`, "15m", "warning", "Node CPU nearly exhausted", `{{ $labels.instance }} uses {{ $value | humanize }} % CPU, above ${t.cpuPercent} %.`),
      alert("StrataNodeMemoryHigh", `strata:node_memory_utilisation:ratio * 100 > ${t.memoryPercent}`, "15m", "warning", "Node memory nearly exhausted", `{{ $labels.instance }} uses {{ $value | humanize }} % of its memory, above ${t.memoryPercent} %.`),
      alert(
        "StrataNodeDiskLow",
        `node_filesystem_avail_bytes{${fs}} / node_filesystem_size_bytes{${fs}} * 100 < ${t.diskFreePercent} and node_filesystem_readonly{${fs}} == 0`,
        "15m",
        "critical",
        "Node filesystem nearly full",
        `{{ $labels.mountpoint }} on {{ $labels.instance }} has {{ $value | humanize }} % free, below ${t.diskFreePercent} %.`,
      ),
      alert(
        "StrataVolumeLow",
        `kubelet_volume_stats_available_bytes / kubelet_volume_stats_capacity_bytes * 100 < ${t.diskFreePercent}`,
        "15m",
        "critical",
        "Persistent volume nearly full",
        `{{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} has {{ $value | humanize }} % free, below ${t.diskFreePercent} %.`,
      ),
      alert(
        "StrataContainerMemoryNearLimit",
        `sum by (namespace, pod, container) (container_memory_working_set_bytes{container!=""}) / sum by (namespace, pod, container) (kube_pod_container_resource_limits{resource="memory"}) * 100 > ${t.memoryPercent}`,
        "15m",
        "warning",
        "Container close to its memory limit",
        `{{ $labels.namespace }}/{{ $labels.pod }} ({{ $labels.container }}) uses {{ $value | humanize }} % of its memory limit.`,
      ),
    ],
  };
}

/** Replication lag of every database engine and queue depth of the brokers. */
export function dataServiceAlerts(t: AlertThresholds): RuleGroup {
  const lag = (engine: string, expr: string, who = "{{ $labels.namespace }}/{{ $labels.pod }}") =>
    alert(
      `Strata${engine}ReplicationLag`,
      `${expr} > ${t.replicationLagSeconds}`,
      "5m",
      "warning",
      `${engine} replica lagging`,
      `${who} is {{ $value | humanizeDuration }} behind its primary (threshold ${t.replicationLagSeconds} s).`,
    );
  return {
    name: "strata.data-services",
    rules: [
      lag("PostgreSQL", "max by (namespace, pod) (cnpg_pg_replication_lag)"),
      lag("MySQL", mysqlGroupReplicationLag()),
      alert(
        "StrataMySQLGroupMemberNotOnline",
        'max by (namespace, member_host, member_state) (mysql_perf_schema_replication_group_member_info{member_state!="ONLINE"})',
        "5m",
        "critical",
        "MySQL group member not online",
        "Group replication member {{ $labels.member_host }} in {{ $labels.namespace }} is {{ $labels.member_state }}.",
      ),
      lag("MongoDB", mongodbReplicationLag(), "{{ $labels.namespace }}/{{ $labels.member_idx }}"),
      lag("Redis", "max by (namespace, pod) (redis_master_last_io_seconds_ago)"),
      alert(
        "StrataRabbitMQQueueDepth",
        `sum by (namespace, pod) (rabbitmq_queue_messages_ready) > ${t.queueDepthMessages}`,
        "10m",
        "warning",
        "RabbitMQ messages piling up",
        `{{ $labels.namespace }}/{{ $labels.pod }} holds {{ $value | humanize }} ready messages, above ${t.queueDepthMessages}.`,
      ),
      // Strimzi's Kafka Exporter (`spec.kafkaExporter`, platform/kafka/values.ts), per partition.
      alert(
        "StrataKafkaConsumerLag",
        `sum by (namespace, consumergroup, topic) (kafka_consumergroup_lag) > ${t.kafkaConsumerLagMessages}`,
        "10m",
        "warning",
        "Kafka consumer group falling behind",
        `{{ $labels.consumergroup }} is {{ $value | humanize }} messages behind on {{ $labels.topic }} (threshold ${t.kafkaConsumerLagMessages}).`,
      ),
    ],
  };
}

/** Certificates about to expire or failing to renew, and backups that failed or are too old. */
export function operationsAlerts(t: AlertThresholds): RuleGroup {
  const maxAge = t.backupMaxAgeHours * 3600;
  return {
    name: "strata.operations",
    rules: [
      alert(
        "StrataCertificateExpiring",
        `certmanager_certificate_expiration_timestamp_seconds - time() < ${t.certificateExpiryDays * 86400}`,
        "1h",
        "warning",
        "Certificate expires soon",
        `Certificate {{ $labels.namespace }}/{{ $labels.name }} expires in {{ $value | humanizeDuration }} (threshold ${t.certificateExpiryDays} days).`,
      ),
      // strata generates Kafka's cluster CA and renews it only when told (platform/kafka/cluster-ca.ts);
      // Strimzi's cluster operator reports its expiry (KafkaAssemblyOperator emitCertificateSecretMetrics).
      alert(
        "StrataKafkaClusterCaExpiring",
        `strimzi_certificate_expiration_timestamp_ms{type="cluster-ca"} / 1000 - time() < ${CLUSTER_CA_RENEWAL_DAYS * 86400}`,
        "1h",
        "warning",
        "Kafka cluster CA expires soon",
        `The cluster CA of Kafka {{ $labels.resource_namespace }}/{{ $labels.cluster }} expires in {{ $value | humanizeDuration }} (renewal window ${CLUSTER_CA_RENEWAL_DAYS} days); raise strata:platform.kafka.clusterCa.generation and run pulumi up on the platform stack, then on the stacks of its clients.`,
      ),
      alert(
        "StrataCertificateNotReady",
        'max by (namespace, name) (certmanager_certificate_ready_status{condition="False"}) == 1',
        "30m",
        "critical",
        "Certificate not ready",
        "cert-manager cannot issue or renew {{ $labels.namespace }}/{{ $labels.name }}.",
      ),
      alert(
        "StrataVeleroBackupFailed",
        "increase(velero_backup_failure_total[1h]) > 0",
        "0m",
        "critical",
        "Velero backup failed",
        "A Velero backup of schedule {{ $labels.schedule }} failed in the last hour.",
      ),
      alert(
        "StrataVeleroBackupTooOld",
        `time() - velero_backup_last_successful_timestamp{schedule!=""} > ${maxAge}`,
        "30m",
        "critical",
        "No recent Velero backup",
        `Schedule {{ $labels.schedule }} has no successful backup for more than ${t.backupMaxAgeHours} hours.`,
      ),
      // Backups go through the Barman Cloud plugin, which reports them under its own names in place
      // of CNPG's in-core cnpg_collector_*_backup_timestamp (plugin-barman-cloud v0.13.0,
      // web/docs/migration.md "Verify your metrics", internal/cnpgi/instance/metrics.go). 0 means "none yet".
      alert(
        "StrataPostgreSQLBackupTooOld",
        `time() - ${BARMAN_METRIC("last_available_backup_timestamp")} > ${maxAge} and ${BARMAN_METRIC("last_available_backup_timestamp")} > 0`,
        "30m",
        "critical",
        "No recent PostgreSQL backup",
        `{{ $labels.namespace }}/{{ $labels.pod }} reports no backup newer than ${t.backupMaxAgeHours} hours.`,
      ),
      alert(
        "StrataPostgreSQLBackupFailed",
        `${BARMAN_METRIC("last_failed_backup_timestamp")} > ${BARMAN_METRIC("last_available_backup_timestamp")}`,
        "5m",
        "critical",
        "PostgreSQL backup failed",
        "The last backup attempt of {{ $labels.namespace }}/{{ $labels.pod }} failed after the last good one.",
      ),
      // The MySQL operator exports nothing: kube-state-metrics reads its backup objects (backup-state-metrics.ts).
      alert(
        "StrataMySQLBackupTooOld",
        `time() - max by (namespace, cluster) (${MYSQL_BACKUP_COMPLETED_SERIES}{state="Succeeded"}) > ${maxAge}`,
        "30m",
        "critical",
        "No recent MySQL backup",
        `MySQL {{ $labels.namespace }}/{{ $labels.cluster }} has no succeeded backup newer than ${t.backupMaxAgeHours} hours.`,
      ),
      // PBM's backup list through mongodb_exporter's pbm collector (platform/mongodb/values.ts);
      // every member's exporter reports the same list, so one series per PodMonitor job.
      alert(
        "StrataMongoDBBackupTooOld",
        `time() - max by (namespace, job) (mongodb_pbm_backup_last_transition_ts{status="done"}) > ${maxAge}`,
        "30m",
        "critical",
        "No recent MongoDB backup",
        `PBM in {{ $labels.namespace }} ({{ $labels.job }}) has no completed backup newer than ${t.backupMaxAgeHours} hours.`,
      ),
      alert(
        "StrataMongoDBPointInTimeRecoveryOff",
        "max by (namespace, job) (mongodb_pbm_cluster_pitr_backup_enabled) == 0 and max by (namespace, job) (mongodb_pbm_cluster_backup_configured) == 1",
        "1h",
        "warning",
        "MongoDB oplog slicing stopped",
        "PBM in {{ $labels.namespace }} ({{ $labels.job }}) is configured but does not save the oplog: no point-in-time recovery after the last backup.",
      ),
      // Several Tempo pods share their rings (traces-values.ts, `tempoCluster`); the series and the
      // 15 minutes are the tempo-mixin's (operations/tempo-mixin/alerts.libsonnet, Tempo v2.10.8).
      // Every pod reports every ring, hence the max.
      alert(
        "StrataTempoRingMemberUnhealthy",
        'max by (namespace, name) (tempo_ring_members{state="Unhealthy"}) > 0',
        "15m",
        "warning",
        "Tempo ring member unhealthy",
        "{{ $value }} member(s) of Tempo's {{ $labels.name }} ring in {{ $labels.namespace }} stopped heartbeating: fewer copies of new traces, and a restarting Tempo pod waits for the ring before it is ready.",
      ),
    ],
  };
}

/** Every rule group strata ships, by PrometheusRule name. */
export function strataRuleGroups(t: AlertThresholds): Readonly<Record<string, RuleGroup>> {
  return {
    "strata-http-edge": edgeRecordingRules(),
    "strata-capacity": capacityRecordingRules(),
    "strata-applications": applicationAlerts(t),
    "strata-resources": resourceAlerts(t),
    "strata-data-services": dataServiceAlerts(t),
    "strata-operations": operationsAlerts(t),
    "strata-bucket-backup": bucketBackupAlerts(),
    "strata-control-plane": controlPlaneMaintenanceAlerts(),
    "strata-etcd-backup": etcdUploadAlerts(),
  };
}
