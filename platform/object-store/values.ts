/**
 * SeaweedFS chart values: masters, volume servers, filers and the S3 gateway on the storage
 * pool, every data directory on a persistent volume (the chart's default is hostPath), the S3
 * gateway authenticated from a Secret (buckets: bucket-job.ts).
 */
import type * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import type { ObjectStoreSettings } from "../../config/platform/object-store";
import { resourceRequirements } from "../../config/platform/common";
import type { Placement } from "../../lib/contracts";
import { CONFIG_DIGEST_ANNOTATION } from "../../lib/digest-annotations";

/** Release name; the S3 Service is `<release>-s3`. */
export const SEAWEEDFS_RELEASE = "seaweedfs";
export const S3_PORT = 8333;
/**
 * Labels of the S3 gateway's pods, the selector of its `<release>-s3` Service, whose port
 * `swfs-s3` targets the container port of that name (seaweedfs chart 4.44, templates/s3/).
 */
/** Key of the gateway's identities JSON in its config Secret (the chart's name for it). */
export const S3_CONFIG_KEY = "seaweedfs_s3_config";

export interface SeaweedfsValuesArgs {
  readonly settings: ObjectStoreSettings;
  readonly storageClass: string;
  /** Class for the masters' Raft state and the filers' metadata (the SSD disks, `object-fast`). @default - storageClass */
  readonly metadataStorageClass?: string;
  readonly placement: Placement;
  /** Secret holding the gateway's identities JSON. */
  readonly configSecretName: string;
  /**
   * Digest of that JSON, on the gateways' pods: `weed s3` reads its `-config` file once, at start
   * (seaweedfs 4.44 weed/s3api/auth_credentials.go, `loadS3ApiConfigurationFromFile`), and the
   * chart checksums an existing config Secret on the filers only (templates/filer/filer-statefulset.yaml
   * `checksum/s3config`), not on the standalone gateways (templates/s3/s3-deployment.yaml).
   */
  readonly configDigest: pulumi.Input<string>;
  /** Declare ServiceMonitors (needs the Prometheus Operator CRDs). */
  readonly monitoring: boolean;
}

/** The chart's scheduling fields are YAML strings rendered through `tpl`, not maps. */
function scheduling(placement: Placement): { nodeSelector: string; tolerations: string } {
  return {
    nodeSelector: Object.keys(placement.nodeSelector).length === 0 ? "" : stringify(placement.nodeSelector).trimEnd(),
    tolerations: placement.tolerations.length === 0 ? "" : stringify(placement.tolerations).trimEnd(),
  };
}

const pvc = (sizeGi: number, storageClass: string) => ({ type: "persistentVolumeClaim", size: `${sizeGi}Gi`, storageClass });
const EMPTY_LOGS = { type: "emptyDir" };

export function seaweedfsValues(args: SeaweedfsValuesArgs): Record<string, unknown> {
  const { settings } = args;
  const place = scheduling(args.placement);
  const small = resourceRequirements({ cpuMillis: 100, memoryMi: 256, limitCpuMillis: 1000, limitMemoryMi: 1024 });
  return {
    global: {
      seaweedfs: { enableReplication: settings.replication !== "000", replicationPlacement: settings.replication, monitoring: { enabled: args.monitoring } },
    },
    master: {
      replicas: settings.masters,
      defaultReplication: settings.replication,
      // Raft state; the master's storage type cannot change after install.
      data: pvc(1, args.metadataStorageClass ?? args.storageClass),
      logs: EMPTY_LOGS,
      resources: small,
      priorityClassName: "data",
      ...place,
    },
    volume: {
      replicas: settings.volumeServers,
      dataDirs: [{ name: "data1", ...pvc(settings.storage.sizeGi, args.storageClass), maxVolumes: 0 }],
      resources: resourceRequirements(settings.resources),
      priorityClassName: "data",
      ...place,
    },
    filer: {
      replicas: settings.filers,
      defaultReplicaPlacement: settings.replication,
      // Filer metadata (leveldb) holds every bucket's directory tree.
      data: pvc(10, args.metadataStorageClass ?? args.storageClass),
      logs: EMPTY_LOGS,
      resources: small,
      priorityClassName: "data",
      ...place,
    },
    s3: {
      enabled: true,
      replicas: settings.gateways,
      port: S3_PORT,
      enableAuth: true,
      existingConfigSecret: args.configSecretName,
      podAnnotations: { [CONFIG_DIGEST_ANNOTATION]: args.configDigest },
      // No `createBuckets`: the chart's bucket hook cannot be placed on the storage pool;
      // bucket-job.ts creates the buckets instead.
      logs: EMPTY_LOGS,
      resources: small,
      priorityClassName: "data",
      ...place,
    },
  };
}
