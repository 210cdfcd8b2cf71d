/**
 * Pure: the Percona Operator for MySQL's chart values and the `PerconaServerMySQL` spec for a
 * group-replication cluster behind HAProxy, with xtrabackup backups to the object store and a
 * mysqld-exporter sidecar.
 */
import { DATA_SERVICES } from "../../lib/catalog";
import type { Placement } from "../../lib/contracts";
import { type BackupPlan, type BackupTarget, type ContainerResources, HOSTNAME_KEY, placementFields, podMonitor, quantities } from "../data-service";

/**
 * HAProxy's read-write port (the primary) and read-only port (every member), both on the
 * `<cluster>-haproxy` Service and container (percona-server-mysql-operator v1.1.0,
 * pkg/haproxy/haproxy.go: ports `mysql` 3306 and `mysql-replicas` 3307).
 */
export const MYSQL_PORTS = { readWrite: 3306, readOnly: 3307 } as const;
/** Port the mysqld-exporter sidecar serves metrics on. */
export const MYSQL_METRICS_PORT = 9104;
/** Name of the storage entry in `spec.backup.storages`. */
export const MYSQL_BACKUP_STORAGE = "object-store";

/**
 * Labels the operator gives a component's pods (percona-server-mysql-operator v1.1.0,
 * pkg/naming/kubernetes.go `Labels` through `cr.Labels(name, component)`): mysqld is
 * `mysql`/`database` (pkg/mysql/mysql.go `MatchLabels`), HAProxy `haproxy`/`proxy`.
 */
export function perconaMysqlLabels(cluster: string, name: "mysql" | "haproxy", component: "database" | "proxy"): Record<string, string> {
  return {
    "app.kubernetes.io/name": name,
    "app.kubernetes.io/instance": cluster,
    "app.kubernetes.io/part-of": "percona-server",
    "app.kubernetes.io/component": component,
    "app.kubernetes.io/managed-by": "percona-server-mysql-operator",
  };
}

/** The mysqld pods' labels. */
export const mysqldLabels = (cluster: string) => perconaMysqlLabels(cluster, "mysql", "database");

/** The PodMonitor of the mysqld-exporter sidecars: it selects the mysqld pods by the labels the operator gives them. */
export function mysqldPodMonitor(cluster: string, namespace: string) {
  return podMonitor(`${cluster}-mysqld`, namespace, mysqldLabels(cluster), "metrics");
}

/** Everything the `PerconaServerMySQL` spec is built from. */
export interface MysqlSpecArgs {
  /** Group-replication members (odd, 3–9). */
  readonly members: number;
  readonly resources: ContainerResources;
  /** Data volume per member, GiB. */
  readonly storageGi: number;
  /** Storage class of the data volumes; the cluster default when absent. */
  readonly storageClass?: string;
  /** Where the MySQL and HAProxy pods run. */
  readonly placement: Placement;
  readonly haproxyReplicas: number;
  readonly haproxyResources: ContainerResources;
  /** Secret the operator keeps its system users in (`root`, `monitor`, …). */
  readonly systemUsersSecret: string;
  /** Nightly backups; absent when off. */
  readonly backup?: { readonly target: BackupTarget; readonly plan: BackupPlan };
  /** Run the mysqld-exporter sidecar. */
  readonly metrics: boolean;
  /** cert-manager issuer for the cluster's TLS certificate; the operator's own CA when absent. */
  readonly tlsIssuer?: string;
}

/** Operator values: watches only its own namespace (the release's), structured logs. */
export function mysqlOperatorValues(placement: Placement) {
  return {
    watchAllNamespaces: false,
    disableTelemetry: true,
    env: { logStructured: true, logLevel: "INFO" },
    resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "512Mi" } },
    ...placementFields(placement),
  };
}

/**
 * mysqld_exporter collectors off by default that group replication needs: a group member never
 * has a `SHOW REPLICA STATUS` row, so the default `slave_status` collector exports nothing there.
 * `replication_group_members` gives `mysql_perf_schema_replication_group_member_info` (labels
 * `member_host`, `member_state`, `member_role`: every column, lower-cased), `replication_applier_status_by_worker`
 * gives `mysql_perf_schema_applying_transaction_original_commit_timestamp_seconds` per
 * `channel_name` (the lag source), `replication_group_member_stats` the applier queue
 * (mysqld_exporter v0.18.0, mysqld_exporter.go `scrapers` (all three `false`) and
 * collector/perf_schema_replication_*.go). The operator grants `monitor` SELECT on
 * performance_schema (percona-server-mysql-operator v1.1.0, build/ps-entrypoint.sh).
 */
export const MYSQLD_EXPORTER_GROUP_REPLICATION_COLLECTORS = [
  "--collect.perf_schema.replication_group_members",
  "--collect.perf_schema.replication_group_member_stats",
  "--collect.perf_schema.replication_applier_status_by_worker",
] as const;

function exporterSidecar(systemUsersSecret: string) {
  return {
    name: "mysqld-exporter",
    image: DATA_SERVICES.mysql.exporter,
    args: ["--mysqld.username=monitor", `--mysqld.address=127.0.0.1:${MYSQL_PORTS.readWrite}`, ...MYSQLD_EXPORTER_GROUP_REPLICATION_COLLECTORS],
    env: [{ name: "MYSQLD_EXPORTER_PASSWORD", valueFrom: { secretKeyRef: { name: systemUsersSecret, key: "monitor" } } }],
    ports: [{ name: "metrics", containerPort: MYSQL_METRICS_PORT }],
    resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "128Mi" } },
  };
}

/**
 * xtrabackup compresses each file with zstd as it streams; the operator records it on the backup
 * (`status.compressed`, from `--compress` among `containerOptions.args.xtrabackup`) and its
 * restore runs `xtrabackup --decompress` (percona-server-mysql-operator v1.1.0,
 * api/v1/perconaservermysqlbackup_types.go `IsCompressed`, build/run-restore.sh).
 */
export const XTRABACKUP_COMPRESSION_ARGS = ["--compress=zstd"] as const;

/**
 * Nightly compressed full backups with xtrabackup. Binlog collection for point-in-time recovery
 * (`pitr.binlogServer`, from operator 1.1.0) stays off: Percona marks it tech preview and advises
 * against production use (docs.percona.com percona-operator-for-mysql "Point-in-time recovery
 * (PITR)"), so MySQL's recovery point is the last nightly backup. Incremental backups are left
 * out for the same reason.
 */
function backupSpec(backup: NonNullable<MysqlSpecArgs["backup"]>) {
  const { target, plan } = backup;
  if (target.credentialsSecret === undefined) {
    // percona-server-mysql-operator v1.1.0 requires `s3.credentialsSecret` (CRD), refuses a backup
    // whose Secret is missing (pkg/controller/psbackup/controller.go) and passes its keys to xbcloud
    // as --s3-access-key/--s3-secret-key (pkg/xtrabackup/xtrabackup.go): it has no cloud identity.
    throw new Error("MySQL backups need a credentials Secret: the Percona operator for MySQL 1.1.0 cannot use a cloud identity");
  }
  const s3 = { bucket: target.bucket, prefix: target.prefix, credentialsSecret: target.credentialsSecret, endpointUrl: target.endpoint, region: target.region };
  return {
    enabled: true,
    image: DATA_SERVICES.mysql.xtrabackup,
    storages: {
      [MYSQL_BACKUP_STORAGE]: { type: "s3", verifyTLS: target.endpoint.startsWith("https://"), s3, containerOptions: { args: { xtrabackup: [...XTRABACKUP_COMPRESSION_ARGS] } } },
    },
    schedule: [{ name: "nightly", schedule: plan.schedule, keep: plan.keep, storageName: MYSQL_BACKUP_STORAGE, type: "full" }],
    pitr: { enabled: false },
  };
}

/** The `PerconaServerMySQL` spec: group replication, HAProxy in front, one member per node. */
export function mysqlClusterSpec(args: MysqlSpecArgs) {
  const place = placementFields(args.placement);
  const pvc = {
    accessModes: ["ReadWriteOnce"],
    ...(args.storageClass === undefined ? {} : { storageClassName: args.storageClass }),
    resources: { requests: { storage: `${args.storageGi}Gi` } },
  };
  return {
    crVersion: DATA_SERVICES.mysql.crVersion,
    secretsName: args.systemUsersSecret,
    updateStrategy: "SmartUpdate",
    upgradeOptions: { apply: "disabled" },
    ...(args.tlsIssuer === undefined ? {} : { tls: { issuerConf: { name: args.tlsIssuer, kind: "ClusterIssuer", group: "cert-manager.io" } } }),
    mysql: {
      clusterType: "group-replication",
      autoRecovery: true,
      image: DATA_SERVICES.mysql.server,
      size: args.members,
      resources: quantities(args.resources),
      affinity: { antiAffinityTopologyKey: HOSTNAME_KEY },
      podDisruptionBudget: { maxUnavailable: 1 },
      volumeSpec: { persistentVolumeClaim: pvc },
      ...place,
      ...(args.metrics ? { sidecars: [exporterSidecar(args.systemUsersSecret)] } : {}),
    },
    proxy: {
      haproxy: {
        enabled: true,
        image: DATA_SERVICES.mysql.haproxy,
        size: args.haproxyReplicas,
        resources: quantities(args.haproxyResources),
        affinity: { antiAffinityTopologyKey: HOSTNAME_KEY },
        podDisruptionBudget: { maxUnavailable: 1 },
        ...place,
      },
      router: { enabled: false },
    },
    orchestrator: { enabled: false },
    pmm: { enabled: false },
    backup: args.backup === undefined ? { enabled: false, image: DATA_SERVICES.mysql.xtrabackup } : backupSpec(args.backup),
    toolkit: { image: DATA_SERVICES.mysql.toolkit },
  };
}

/**
 * Hosts the endpoint publishes: HAProxy serves the primary on 3306 and every member on 3307
 * (`MYSQL_PORTS.readOnly`, also in the app Secret as `readPort`), so both are one Service.
 */
export function mysqlServices(name: string, namespace: string) {
  const host = `${name}-haproxy.${namespace}.svc`;
  return { host, readHost: host };
}

/** Shell the app-user Job runs: waits for the primary, then creates the database and user idempotently. */
export function appUserScript(database: string, username: string): string {
  return [
    "set -eu",
    `until mysql -h "$MYSQL_HOST" -P ${MYSQL_PORTS.readWrite} -uroot -e 'SELECT 1' >/dev/null 2>&1; do echo waiting for MySQL; sleep 10; done`,
    `mysql -h "$MYSQL_HOST" -P ${MYSQL_PORTS.readWrite} -uroot <<SQL`,
    `CREATE DATABASE IF NOT EXISTS \\\`${database}\\\`;`,
    `CREATE USER IF NOT EXISTS '${username}'@'%' IDENTIFIED BY '$APP_PASSWORD';`,
    `ALTER USER '${username}'@'%' IDENTIFIED BY '$APP_PASSWORD';`,
    `GRANT ALL PRIVILEGES ON \\\`${database}\\\`.* TO '${username}'@'%';`,
    "SQL",
  ].join("\n");
}
