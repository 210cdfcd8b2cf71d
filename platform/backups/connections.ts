/**
 * On EKS, Velero's calls to the backups bucket, in order, declared on the server's and node
 * agents' S3 connections for the connection check (the pods themselves: workloads.ts).
 *
 * Two S3 clients run under Velero's service account: the server's object store plugin
 * (velero-plugin-for-aws v1.14, aws-sdk-go-v2, `velero-plugin-for-aws/object_store.go`) for
 * backup metadata and tarballs, and kopia (minio-go; velero v1.18 `pkg/repository/`, kopia
 * `repo/blob/s3/s3_storage.go`) for volume data, in the server (repository init and connect) and
 * in the node agents (uploads). Velero's repository maintenance Jobs run kopia too, as the
 * server's service account, but their pods carry only a per-repository label, so they are not
 * declared as a workload.
 */
import * as pulumi from "@pulumi/pulumi";
import { deleteObject, getObject, headBucket, listObjects, multipartUpload, putObject, S3_ENDPOINT, type S3Target } from "../../lib/aws-calls";
import { BACKUP_PREFIXES } from "../../lib/bucket-layout";
import { type AwsCall, declareConnection, fromWorkload, type WorkloadDeclaration } from "../../lib/connections";
import type { EksExtras, PodIdentityBinding } from "../../lib/contracts";
import { VELERO_SERVICE_ACCOUNT } from "./values";
import type { VeleroWorkloads } from "./workloads";

const BACKUP = "daily-apps-20261127020000";

/**
 * The object store plugin's calls, from the server's backup storage location checks to a
 * backup's deletion (velero `pkg/persistence/object_store.go`: `IsValid` lists the root prefix,
 * backup sync lists `backups/`, a backup's files under `backups/<name>/`). Without a region in the
 * location's config the plugin first asks S3 for the bucket's (`manager.GetBucketRegion`, a
 * HeadBucket); strata sets it. Uploads go through the SDK's upload manager: parts above 5 MiB,
 * aborted when they fail (`manager.NewUploader` defaults).
 */
export function veleroPluginCalls(target: S3Target, location: { readonly region: string }): AwsCall[] {
  const root = BACKUP_PREFIXES.velero;
  const backup = `${root}backups/${BACKUP}/`;
  return [
    ...(location.region === "" ? [headBucket(target, "plugin: find the bucket's region (HeadBucket)")] : []),
    listObjects(target, "server: validate the storage location (top-level directories)", root, "/"),
    listObjects(target, "server: sync backups from the bucket", `${root}backups/`, "/"),
    ...getObject(target, "server: does the backup exist", `${backup}velero-backup.json`, true),
    ...multipartUpload(target, "server: upload the backup's tarball", `${backup}${BACKUP}.tar.gz`, true),
    ...putObject(target, "server: write the backup's metadata", `${backup}velero-backup.json`),
    ...putObject(target, "server: write the backup's log", `${backup}${BACKUP}-logs.gz`),
    ...getObject(target, "server: read a backup for sync or restore (also the signed URL for downloads)", `${backup}velero-backup.json`),
    ...putObject(target, "server: write a restore's log", `${root}restores/restore-1/restore-restore-1-logs.gz`),
    listObjects(target, "server: list an expired backup's files", backup),
    deleteObject(target, "server: delete an expired backup's file", `${backup}${BACKUP}.tar.gz`),
  ];
}

/**
 * Kopia's calls on one namespace's repository, `<prefix>/kopia/<namespace>/` (velero
 * `pkg/repository/provider/unified_repo.go`, `getStorageVariables`; the region from the location,
 * so minio-go does not ask for it). Kopia reads its storage config first, whether or not the
 * repository exists (`newStorageWithCredentials`), writes blobs whole (`DisableMultipart`), lists
 * by blob prefix and deletes during maintenance.
 */
export function kopiaCalls(target: S3Target, namespace: string): AwsCall[] {
  const repo = `${BACKUP_PREFIXES.velero}kopia/${namespace}/`;
  return [
    ...getObject(target, "kopia: read the storage config (absent in a new repository)", `${repo}.storageconfig`),
    ...getObject(target, "kopia: read the repository format", `${repo}kopia.repository`),
    ...putObject(target, "kopia: initialise the repository", `${repo}kopia.repository`),
    ...putObject(target, "kopia: write the blob config", `${repo}kopia.blobcfg`),
    listObjects(target, "kopia: list index blobs", `${repo}xn`),
    listObjects(target, "kopia: list all blobs", repo),
    ...getObject(target, "kopia: stat a pack blob", `${repo}p0a1b2c3d4e5f60718293a4b5c6d7e8f9`, true),
    ...putObject(target, "kopia: upload a pack blob", `${repo}p0a1b2c3d4e5f60718293a4b5c6d7e8f9`),
    ...putObject(target, "kopia: upload an index blob", `${repo}xn0_5e1a2b3c4d5e6f708192a3b4c5d6e7f8-s1-c1`),
    ...getObject(target, "kopia: read a pack blob range for a restore", `${repo}p0a1b2c3d4e5f60718293a4b5c6d7e8f9`),
    deleteObject(target, "kopia maintenance: delete a superseded index blob", `${repo}xn0_5e1a2b3c4d5e6f708192a3b4c5d6e7f8-s1-c1`),
  ];
}

export interface VeleroConnectionsArgs {
  /** The server's and node agents' pods (workloads.ts). */
  readonly workloads: VeleroWorkloads;
  readonly namespace: string;
  /** Namespaces whose volume data kopia backs up, each its own repository. */
  readonly volumeNamespaces: readonly string[];
  /** The region the backup storage location names. */
  readonly region: string;
  /** The backups bucket, key and account, and Velero's Pod Identity role. */
  readonly eks: { readonly extras: EksExtras; readonly identity: PodIdentityBinding };
}

/**
 * On EKS: the server's and node agents' calls to the backups bucket with the role EKS Pod
 * Identity hands their service account (its association and trust must name it).
 */
export function declareVeleroConnections(args: VeleroConnectionsArgs): void {
  const bucket = args.eks.extras.buckets["backups"];
  if (bucket === undefined) return;
  const { extras, identity } = args.eks;
  // The chart's server and node agents both run as the server's service account (`velero.serverServiceAccount`).
  const serviceAccount = { namespace: args.namespace, name: VELERO_SERVICE_ACCOUNT };
  const repositories = args.volumeNamespaces;
  const declare = (workload: WorkloadDeclaration, who: string, calls: (target: S3Target) => AwsCall[]) => {
    declareConnection({
      purpose: `Velero ${who}: backups and volume data in the backups bucket`,
      from: fromWorkload(workload),
      to: S3_ENDPOINT,
      aws: pulumi.all([identity.roleArn, bucket.arn, extras.kmsKeyArn, extras.accountId]).apply(([roleArn, bucketArn, keyArn, accountId]) => ({
        roleArn,
        serviceAccount,
        calls: calls({ bucketArn, keyArn, accountId, region: extras.region }),
      })),
    });
  };
  declare(args.workloads.server, "server", (target) => [...veleroPluginCalls(target, { region: args.region }), ...repositories.flatMap((ns) => kopiaCalls(target, ns))]);
  if (args.workloads.nodeAgent !== undefined) declare(args.workloads.nodeAgent, "node agents", (target) => repositories.flatMap((ns) => kopiaCalls(target, ns)));
}
