/**
 * Pure: backup age for writers whose operator exports no backup metric. The Percona Operator for
 * MySQL records each backup only as a `PerconaServerMySQLBackup` object (status `state`
 * `Succeeded` and `completed`, an RFC 3339 time: percona-server-mysql-operator v1.1.0,
 * api/v1/perconaservermysqlbackup_types.go), so kube-state-metrics turns those objects into
 * series with its custom-resource-state configuration (kube-state-metrics chart 8.4.0, a
 * kube-prometheus-stack dependency: values `customResourceState` and `rbac.extraRules`).
 * kube-state-metrics v2.20.0 reads an RFC 3339 string as Unix seconds
 * (pkg/customresourcestate/registry_factory.go `toFloat64`) and names a metric
 * `kube_customresource_<name>` (config.go `GetMetricNamePrefix`); it lists only CRDs the API server
 * serves, so without MySQL the configuration yields nothing.
 */

/** `metrics[].name` of the completion time of a MySQL backup. */
const MYSQL_BACKUP_COMPLETED = "perconaservermysqlbackup_completed_timestamp_seconds";
/** The series: one per `PerconaServerMySQLBackup`, labelled `namespace`, `name`, `cluster` (spec.clusterName) and `state`. */
export const MYSQL_BACKUP_COMPLETED_SERIES = `kube_customresource_${MYSQL_BACKUP_COMPLETED}`;

/** kube-state-metrics' `CustomResourceStateMetrics` document for the backup objects. */
export function backupStateMetricsConfig() {
  return {
    kind: "CustomResourceStateMetrics",
    spec: {
      resources: [
        {
          groupVersionKind: { group: "ps.percona.com", version: "v1", kind: "PerconaServerMySQLBackup" },
          labelsFromPath: { namespace: ["metadata", "namespace"], name: ["metadata", "name"], cluster: ["spec", "clusterName"] },
          metrics: [
            {
              name: MYSQL_BACKUP_COMPLETED,
              help: "When the Percona Operator for MySQL finished the backup (status.completed), by its state.",
              each: { type: "Gauge", gauge: { path: ["status", "completed"], labelsFromPath: { state: ["status", "state"] } } },
            },
          ],
        },
      ],
    },
  };
}

/** The `kube-state-metrics` subchart values that load the configuration and let it list and watch the objects. */
export function backupStateMetricsValues() {
  return {
    customResourceState: { enabled: true, config: backupStateMetricsConfig() },
    rbac: { extraRules: [{ apiGroups: ["ps.percona.com"], resources: ["perconaservermysqlbackups"], verbs: ["list", "watch"] }] },
  };
}
