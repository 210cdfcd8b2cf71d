/**
 * Velero chart values and the BackupStorageLocation / Schedule specs. The storage location and
 * schedules are declared as custom resources (not chart values) so they are checked against the
 * CRDs; the chart's own lists are emptied.
 */
import type * as pulumi from "@pulumi/pulumi";
import { resourceRequirements, retentionHours } from "../../config/platform/common";
import type { BackupsSettings } from "../../config/platform/backups";
import { BACKUP_PREFIXES, VELERO_VOLUME_SNAPSHOTS } from "../../lib/bucket-layout";
import { IMAGES } from "../../lib/catalog";
import type { Placement } from "../../lib/contracts";
import { CREDENTIALS_DIGEST_ANNOTATION } from "../../lib/digest-annotations";

/** The service account EKS Pod Identity binds the infra layer's Velero role to. */
export const VELERO_SERVICE_ACCOUNT = "velero";
/** The storage location every schedule writes to. */
export const LOCATION_NAME = "default";
/** Key of the AWS shared-credentials file in the credentials Secret. */
export const CREDENTIALS_FILE_KEY = "cloud";

export interface VeleroValuesArgs {
  readonly settings: BackupsSettings;
  readonly placement: Placement;
  /** Secret with the S3 keys (`cloud` key); absent where a cloud identity is used. */
  readonly credentialsSecret?: string;
  /**
   * Digest of that Secret's keys, on the server's and node agents' pods: the chart checksums
   * only a Secret it renders itself (velero 12.1.0 templates/deployment.yaml `checksum/secret`,
   * skipped with `credentials.existingSecret`), so a rotated key would not roll them. @default - none
   */
  readonly credentialsDigest?: pulumi.Input<string>;
  readonly monitoring: boolean;
}

export function veleroValues(args: VeleroValuesArgs): Record<string, unknown> {
  const plugin = IMAGES.veleroPluginForAws;
  return {
    initContainers: [
      { name: "velero-plugin-for-aws", image: `${plugin.repository}:${plugin.tag}`, imagePullPolicy: "IfNotPresent", volumeMounts: [{ mountPath: "/target", name: "plugins" }] },
    ],
    upgradeCRDs: true,
    configuration: {
      backupStorageLocation: [],
      volumeSnapshotLocation: [],
      uploaderType: "kopia",
      defaultBackupStorageLocation: LOCATION_NAME,
    },
    snapshotsEnabled: VELERO_VOLUME_SNAPSHOTS,
    deployNodeAgent: args.settings.volumeData,
    // The node agent reads volumes on every node, the tainted data pools included.
    nodeAgent: { tolerations: [{ operator: "Exists" }], priorityClassName: "platform-critical", resources: resourceRequirements({ cpuMillis: 100, memoryMi: 256, limitCpuMillis: 1000, limitMemoryMi: 1024 }) },
    credentials: args.credentialsSecret === undefined ? { useSecret: false } : { useSecret: true, existingSecret: args.credentialsSecret },
    ...(args.credentialsDigest === undefined ? {} : { podAnnotations: { [CREDENTIALS_DIGEST_ANNOTATION]: args.credentialsDigest } }),
    serviceAccount: { server: { create: true, name: VELERO_SERVICE_ACCOUNT } },
    metrics: { enabled: true, serviceMonitor: { enabled: args.monitoring }, nodeAgentPodMonitor: { enabled: args.monitoring && args.settings.volumeData } },
    priorityClassName: "platform-critical",
    resources: resourceRequirements({ cpuMillis: 100, memoryMi: 256, limitCpuMillis: 1000, limitMemoryMi: 1024 }),
    nodeSelector: { ...args.placement.nodeSelector },
    tolerations: [...args.placement.tolerations],
  };
}

export interface LocationSpecArgs {
  readonly bucket: string;
  readonly region: string;
  /** S3 endpoint of a store reached with static keys (SeaweedFS, an external target); absent where Velero finds AWS S3 itself. */
  readonly s3Url?: string;
  /** Path-style addressing at `s3Url`. @default true */
  readonly forcePathStyle?: boolean;
  /** PEM CA certificates of `s3Url`'s certificate, when it is not publicly trusted. @default - publicly trusted */
  readonly caBundle?: string;
  readonly credentialsSecret?: string;
}

/** `BackupStorageLocation.spec`: the backups bucket under `velero/` (BACKUP_PREFIXES; Velero takes the prefix without its slash). */
export function locationSpec(args: LocationSpecArgs): Record<string, unknown> {
  return {
    provider: "aws",
    default: true,
    accessMode: "ReadWrite",
    objectStorage: {
      bucket: args.bucket,
      prefix: BACKUP_PREFIXES.velero.replace(/\/$/, ""),
      ...(args.caBundle === undefined ? {} : { caCert: Buffer.from(args.caBundle, "utf8").toString("base64") }),
    },
    config: { region: args.region, ...(args.s3Url === undefined ? {} : { s3Url: args.s3Url, s3ForcePathStyle: String(args.forcePathStyle ?? true) }) },
    ...(args.credentialsSecret === undefined ? {} : { credential: { name: args.credentialsSecret, key: CREDENTIALS_FILE_KEY } }),
  };
}

/** Velero's TTL form of a retention: `30d` → `720h0m0s`. */
export function ttlOf(retention: string): string {
  return `${retentionHours(retention)}h0m0s`;
}

/**
 * `Schedule.spec`. With `defaultVolumesToFsBackup` (the apps' namespaces) the node agent copies
 * every pod volume; without it (the data namespace) only the volumes a pod opts in with
 * `backup.velero.io/backup-volumes` (./pod-volumes.ts): Redis, RabbitMQ and Kafka, which have no
 * operator backup. The databases' volumes stay out: their operators back them up consistently.
 */
export function scheduleSpec(settings: BackupsSettings, namespaces: readonly string[], volumeData: boolean): Record<string, unknown> {
  return {
    schedule: settings.schedule,
    useOwnerReferencesInBackup: false,
    template: {
      includedNamespaces: [...namespaces],
      storageLocation: LOCATION_NAME,
      ttl: ttlOf(settings.retention),
      snapshotVolumes: false,
      defaultVolumesToFsBackup: volumeData,
    },
  };
}
