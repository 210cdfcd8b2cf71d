/**
 * Pure: how each enabled stateful service of a resolved `strata:platform` slice is backed up, so
 * the plan can print the coverage and a prod stack with an uncovered service can be refused.
 *
 * - PostgreSQL, MySQL and MongoDB back up through their operators (consistent backups and, for
 *   PostgreSQL, WAL) when their `backup.enabled` resolved true. Velero never copies their volumes:
 *   a file copy of a live database is not a backup (platform/backups/pod-volumes.ts), so a
 *   database without its operator's backup is `none`.
 * - Redis, RabbitMQ and Kafka have no operator backup: Velero's node agent copies their volumes
 *   (file-system backup, opted in per pod) when Velero runs and copies volume data.
 * - The object store's app buckets (every bucket purpose but `backups` and the buckets Loki and
 *   Tempo keep telemetry in) are covered only by a copy to the backup target, which the caller
 *   says is wired.
 */
import type { BackupsSettings, WaivableService } from "./backups";
import type { KafkaSettings } from "./kafka";
import type { MongodbSettings } from "./mongodb";
import type { MysqlSettings } from "./mysql";
import type { ObjectStoreSettings } from "./object-store";
import type { ObservabilityConfig } from "./observability";
import type { PostgresSettings } from "./postgres";
import type { RabbitmqSettings } from "./rabbitmq";
import type { RedisSettings } from "./redis";

/**
 * The resolved slices coverage reads; a resolved `PlatformConfig` is one. Named from the slices
 * rather than picked from `PlatformConfig`, whose resolver (`./index.ts`) calls this module.
 */
export interface CoveredPlatform {
  readonly objectStore: ObjectStoreSettings;
  readonly postgres: PostgresSettings;
  readonly redis: RedisSettings;
  readonly backups: BackupsSettings;
  readonly observability?: ObservabilityConfig;
  readonly mysql: MysqlSettings;
  readonly mongodb: MongodbSettings;
  readonly rabbitmq: RabbitmqSettings;
  readonly kafka: KafkaSettings;
}

/** The stateful services, in the order the coverage lists them. */
export const STATEFUL_SERVICES = ["postgres", "mysql", "mongodb", "redis", "rabbitmq", "kafka", "objectStore"] as const;
export type StatefulService = (typeof STATEFUL_SERVICES)[number];

/** The operators' backup tools. */
export type OperatorBackupTool = "barman-cloud" | "xtrabackup" | "pbm";

/** How one service is backed up; `detail` is one sentence for the plan. */
export type ServiceCoverage =
  | { readonly service: StatefulService; readonly method: "operator"; readonly tool: OperatorBackupTool; readonly detail: string }
  | { readonly service: StatefulService; readonly method: "velero-fs"; readonly detail: string }
  | { readonly service: StatefulService; readonly method: "bucket-copy"; readonly buckets: readonly string[]; readonly detail: string }
  /** Not backed up; `waiver` is the config's reason where it gives one (prod refuses none without it). */
  | { readonly service: StatefulService; readonly method: "none"; readonly detail: string; readonly waiver?: string };

export type BackupMethod = ServiceCoverage["method"];

export interface BackupCoverageOptions {
  /** The app buckets are copied to the backup target (a replicator is deployed and declared). @default false */
  readonly appBucketsCopied?: boolean;
}

/** The settings that decide whether Velero copies volume data. */
export type VeleroSettings = Pick<CoveredPlatform, "backups" | "objectStore">;

/**
 * Velero runs (it needs a backup target) and its node agent copies volume data: the pods that
 * opt in (`backup.velero.io/backup-volumes`) get their volumes in the backups.
 */
export function veleroCopiesVolumeData(config: VeleroSettings): boolean {
  return config.backups.enabled && config.backups.target.kind !== "none" && config.backups.volumeData;
}

/** The object store's bucket purposes that hold app data, sorted. */
export function appBucketPurposes(config: Pick<CoveredPlatform, "objectStore" | "observability">): string[] {
  const telemetry = new Set<string>();
  if (config.observability !== undefined) {
    telemetry.add(config.observability.logs.bucket);
    telemetry.add(config.observability.traces.bucket);
  }
  return Object.keys(config.objectStore.buckets)
    .filter((purpose) => purpose !== "backups" && !telemetry.has(purpose))
    .sort();
}

const OPERATORS: Readonly<Record<"postgres" | "mysql" | "mongodb", { readonly tool: OperatorBackupTool; readonly detail: string }>> = {
  postgres: { tool: "barman-cloud", detail: "CloudNativePG with the Barman Cloud plugin: base backups and continuous WAL archive" },
  mysql: { tool: "xtrabackup", detail: "Percona Server for MySQL operator: scheduled xtrabackup full backups" },
  mongodb: { tool: "pbm", detail: "Percona Server for MongoDB operator: scheduled PBM logical backups" },
};

/** What Velero's copy of each service is (platform/<service>/volume-backup.ts). */
const VELERO_COPIES: Readonly<Record<"redis" | "rabbitmq" | "kafka", string>> = {
  redis: "Velero file-system backup of each server's data volume, after a fresh RDB snapshot (pre-backup hook)",
  rabbitmq: "Velero file-system backup of each node's persistence volume, file-level (restored as after an unclean shutdown)",
  kafka: "Velero file-system backup of each node's JBOD data volumes, file-level (restored as after an unclean shutdown)",
};

function veleroCoverage(service: "redis" | "rabbitmq" | "kafka", config: VeleroSettings): ServiceCoverage {
  if (veleroCopiesVolumeData(config)) return { service, method: "velero-fs", detail: VELERO_COPIES[service] };
  const why =
    !config.backups.enabled || config.backups.target.kind === "none" ? "Velero is off (strata:platform.backups.enabled)" : "Velero copies objects only (strata:platform.backups.volumeData: false)";
  return { service, method: "none", detail: `no operator backup, and ${why}`, ...waiverOf(service, config) };
}

function waiverOf(service: WaivableService, config: VeleroSettings): { readonly waiver?: string } {
  const waiver = config.backups.waivers[service];
  return waiver === undefined ? {} : { waiver };
}

/** Each enabled stateful service of `config` and how it is backed up, in STATEFUL_SERVICES order. */
export function backupCoverage(config: CoveredPlatform, options: BackupCoverageOptions = {}): ServiceCoverage[] {
  const coverage: ServiceCoverage[] = [];
  for (const service of ["postgres", "mysql", "mongodb"] as const) {
    const settings = config[service];
    if (!settings.enabled) continue;
    coverage.push(
      settings.backup.enabled
        ? { service, method: "operator", ...OPERATORS[service] }
        : {
            service,
            method: "none",
            detail: `the operator's backup is off (strata:platform.${service}.backup.enabled resolved false: turned off, or no backup target); Velero does not copy database volumes`,
            ...(settings.backup.waiver === undefined ? {} : { waiver: settings.backup.waiver }),
          },
    );
  }
  for (const service of ["redis", "rabbitmq", "kafka"] as const) {
    if (config[service].enabled) coverage.push(veleroCoverage(service, config));
  }
  // On EKS the apps' buckets are the infra layer's S3 buckets (versioned, outside the cluster), not SeaweedFS's.
  const seaweedfs = config.objectStore.enabled && config.backups.target.kind !== "infra-bucket";
  const buckets = seaweedfs ? appBucketPurposes(config).map((purpose) => config.objectStore.buckets[purpose] ?? purpose) : [];
  if (buckets.length > 0) {
    coverage.push(
      options.appBucketsCopied === true
        ? { service: "objectStore", method: "bucket-copy", buckets, detail: `app buckets copied to the backup target: ${buckets.join(", ")}` }
        : { service: "objectStore", method: "none", detail: `app buckets copied nowhere: ${buckets.join(", ")}`, ...waiverOf("objectStore", config) },
    );
  }
  return coverage;
}
