/**
 * Pure builders for PostgreSQL: the CloudNativePG operator and Barman Cloud plugin values, and
 * the specs of the Cluster, Pooler, ObjectStore and ScheduledBackup custom resources.
 */
import type { PostgresSettings } from "../../config/platform/postgres";
import { resourceRequirements, type Resources } from "../../config/platform/common";
import { BACKUP_PREFIXES } from "../../lib/bucket-layout";
import { IMAGES } from "../../lib/catalog";
import type { Placement } from "../../lib/contracts";

/** Name of the CloudNativePG cluster; its services are `<name>-rw`, `-ro` and `-r`. */
export const CLUSTER_NAME = "postgres";
/** The PgBouncer pooler in front of the primary; also its Service name. */
export const POOLER_NAME = `${CLUSTER_NAME}-pooler-rw`;
/** The Barman Cloud ObjectStore the cluster archives to. */
export const OBJECT_STORE_NAME = `${CLUSTER_NAME}-backups`;
/** Name the Barman Cloud plugin registers with the operator. */
export const BARMAN_PLUGIN = "barman-cloud.cloudnative-pg.io";
/** Priority class of data pods (from the cluster layer's guard rails). */
export const DATA_PRIORITY_CLASS = "data";

const OPERATOR_RESOURCES: Resources = { cpuMillis: 100, memoryMi: 256, limitCpuMillis: 500, limitMemoryMi: 512 };

/** Operator values: cluster-wide, its CRDs, on the system pool. */
export function operatorValues(placement: Placement): Record<string, unknown> {
  return {
    crds: { create: true },
    config: { clusterWide: true },
    priorityClassName: DATA_PRIORITY_CLASS,
    resources: resourceRequirements(OPERATOR_RESOURCES),
    nodeSelector: { ...placement.nodeSelector },
    tolerations: [...placement.tolerations],
  };
}

/** Plugin values: beside the operator, its certificates from cert-manager. */
export function pluginValues(placement: Placement): Record<string, unknown> {
  return {
    crds: { create: true },
    priorityClassName: DATA_PRIORITY_CLASS,
    resources: resourceRequirements(OPERATOR_RESOURCES),
    nodeSelector: { ...placement.nodeSelector },
    tolerations: [...placement.tolerations],
  };
}

/** PostgreSQL server connections the poolers may open, plus room for replication and maintenance. */
export function maxConnections(settings: PostgresSettings): number {
  return Math.max(200, settings.pooler.defaultPoolSize * settings.pooler.instances + 50);
}

/** Client connections each PgBouncer accepts: the total shared by all but one pod, so losing one still serves every client. */
export function clientConnectionsPerPooler(settings: PostgresSettings): number {
  const serving = Math.max(1, settings.pooler.instances - 1);
  return Math.ceil(settings.pooler.maxClientConnections / serving);
}

export interface ClusterSpecArgs {
  readonly settings: PostgresSettings;
  readonly storageClass: string;
  readonly placement: Placement;
  /** basic-auth Secret with the owner's credentials. */
  readonly appSecretName: string;
  /** Archive WAL and take base backups through the Barman Cloud plugin. */
  readonly backups: boolean;
  /** IAM role the instances assume through IRSA to reach S3 (EKS). */
  readonly roleArn?: string;
}

/** `Cluster.spec`: pinned image, required anti-affinity, no superuser access, WAL archived by the plugin. */
export function clusterSpec(args: ClusterSpecArgs): Record<string, unknown> {
  const { settings } = args;
  const memoryMi = settings.resources.limitMemoryMi;
  return {
    instances: settings.instances,
    imageName: `${IMAGES.postgresql.repository}:${IMAGES.postgresql.tag}`,
    enableSuperuserAccess: false,
    enablePDB: true,
    primaryUpdateStrategy: "unsupervised",
    priorityClassName: DATA_PRIORITY_CLASS,
    postgresql: {
      parameters: {
        max_connections: String(maxConnections(settings)),
        shared_buffers: `${Math.floor(memoryMi / 4)}MB`,
        effective_cache_size: `${Math.floor((memoryMi * 3) / 4)}MB`,
      },
    },
    bootstrap: { initdb: { database: settings.database, owner: settings.owner, secret: { name: args.appSecretName } } },
    storage: { size: `${settings.storage.sizeGi}Gi`, storageClass: args.storageClass },
    resources: resourceRequirements(settings.resources),
    affinity: {
      enablePodAntiAffinity: true,
      podAntiAffinityType: "required",
      topologyKey: "kubernetes.io/hostname",
      nodeSelector: { ...args.placement.nodeSelector },
      tolerations: [...args.placement.tolerations],
    },
    ...(args.backups ? { plugins: [{ name: BARMAN_PLUGIN, isWALArchiver: true, parameters: { barmanObjectName: OBJECT_STORE_NAME } }] } : {}),
    ...(args.roleArn === undefined ? {} : { serviceAccountTemplate: { metadata: { annotations: { "eks.amazonaws.com/role-arn": args.roleArn } } } }),
  };
}

/** `Pooler.spec`: PgBouncer in transaction mode in front of the primary, spread over nodes. */
export function poolerSpec(settings: PostgresSettings): Record<string, unknown> {
  return {
    cluster: { name: CLUSTER_NAME },
    instances: settings.pooler.instances,
    type: "rw",
    pgbouncer: {
      poolMode: "transaction",
      parameters: {
        max_client_conn: String(clientConnectionsPerPooler(settings)),
        default_pool_size: String(settings.pooler.defaultPoolSize),
      },
    },
    template: {
      metadata: { labels: { "cnpg.io/poolerName": POOLER_NAME } },
      spec: {
        containers: [],
        priorityClassName: DATA_PRIORITY_CLASS,
        topologySpreadConstraints: [
          { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: { "cnpg.io/poolerName": POOLER_NAME } } },
        ],
      },
    },
  };
}

export interface ObjectStoreSpecArgs {
  /** S3 bucket for backups. */
  readonly bucket: string;
  /** S3 API URL; omitted on AWS, where the SDK finds the regional endpoint. */
  readonly endpointURL?: string;
  readonly region: string;
  /** Secret with `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY`; absent where IRSA is used. */
  readonly credentialsSecret?: string;
  /** Backup retention, e.g. `30d`. */
  readonly retention: string;
  /** Key of the endpoint's CA certificates in `credentialsSecret`, when not publicly trusted. @default - publicly trusted */
  readonly caBundleKey?: string;
}

/** Barman Cloud `ObjectStore.spec`: base backups and WAL under `postgres/` (BACKUP_PREFIXES) in the backups bucket. */
export function objectStoreSpec(args: ObjectStoreSpecArgs): Record<string, unknown> {
  const secretKey = (key: string) => ({ name: args.credentialsSecret ?? "", key });
  return {
    configuration: {
      destinationPath: `s3://${args.bucket}/${BACKUP_PREFIXES.postgres}`,
      ...(args.endpointURL === undefined ? {} : { endpointURL: args.endpointURL }),
      ...(args.caBundleKey === undefined || args.credentialsSecret === undefined ? {} : { endpointCA: secretKey(args.caBundleKey) }),
      s3Credentials:
        args.credentialsSecret === undefined
          ? { inheritFromIAMRole: true }
          : { accessKeyId: secretKey("AWS_ACCESS_KEY_ID"), secretAccessKey: secretKey("AWS_SECRET_ACCESS_KEY") },
      wal: { compression: "gzip", maxParallel: 4 },
      data: { compression: "gzip", jobs: 2 },
    },
    retentionPolicy: args.retention,
    instanceSidecarConfiguration: { env: [{ name: "AWS_DEFAULT_REGION", value: args.region }] },
  };
}

/** Cron with seconds, as ScheduledBackup wants it, from a five-field expression. */
export function withSeconds(cron: string): string {
  return `0 ${cron.trim()}`;
}

/** `ScheduledBackup.spec`: base backups through the plugin on the configured schedule. */
export function scheduledBackupSpec(schedule: string): Record<string, unknown> {
  return {
    cluster: { name: CLUSTER_NAME },
    schedule: withSeconds(schedule),
    method: "plugin",
    pluginConfiguration: { name: BARMAN_PLUGIN },
    backupOwnerReference: "self",
    immediate: true,
  };
}

/** `PodMonitor.spec` scraping the instances' metrics port. */
export function podMonitorSpec(selector: Record<string, string>, port: string): Record<string, unknown> {
  return { selector: { matchLabels: selector }, podMetricsEndpoints: [{ port }] };
}
