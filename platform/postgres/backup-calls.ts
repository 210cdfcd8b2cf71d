/**
 * On EKS, the Barman Cloud plugin's calls to the backups bucket, in order, declared on the
 * instances' S3 connection for the connection check (the pods themselves: workloads.ts).
 *
 * The plugin's sidecar in each instance pod runs the barman-cloud-* commands
 * (cloudnative-pg/plugin-barman-cloud v0.13.0, `internal/cnpgi/instance/`, `internal/cnpgi/common/`),
 * which speak boto3 (barman 3.19 in the sidecar image, `containers/sidecar-requirements.txt`) with
 * the web identity the pod's service account is given (IRSA).
 */
import * as pulumi from "@pulumi/pulumi";
import { deleteObject, getObject, headBucket, listObjects, multipartUpload, putObject, S3_ENDPOINT, type S3Target } from "../../lib/aws-calls";
import { BACKUP_PREFIXES } from "../../lib/bucket-layout";
import { type AwsCall, declareConnection, fromPods } from "../../lib/connections";
import type { EksExtras } from "../../lib/contracts";
import { CLUSTER_NAME } from "./values";
import { instanceLabels } from "./workloads";

/** A WAL segment name on timeline 1, and its directory in the archive (barman `hash_dir`: the first 16 characters). */
const WAL = "000000010000000000000003";
const BACKUP_ID = "20261127T020000";

/**
 * The S3 and KMS calls of the barman-cloud-* commands the plugin runs, in the order a new cluster
 * makes them. Keys: `<destinationPath>/<serverName>/wals/<hash_dir>/<segment>.gz` and
 * `.../base/<backup id>/` (barman `barman/cloud.py`, `barman/clients/cloud_walarchive.py`).
 */
export function barmanCloudCalls(target: S3Target, serverName: string = CLUSTER_NAME): AwsCall[] {
  const server = `${BACKUP_PREFIXES.postgres}${serverName}/`;
  const wals = `${server}wals/`;
  const base = `${server}base/`;
  const segment = `${wals}${WAL.slice(0, 16)}/${WAL}.gz`;
  const backup = `${base}${BACKUP_ID}/`;
  // barman-cloud-backup-list and -show read the catalog: the backup directories, then each backup.info.
  const readCatalog = (command: string): AwsCall[] => [
    listObjects(target, `${command}: list the base backups`, base, "/"),
    ...getObject(target, `${command}: read a backup.info`, `${backup}backup.info`),
  ];
  return [
    // Before the first WAL of a new cluster the plugin checks the archive is empty
    // (internal/cnpgi/common/wal.go, step 2; check.go): barman-cloud-check-wal-archive calls
    // test_connectivity, i.e. HeadBucket (barman/cloud_providers/aws_s3.py `_check_bucket_existence`),
    // then lists the WAL archive (barman/clients/cloud_check_wal_archive.py).
    headBucket(target, "barman-cloud-check-wal-archive: HeadBucket before the first WAL is archived"),
    listObjects(target, "barman-cloud-check-wal-archive: the WAL archive must be empty", wals, ""),
    // barman-cloud-wal-archive: one gzip'd segment, below boto3's 100 MiB multipart threshold (MULTIPART_THRESHOLD).
    ...putObject(target, "barman-cloud-wal-archive: archive a WAL segment", segment),
    // barman-cloud-backup: each tar through a multipart upload, aborted on failure
    // (CloudTarUploader; aws_s3.py create_multipart_upload/_upload_part/_complete/_abort_multipart_upload),
    // then backup.info (upload_fileobj).
    ...multipartUpload(target, "barman-cloud-backup: upload the data directory", `${backup}data.tar.gz`, true),
    ...putObject(target, "barman-cloud-backup: write backup.info", `${backup}backup.info`),
    // The plugin reads the finished backup back (barman-cloud-backup-show) and the catalog for the
    // recovery window (barman-cloud-backup-list; internal/cnpgi/instance/backup.go, retention.go).
    ...readCatalog("barman-cloud-backup-show"),
    ...readCatalog("barman-cloud-backup-list"),
    // barman-cloud-backup-delete --retention-policy (retention.go): the catalog, the WAL archive,
    // then the expired backup's files and the WAL it no longer needs (DeleteObjects, one s3:DeleteObject per key).
    ...readCatalog("barman-cloud-backup-delete"),
    listObjects(target, "barman-cloud-backup-delete: list the WAL archive", wals, ""),
    listObjects(target, "barman-cloud-backup-delete: list WAL directories", wals, "/"),
    listObjects(target, "barman-cloud-backup-delete: list the expired backup's files", backup),
    deleteObject(target, "barman-cloud-backup-delete: delete the expired backup's data", `${backup}data.tar.gz`),
    deleteObject(target, "barman-cloud-backup-delete: delete the expired backup.info", `${backup}backup.info`),
    deleteObject(target, "barman-cloud-backup-delete: delete WAL older than the oldest backup", segment),
    // barman-cloud-wal-restore on replicas catching up from the archive (restore_command):
    // list the segment's name to find its compression, then download it (cloud_walrestore.py).
    listObjects(target, "barman-cloud-wal-restore: find the segment", `${wals}${WAL.slice(0, 16)}/${WAL}`, "/"),
    ...getObject(target, "barman-cloud-wal-restore: download the segment", segment),
  ];
}

/** On EKS: the backups bucket's facts and the IAM role the instances' service account is annotated with. */
export interface BackupIdentity {
  readonly eks: EksExtras;
  readonly roleArn: pulumi.Input<string>;
}

/**
 * On EKS: the instances (the primary archives and backs up, replicas restore WAL) reach the
 * backups bucket with the role their service account's token is exchanged for (IRSA; the service
 * account is named after the cluster: cloudnative-pg `api/v1/cluster_funcs.go`,
 * `GetServiceAccountName`), which the role's trust must name.
 */
export function declareBackupConnection(namespace: string, args: BackupIdentity): void {
  const { eks } = args;
  const bucket = eks.buckets["backups"];
  if (bucket === undefined) return;
  declareConnection({
    purpose: "PostgreSQL WAL archive and base backups (Barman Cloud plugin)",
    from: fromPods(namespace, instanceLabels(CLUSTER_NAME)),
    to: S3_ENDPOINT,
    aws: pulumi.all([args.roleArn, bucket.arn, eks.kmsKeyArn, eks.accountId]).apply(([roleArn, bucketArn, keyArn, accountId]) => ({
      roleArn,
      serviceAccount: { namespace, name: CLUSTER_NAME },
      calls: barmanCloudCalls({ bucketArn, keyArn, accountId, region: eks.region }),
    })),
  });
}
