/**
 * Pure: the Percona Operator for MongoDB's chart values and the `PerconaServerMongoDB` spec for
 * one unsharded replica set (`rs0`, no arbiter), with PBM backups and oplog slices (point-in-time
 * recovery) to the object store, the
 * application user from its own Secret and a mongodb_exporter sidecar.
 */
import { DATA_SERVICES } from "../../lib/catalog";
import type { Placement } from "../../lib/contracts";
import { IRSA_ROLE_ANNOTATION } from "../observability/store-identity";
import { type BackupPlan, type BackupTarget, type ContainerResources, HOSTNAME_KEY, placementFields, quantities, splitEndpoint } from "../data-service";

export const MONGODB_PORT = 27017;
export const MONGODB_METRICS_PORT = 9216;
/** The one replica set strata runs; sharding stays off. */
export const REPLSET_NAME = "rs0";
export const MONGODB_BACKUP_STORAGE = "object-store";

export interface MongodbSpecArgs {
  /** Voting members of the replica set (odd). */
  readonly members: number;
  readonly resources: ContainerResources;
  readonly storageGi: number;
  readonly storageClass?: string;
  readonly placement: Placement;
  /** Secret the operator keeps its system users in (`MONGODB_CLUSTER_MONITOR_USER`, …). */
  readonly systemUsersSecret: string;
  /** The application user: database, name and the Secret (key `password`) with its password. */
  readonly appUser: { readonly database: string; readonly username: string; readonly secretName: string };
  readonly backup?: { readonly target: BackupTarget; readonly plan: BackupPlan };
  readonly metrics: boolean;
  /** Service account of the mongod pods (and the PBM agent beside each). @default - the operator's: `default` */
  readonly serviceAccountName?: string;
}

/**
 * The operator's Deployment and service account name (`fullnameOverride`), the same whatever the
 * cluster is called: on EKS the IAM role it deletes expired backups with trusts exactly this
 * service account (lib/service-accounts.ts `mongodbOperator`).
 */
export const MONGODB_OPERATOR_FULLNAME = "psmdb-operator";

/**
 * Operator values: watches only its own namespace (the release's), structured logs; on EKS its
 * service account is annotated with the IRSA role (`serviceAccount.annotations`).
 */
export function mongodbOperatorValues(placement: Placement, roleArn?: string) {
  return {
    fullnameOverride: MONGODB_OPERATOR_FULLNAME,
    ...(roleArn === undefined ? {} : { serviceAccount: { create: true, annotations: { [IRSA_ROLE_ANNOTATION]: roleArn } } }),
    watchAllNamespaces: false,
    disableTelemetry: true,
    logStructured: true,
    logLevel: "INFO",
    resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "512Mi" } },
    ...placementFields(placement),
  };
}

/**
 * mongodb_exporter collectors off by default that the alerts read (percona/mongodb_exporter
 * v0.47.1, main.go flags): `replicasetstatus` runs replSetGetStatus and exports each member's
 * `optimeDate` as `mongodb_members_optimeDate{member_idx, member_state}` in milliseconds
 * (exporter/replset_status_collector.go → metrics.go `processSlice`, `asFloat64` of a DateTime);
 * `pbm` reads PBM's backup list and exports `mongodb_pbm_backup_last_transition_ts{name, status}`
 * in seconds and `mongodb_pbm_cluster_pitr_backup_enabled` (exporter/pbm_collector.go). PBM keeps
 * its metadata in admin's collections, which the operator's cluster-monitor user reads through
 * its `explainRole` (find on every collection: percona-server-mongodb-operator v1.22.0,
 * pkg/controller/perconaservermongodb/mgo.go).
 */
export const MONGODB_EXPORTER_COLLECTORS = ["--collector.replicasetstatus", "--collector.pbm"] as const;

function exporterSidecar(systemUsersSecret: string) {
  const fromSecret = (key: string) => ({ valueFrom: { secretKeyRef: { name: systemUsersSecret, key } } });
  return {
    name: "mongodb-exporter",
    image: DATA_SERVICES.mongodb.exporter,
    args: [`--mongodb.uri=mongodb://127.0.0.1:${MONGODB_PORT}`, "--compatible-mode", "--discovering-mode", ...MONGODB_EXPORTER_COLLECTORS, `--web.listen-address=:${MONGODB_METRICS_PORT}`],
    env: [
      { name: "MONGODB_USER", ...fromSecret("MONGODB_CLUSTER_MONITOR_USER") },
      { name: "MONGODB_PASSWORD", ...fromSecret("MONGODB_CLUSTER_MONITOR_PASSWORD") },
    ],
    ports: [{ name: "metrics", containerPort: MONGODB_METRICS_PORT }],
    resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } },
  };
}

/**
 * The PBM storage: `minio` (any S3-compatible store: path style, or a private CA, which only this
 * type takes as `caBundle`) for the in-cluster object store and external targets, `s3` for AWS
 * S3. Without a credentials Secret (EKS) the `s3` storage names none: the operator then hands
 * PBM no keys (percona-server-mongodb-operator v1.22.0 `pkg/psmdb/backup/pbm.go`, S3 storage:
 * the Secret is read only when named; `credentialsSecret` is optional in the CRD), and PBM's AWS
 * SDK client takes the pod's web identity (IRSA).
 */
export function pbmStorage(target: BackupTarget) {
  const credentials = target.credentialsSecret === undefined ? {} : { credentialsSecret: target.credentialsSecret };
  if (target.forcePathStyle || target.caBundleKey !== undefined) {
    const { hostPort, secure } = splitEndpoint(target.endpoint);
    return {
      main: true,
      type: "minio",
      minio: {
        bucket: target.bucket,
        prefix: target.prefix,
        region: target.region,
        endpointUrl: hostPort,
        secure,
        forcePathStyle: target.forcePathStyle,
        ...credentials,
        ...(target.caBundleKey === undefined || target.credentialsSecret === undefined ? {} : { caBundle: { name: target.credentialsSecret, key: target.caBundleKey } }),
      },
    };
  }
  return {
    main: true,
    type: "s3",
    s3: { bucket: target.bucket, prefix: target.prefix, region: target.region, endpointUrl: target.endpoint, ...credentials },
  };
}

/**
 * Point-in-time recovery: PBM slices the oplog to the backup storage every `oplogSpanMin` minutes
 * once a full backup exists, so a restore can reach any moment after the oldest kept backup and
 * at most this long before a loss (PBM v2.12.0 pbm/config/config.go `OplogSlicerInterval`,
 * default 10; psmdb operator v1.22.0 `PITRSpec`). Oplog chunks live under the same prefix; when
 * retention deletes a backup from the main storage, the operator deletes the chunks up to it
 * (v1.22.0 pkg/controller/perconaservermongodbbackup/psmdb_backup_controller.go), so the oplog
 * kept spans the retention.
 */
export const MONGODB_OPLOG_SPAN_MINUTES = 10;
/** PBM's zstd (pbm/compress/compress.go): smaller than gzip at a lower CPU cost, for base backups and oplog chunks alike. */
export const MONGODB_BACKUP_COMPRESSION = "zstd";

function backupSpec(backup: NonNullable<MongodbSpecArgs["backup"]>) {
  return {
    enabled: true,
    image: DATA_SERVICES.mongodb.backup,
    storages: { [MONGODB_BACKUP_STORAGE]: pbmStorage(backup.target) },
    tasks: [
      {
        name: "nightly",
        enabled: true,
        schedule: backup.plan.schedule,
        storageName: MONGODB_BACKUP_STORAGE,
        type: "logical",
        compressionType: MONGODB_BACKUP_COMPRESSION,
        retention: { type: "count", count: backup.plan.keep, deleteFromStorage: true },
      },
    ],
    pitr: { enabled: true, oplogSpanMin: MONGODB_OPLOG_SPAN_MINUTES, compressionType: MONGODB_BACKUP_COMPRESSION },
  };
}

/** The `PerconaServerMongoDB` spec. */
export function mongodbClusterSpec(args: MongodbSpecArgs) {
  const pvc = {
    accessModes: ["ReadWriteOnce"],
    ...(args.storageClass === undefined ? {} : { storageClassName: args.storageClass }),
    resources: { requests: { storage: `${args.storageGi}Gi` } },
  };
  return {
    crVersion: DATA_SERVICES.mongodb.crVersion,
    image: DATA_SERVICES.mongodb.server,
    updateStrategy: "SmartUpdate",
    upgradeOptions: { apply: "disabled" },
    secrets: { users: args.systemUsersSecret },
    replsets: [
      {
        name: REPLSET_NAME,
        size: args.members,
        affinity: { antiAffinityTopologyKey: HOSTNAME_KEY },
        podDisruptionBudget: { maxUnavailable: 1 },
        expose: { enabled: false },
        arbiter: { enabled: false, size: 1 },
        resources: quantities(args.resources),
        volumeSpec: { persistentVolumeClaim: pvc },
        ...placementFields(args.placement),
        ...(args.serviceAccountName === undefined ? {} : { serviceAccountName: args.serviceAccountName }),
        ...(args.metrics ? { sidecars: [exporterSidecar(args.systemUsersSecret)] } : {}),
      },
    ],
    sharding: { enabled: false },
    users: [
      {
        name: args.appUser.username,
        db: args.appUser.database,
        passwordSecretRef: { name: args.appUser.secretName, key: "password" },
        roles: [{ name: "readWrite", db: args.appUser.database }],
      },
    ],
    backup: args.backup === undefined ? { enabled: false, image: DATA_SERVICES.mongodb.backup } : backupSpec(args.backup),
  };
}

/** Replica-set member hosts (`<name>-rs0-<i>.<name>-rs0.<ns>.svc`) in the order they start. */
export function mongodbHosts(name: string, namespace: string, members: number): string[] {
  return Array.from({ length: members }, (_, i) => `${name}-${REPLSET_NAME}-${i}.${name}-${REPLSET_NAME}.${namespace}.svc`);
}

/** Connection URL for the replica set; the password is URL-encoded. */
export function mongodbUrl(hosts: readonly string[], username: string, password: string, database: string): string {
  const hostList = hosts.map((h) => `${h}:${MONGODB_PORT}`).join(",");
  return `mongodb://${encodeURIComponent(username)}:${encodeURIComponent(password)}@${hostList}/${database}?replicaSet=${REPLSET_NAME}&authSource=${database}`;
}
