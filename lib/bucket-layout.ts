/**
 * How the backups bucket is shared: each writer keeps its objects under its own prefix, and on
 * EKS each writer's IAM role reaches only that prefix. The infra layer (roles) and the platform
 * layer (where the clients write) read the prefixes from here.
 */

/** Prefix of each backups-bucket writer, with its trailing slash. */
export const BACKUP_PREFIXES = {
  /** Barman Cloud: base backups and WAL of the PostgreSQL cluster. */
  postgres: "postgres/",
  /** PBM (Percona Backup for MongoDB): each cluster's backups under `mongodb/<cluster>/`. */
  mongodb: "mongodb/",
  /** Velero: backups, restores and the kopia repositories of volume data. */
  velero: "velero/",
  /** The in-cluster object store's app buckets, copied continuously (`weed filer.backup`). */
  buckets: "buckets/",
  /** The vSphere control planes' etcd snapshots, `etcd/<cluster>/<node>/<file>` (platform/etcd-backup/). */
  etcd: "etcd/",
} as const;

/**
 * Velero keeps volume data in its kopia repositories under its prefix (node agent, file-system
 * backup), never as EBS snapshots: the chart's `snapshotsEnabled` and Velero's IAM role (no EC2
 * snapshot actions) both follow this, so turning snapshots on is one change in one place.
 */
export const VELERO_VOLUME_SNAPSHOTS = false;
