/**
 * On EKS, the calls PBM makes to the backups bucket, in order, declared on the S3 connections of
 * the two clients that make them, for the connection check:
 * - the PBM agent beside each mongod (container `backup-agent`), which initialises the storage,
 *   writes and reads the backups: percona-backup-mongodb v2.12.0 (the image in lib/catalog.ts);
 * - the Percona operator for MongoDB, which deletes a backup's files itself when the retention
 *   removes its `PerconaServerMongoDBBackup` (finalizer `percona.com/delete-backup`, set on every
 *   scheduled backup: v1.22.0 `pkg/psmdb/backup/job.go`; `deleteBackupImpl` in
 *   `pkg/psmdb/backup/pbm.go` builds a PBM storage in the operator's process) and reads one back
 *   before a restore (`ValidateBackupInStorage`).
 *
 * Both speak PBM's S3 storage (`pbm/storage/s3/s3.go`): AWS SDK for Go v2, which takes the web
 * identity of the pod's service account when `AWS_ROLE_ARN` and `AWS_WEB_IDENTITY_TOKEN_FILE`
 * are set (`s3client`), i.e. IRSA. Keys are `<prefix>/<name>` (`path.Join`).
 */
import * as pulumi from "@pulumi/pulumi";
import { deleteObject, getObject, listObjects, multipartUpload, putObject, S3_ENDPOINT, type S3Target } from "../../lib/aws-calls";
import { BACKUP_PREFIXES } from "../../lib/bucket-layout";
import { type AwsCall, type ConnectionSource, declareConnection, declareWorkload, fromWorkload, type WorkloadDeclaration } from "../../lib/connections";
import type { EksExtras, PodIdentityBinding } from "../../lib/contracts";

/** A backup's name as PBM gives it (its start time) and one collection dump of it. */
const BACKUP_NAME = "2026-11-27T03:00:21Z";
const COLLECTION = "rs0/app.orders.gz";

/** Where a cluster's PBM storage lives in the backups bucket: `mongodb/<cluster>` (no trailing slash, as PBM's `prefix`). */
export function pbmPrefix(cluster: string): string {
  return `${BACKUP_PREFIXES.mongodb}${cluster}`;
}

/** The agents' calls: storage initialisation, resync, one logical backup, a restore's reads. */
export function pbmAgentCalls(target: S3Target, cluster: string): AwsCall[] {
  const root = `${pbmPrefix(cluster)}/`;
  const init = `${root}.pbm.init`;
  const meta = `${root}${BACKUP_NAME}.pbm.json`;
  const dump = `${root}${BACKUP_NAME}/${COLLECTION}`;
  return [
    // A new storage config: IsInitialized stats `.pbm.init` (HeadObject), Initialize writes it
    // (RetryableWrite: one small PutObject), HasReadAccess stats and reads it back
    // (pbm/storage/storage.go, pbm/util/storage.go).
    ...getObject(target, "PBM agent: is the storage initialised (.pbm.init)", init, true),
    ...putObject(target, "PBM agent: initialise the storage", init),
    ...getObject(target, "PBM agent: read access to the storage", init),
    // Resync: every backup's metadata file under the prefix (List with suffix `.pbm.json`, no delimiter).
    listObjects(target, "PBM agent: resync lists the backups' metadata", root),
    ...getObject(target, "PBM agent: resync reads a backup's metadata", meta),
    // A logical backup: each collection dump and the oplog through the SDK's upload manager, in
    // parts above its part size; `LeavePartsOnError` means no AbortMultipartUpload (the bucket's
    // lifecycle aborts stale uploads). Then the metadata, checked back (CheckBackupFiles: HeadObject).
    ...multipartUpload(target, "PBM agent: upload a collection dump", dump, false),
    ...putObject(target, "PBM agent: write the backup's metadata", meta),
    ...getObject(target, "PBM agent: check the backup's files", dump, true),
    // A failed or canceled backup: the leader agent deletes its leftovers (pbm/backup/backup.go,
    // DeleteBackupFiles: list the backup's files, delete each, then its metadata); so do the
    // agents for `pbm delete-backup` (cmd/pbm-agent/delete.go).
    listObjects(target, "PBM agent: list a failed backup's leftovers", `${root}${BACKUP_NAME}/`),
    deleteObject(target, "PBM agent: delete a failed backup's files", dump),
    deleteObject(target, "PBM agent: delete the failed backup's metadata", meta),
    // A restore: the metadata, then the dumps (GetObject, in ranges).
    ...getObject(target, "PBM agent: restore reads the metadata", meta),
    ...getObject(target, "PBM agent: restore downloads a collection dump", dump),
  ];
}

/** The operator's calls: check a backup before a restore, delete an expired one (DeleteBackupFiles). */
export function pbmOperatorCalls(target: S3Target, cluster: string): AwsCall[] {
  const root = `${pbmPrefix(cluster)}/`;
  const meta = `${root}${BACKUP_NAME}.pbm.json`;
  const dump = `${root}${BACKUP_NAME}/${COLLECTION}`;
  return [
    ...getObject(target, "Percona operator: read a backup's metadata before a restore", meta),
    ...getObject(target, "Percona operator: check the backup's files before a restore", dump, true),
    listObjects(target, "Percona operator: list an expired backup's files", `${root}${BACKUP_NAME}/`),
    deleteObject(target, "Percona operator: delete an expired backup's files", dump),
    deleteObject(target, "Percona operator: delete the expired backup's metadata", meta),
  ];
}

/** On EKS: the backups bucket's facts and the IRSA roles of the two PBM clients. */
export interface PbmIdentity {
  readonly eks: EksExtras;
  /** Role the replica-set pods' service account (PBM agents) is annotated with. */
  readonly agents: PodIdentityBinding;
  /** Role the operator's service account is annotated with. */
  readonly operator: PodIdentityBinding;
}

/** The operator's pods (psmdb-operator chart 1.22.0, templates/deployment.yaml: name and instance labels, no ports). */
export function operatorWorkload(namespace: string, release: string): WorkloadDeclaration {
  return { id: `${namespace}/${release}`, pods: { namespace, labels: { "app.kubernetes.io/name": "psmdb-operator", "app.kubernetes.io/instance": release } } };
}

/** Declares the agents' and the operator's paths to S3 with their roles and calls. */
export function declarePbmConnections(namespace: string, cluster: string, mongod: WorkloadDeclaration, operatorRelease: string, identity: PbmIdentity): void {
  const bucket = identity.eks.buckets["backups"];
  if (bucket === undefined) return;
  const { eks } = identity;
  const declare = (purpose: string, from: ConnectionSource, binding: PodIdentityBinding, calls: (target: S3Target) => AwsCall[]) =>
    declareConnection({
      purpose,
      from,
      to: S3_ENDPOINT,
      aws: pulumi.all([binding.roleArn, bucket.arn, eks.kmsKeyArn, eks.accountId]).apply(([roleArn, bucketArn, keyArn, accountId]) => ({
        roleArn,
        serviceAccount: { namespace: binding.namespace, name: binding.serviceAccount },
        calls: calls({ bucketArn, keyArn, accountId, region: eks.region }),
      })),
    });
  declare("MongoDB backups (PBM agents)", fromWorkload(mongod), identity.agents, (target) => pbmAgentCalls(target, cluster));
  const operator = operatorWorkload(namespace, operatorRelease);
  declareWorkload(operator);
  declare("MongoDB backup retention (Percona operator)", fromWorkload(operator), identity.operator, (target) => pbmOperatorCalls(target, cluster));
}
