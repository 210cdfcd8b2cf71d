/**
 * Pure: how much the backup target must hold, per backup writer, and whether the in-cluster object
 * store can hold it. An estimate, with its assumptions stated here and in the table:
 *
 * - a database's data is its data volume, full (the most one member holds; every writer backs up
 *   one member's copy);
 * - one full backup a day (strata's schedules are daily), each compressed to
 *   `COMPRESSED_RATIO` of the data (xtrabackup and PBM zstd, Barman gzip);
 * - the logs behind point-in-time recovery (PostgreSQL WAL, MongoDB oplog) are `DAILY_CHANGE_RATIO`
 *   of the data a day, compressed alike, kept for the whole retention;
 * - Barman keeps one base backup older than its recovery window (the one the window starts from);
 * - Velero copies the Kubernetes objects (a fixed `VELERO_OBJECTS_GI`) and, with volume data, every
 *   Redis, RabbitMQ and Kafka volume (config/platform/backup-coverage.ts): kopia stores each volume once,
 *   compressed, then only what changes a day, over the retention.
 *
 * The target is `strata:platform.backups.target`: the in-cluster SeaweedFS holds volume servers ×
 * size / copies; an S3 target holds its `capacityGi` where set; the infra layer's bucket has no
 * bound strata knows. Logs and traces share the in-cluster store in their own buckets and are not
 * part of this estimate.
 */
import type { PlatformConfig } from "../../config/platform";
import { keepFor } from "../../config/platform/data-checks";
import { type ObjectStoreSettings, replicaCopies } from "../../config/platform/object-store";
import type { Backend } from "../../lib/contracts";

/** Compressed full backup / data size (text-heavy InnoDB and WiredTiger data compresses 2–4×; 2× is the cautious end). */
export const COMPRESSED_RATIO = 0.5;
/** Write-ahead log, oplog or binlog written a day, as a share of the data. */
export const DAILY_CHANGE_RATIO = 0.05;
/** Velero's kopia repository of the backed-up namespaces' objects. */
export const VELERO_OBJECTS_GI = 1;

/** One backup writer's share of the target. */
export interface BackupWriterEstimate {
  /** e.g. `mysql (xtrabackup)`. */
  readonly writer: string;
  /** Config key of the retention, for the fix in a message. */
  readonly retentionKey: string;
  /** Full backups kept. */
  readonly fulls: number;
  /** One compressed full backup, GiB. */
  readonly fullGi: number;
  /** Point-in-time logs over the retention, GiB. */
  readonly logGi: number;
  readonly totalGi: number;
}

/** Where the backups go and what it holds. */
export interface BackupTargetCapacity {
  /** e.g. `in-cluster object store (SeaweedFS)`. */
  readonly name: string;
  /** What the target holds after replica copies, GiB; undefined where not known (an external or AWS bucket). */
  readonly usableGi?: number;
  /** How `usableGi` is reached, e.g. `3 volume servers × 500 Gi / 2 copies`. */
  readonly basis?: string;
  /** Config key that sets the capacity, and its value, for the fix in a message. */
  readonly key?: { readonly path: string; readonly value: number; readonly fix: string };
}

export interface BackupStorageEstimate {
  readonly writers: readonly BackupWriterEstimate[];
  readonly totalGi: number;
  readonly target: BackupTargetCapacity;
}

const retentionDays = keepFor;

/** The settings the estimate reads: the object store and each backup writer's size and retention. */
export interface BackupWriterSettings {
  readonly objectStore: Pick<ObjectStoreSettings, "enabled" | "volumeServers" | "replication" | "storage">;
  readonly postgres: Pick<PlatformConfig["postgres"], "enabled" | "storage" | "backup">;
  readonly mysql: Pick<PlatformConfig["mysql"], "enabled" | "storage" | "backup">;
  readonly mongodb: Pick<PlatformConfig["mongodb"], "enabled" | "storage" | "backup">;
  readonly backups: Pick<PlatformConfig["backups"], "enabled" | "retention" | "target" | "volumeData">;
  readonly redis: Pick<PlatformConfig["redis"], "enabled" | "replicas" | "storage">;
  readonly rabbitmq: Pick<PlatformConfig["rabbitmq"], "enabled" | "replicas" | "storage">;
  readonly kafka: Pick<PlatformConfig["kafka"], "enabled" | "nodePools">;
}

function writer(name: string, retentionKey: string, dataGi: number, fulls: number, logDays: number): BackupWriterEstimate {
  const fullGi = dataGi * COMPRESSED_RATIO;
  const logGi = dataGi * DAILY_CHANGE_RATIO * COMPRESSED_RATIO * logDays;
  return { writer: name, retentionKey, fulls, fullGi, logGi, totalGi: fullGi * fulls + logGi };
}

/** The target the writers use (`strata:platform.backups.target`) and what it holds, where strata knows. */
export function backupTargetCapacity(platform: BackupWriterSettings, backend: Backend): BackupTargetCapacity {
  const target = platform.backups.target;
  const store = platform.objectStore;
  if (target.kind === "s3") {
    const name = `S3 bucket ${target.bucket} (${target.endpoint})`;
    if (target.capacityGi === undefined) return { name };
    return { name, usableGi: target.capacityGi, basis: "strata:platform.backups.target.capacityGi", key: { path: "strata:platform.backups.target.capacityGi", value: target.capacityGi, fix: "raise it if the bucket offers more" } };
  }
  if (target.kind === "infra-bucket" || (target.kind === "default" && backend === "eks")) return { name: "the infra layer's S3 bucket" };
  if (target.kind === "none" || !store.enabled || backend === "eks") return { name: "no backup target" };
  const copies = replicaCopies(store.replication);
  return {
    name: "in-cluster object store (SeaweedFS)",
    usableGi: (store.volumeServers * store.storage.sizeGi) / copies,
    basis: `${store.volumeServers} volume servers × ${store.storage.sizeGi} Gi / ${copies} ${copies === 1 ? "copy" : "copies"}`,
    key: { path: "strata:platform.objectStore.storage.sizeGi", value: store.storage.sizeGi, fix: "raise it or add volume servers" },
  };
}

/** The Redis, RabbitMQ and Kafka volumes Velero's node agent copies, GiB in all. */
function veleroVolumesGi(platform: BackupWriterSettings): number {
  const { redis, rabbitmq, kafka } = platform;
  return (
    (redis.enabled ? redis.replicas * redis.storage.sizeGi : 0) +
    (rabbitmq.enabled ? rabbitmq.replicas * rabbitmq.storage.sizeGi : 0) +
    (kafka.enabled ? Object.values(kafka.nodePools).reduce((sum, pool) => sum + pool.replicas * pool.storage.sizeGi, 0) : 0)
  );
}

/** Every enabled backup writer's estimate. */
export function backupStorageEstimate(platform: BackupWriterSettings, backend: Backend): BackupStorageEstimate {
  const writers: BackupWriterEstimate[] = [];
  const { postgres, mysql, mongodb, backups } = platform;
  if (postgres.enabled && postgres.backup.enabled) {
    const days = retentionDays(postgres.backup.retention);
    writers.push(writer("postgres (Barman: base backups + WAL)", "strata:platform.postgres.backup.retention", postgres.storage.sizeGi, days + 1, days));
  }
  if (mysql.enabled && mysql.backup.enabled) {
    writers.push(writer("mysql (xtrabackup fulls; no binlog PITR)", "strata:platform.mysql.backup.retention", mysql.storage.sizeGi, mysql.backup.keep, 0));
  }
  if (mongodb.enabled && mongodb.backup.enabled) {
    writers.push(writer("mongodb (PBM: logical backups + oplog)", "strata:platform.mongodb.backup.retention", mongodb.storage.sizeGi, mongodb.backup.keep, mongodb.backup.keep));
  }
  if (backups.enabled && backups.target.kind !== "none") {
    const days = retentionDays(backups.retention);
    // As config/platform/backup-coverage.ts `veleroCopiesVolumeData`: Velero runs with a target and copies volume data.
    const volumesGi = backups.volumeData ? veleroVolumesGi(platform) : 0;
    // kopia keeps one copy of every volume and each day's changes, not a full per backup.
    const volumes = writer("velero", "strata:platform.backups.retention", volumesGi, volumesGi > 0 ? 1 : 0, days);
    writers.push({
      writer: volumesGi > 0 ? "velero (objects + Redis/RabbitMQ/Kafka volumes, kopia)" : "velero (namespace objects)",
      retentionKey: "strata:platform.backups.retention",
      fulls: days,
      fullGi: VELERO_OBJECTS_GI + volumes.fullGi,
      logGi: volumes.logGi,
      totalGi: VELERO_OBJECTS_GI + volumes.totalGi,
    });
  }
  return { writers, totalGi: writers.reduce((sum, w) => sum + w.totalGi, 0), target: backupTargetCapacity(platform, backend) };
}

const gi = (n: number): string => `${Math.round(n).toLocaleString("en-US")} Gi`;

/** The section `npm run plan` prints under the capacity table. */
export function backupStorageTable(estimate: BackupStorageEstimate): string {
  if (estimate.writers.length === 0) return "Backup storage (estimate): no backup writer in this stack";
  const header = ["writer", "fulls kept", "one full", "logs", "total"];
  const rows = [header, ...estimate.writers.map((w) => [w.writer, String(w.fulls), gi(w.fullGi), gi(w.logGi), gi(w.totalGi)])];
  const widths = header.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  const lines = rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join("  "));
  const { target } = estimate;
  const verdict =
    target.usableGi === undefined
      ? `${gi(estimate.totalGi)} on ${target.name} (capacity not known to strata)`
      : `${gi(estimate.totalGi)} of ${gi(target.usableGi)} on ${target.name} (${target.basis ?? ""}): ${estimate.totalGi <= target.usableGi ? "fits" : "OVER"}`;
  const notes = [
    `assumed: data = the data volume, full; one compressed full a day at ${COMPRESSED_RATIO} of the data; WAL/oplog ${DAILY_CHANGE_RATIO * 100} % of the data a day, compressed alike, over the retention`,
    `Velero's backups share one kopia repository: objects ${gi(VELERO_OBJECTS_GI)}, each volume once plus its daily changes; logs and traces share the in-cluster store and are not counted here`,
  ];
  return ["Backup storage (estimate)", ...lines, `  total: ${verdict}`, ...notes.map((n) => `  note: ${n}`)].join("\n");
}

/** The problem when the target cannot hold the estimate; undefined when it can or its capacity is not known. */
export function backupStorageProblem(estimate: BackupStorageEstimate): string | undefined {
  const { target } = estimate;
  if (target.usableGi === undefined || target.key === undefined || estimate.totalGi <= target.usableGi) return undefined;
  const largest = [...estimate.writers].sort((a, b) => b.totalGi - a.totalGi)[0];
  const shorten = largest === undefined ? "" : `, or shorten ${largest.retentionKey}`;
  const need = estimate.writers.map((w) => `${w.writer.split(" ")[0] ?? ""} ${gi(w.totalGi)}`).join(", ");
  return `${target.key.path}: ${target.name} holds ${gi(target.usableGi)} (${target.basis ?? ""}), less than the ${gi(estimate.totalGi)} the backups need by estimate (${need}) (got ${target.key.value}); ${target.key.fix}${shorten}`;
}
