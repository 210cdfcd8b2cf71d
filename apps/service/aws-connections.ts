/**
 * The AWS calls of an app with the EKS object store, for its object store connection
 * (declared-connections.ts).
 *
 * The app's S3 client is the app's own, so its calls are those common S3 clients make, from
 * their source: a MinIO SDK not given the region asks for the bucket's first (minio-js
 * `src/internal/client.ts`, `getBucketRegionAsync`; minio-go takes it from a regional AWS
 * endpoint, `api.go`), a bucket check at start (HeadBucket: `bucketExists` in the MinIO SDKs,
 * `HeadBucket` in the AWS SDKs), listings with and without a prefix, objects written whole or, above
 * the SDK's part size, in parts aborted on failure (AWS SDK upload managers, minio `putObject`),
 * read, checked and deleted, one by one or in batches.
 */
import * as pulumi from "@pulumi/pulumi";
import { deleteObject, getObject, headBucket, listObjects, multipartUpload, putObject, s3Call, type S3Target } from "../../lib/aws-calls";
import type { AwsAccess, AwsCall } from "../../lib/connections";

/** An S3 client of an app on the apps' bucket, in the order it calls. */
export function appObjectStoreCalls(target: S3Target, app: string): AwsCall[] {
  const key = `${app}/2026/11/27/invoice-1042.pdf`;
  return [
    s3Call(target, "a MinIO SDK not given the region asks for the bucket's (GetBucketLocation)", "s3:GetBucketLocation"),
    headBucket(target, "check the bucket at start (HeadBucket)"),
    listObjects(target, "list the objects under a prefix", `${app}/2026/`, "/"),
    s3Call(target, "list the bucket from its root (ListObjectsV2 without a prefix)", "s3:ListBucket", undefined, { "s3:prefix": "" }),
    ...putObject(target, "write an object", key),
    ...multipartUpload(target, "upload an object above the SDK's part size", `${app}/exports/2026-11.csv`, true),
    ...getObject(target, "check an object", key, true),
    ...getObject(target, "read an object", key),
    deleteObject(target, "delete an object (DeleteObject, or a key of DeleteObjects)", key),
  ];
}

export interface AppObjectStoreAccessArgs {
  /** The app, whose service account carries its name. */
  readonly name: string;
  readonly namespace: string;
  /** The app's IAM role, bound to its service account by a Pod Identity association. */
  readonly roleArn: pulumi.Output<string>;
  /** The apps' bucket, its key and region. */
  readonly bucket: { readonly arn: pulumi.Output<string>; readonly keyArn: pulumi.Output<string>; readonly region: string };
}

/** The app's role, service account and S3 calls on the apps' bucket, for its object store connection. */
export function appObjectStoreAccess(args: AppObjectStoreAccessArgs): pulumi.Output<AwsAccess> {
  const { bucket } = args;
  return pulumi.all([args.roleArn, bucket.arn, bucket.keyArn]).apply(([roleArn, bucketArn, keyArn]) => ({
    roleArn,
    serviceAccount: { namespace: args.namespace, name: args.name },
    // The key is the account's: its ARN names the account S3 calls KMS from.
    calls: appObjectStoreCalls({ bucketArn, keyArn, region: bucket.region, accountId: keyArn.split(":")[4] ?? "" }, args.name),
  }));
}
