/**
 * S3 buckets for application objects, backups, logs (Loki) and traces (Tempo), each with the same posture: owner-enforced
 * objects, every public access path blocked, KMS default encryption with a bucket key,
 * versioning, a TLS-only policy and lifecycle rules for old versions and stale uploads.
 */
import * as aws from "../../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import type { EksBucketConfig } from "../../config/infra/eks";
import type { ChildOptions, PolicyDocument } from "./types";

export type BucketSettings = EksBucketConfig;
export const BUCKET_PURPOSES = ["objects", "backups", "logs", "traces"] as const;
export type BucketPurpose = (typeof BUCKET_PURPOSES)[number];

export interface BucketsArgs {
  /** Cluster name; bucket names are `<cluster>-<purpose>-<account id>`. */
  readonly clusterName: string;
  /** Account id, making bucket names globally unique. */
  readonly accountId: pulumi.Output<string>;
  /** Key for default bucket encryption. */
  readonly kmsKeyArn: pulumi.Output<string>;
  /** Per-purpose settings from config. */
  readonly settings: Readonly<Record<BucketPurpose, BucketSettings>>;
  /** Retain buckets on `destroy` (`protect`). */
  readonly protect: boolean;
}

export interface BucketRef {
  readonly name: pulumi.Output<string>;
  readonly arn: pulumi.Output<string>;
}

/** Refuses any request not made over TLS 1.2 or later. */
export function tlsOnlyPolicy(bucketArn: string): PolicyDocument {
  const resources = [bucketArn, `${bucketArn}/*`];
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: resources, Condition: { Bool: { "aws:SecureTransport": "false" } } },
      { Sid: "DenyOutdatedTls", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: resources, Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } } },
    ],
  };
}

/**
 * Buckets whose current objects may expire by age. `backups`: never; Velero (its kopia
 * repository under `velero/` keeps `kopia.repository` and packs of old snapshots), Barman Cloud,
 * PBM and xtrabackup delete what their retention no longer needs, and an expiry by age would
 * delete what they still reference (config refuses `expirationDays` there). `logs`/`traces`:
 * a backstop after Loki's and Tempo's compactors, which Loki's retention docs allow when the
 * expiry is longer than the retention (config/platform/telemetry-buckets.ts). `objects`: the apps' files,
 * which nothing else expires.
 */
export const CURRENT_OBJECTS_MAY_EXPIRE: Readonly<Record<BucketPurpose, boolean>> = { objects: true, backups: false, logs: true, traces: true };

/** Lifecycle rules: stale multipart uploads and old versions go; optional tiering and, where the purpose allows it, expiry. */
export function lifecycleRules(purpose: BucketPurpose, settings: BucketSettings): aws.types.input.s3.BucketLifecycleConfigurationRule[] {
  const expiryDays = CURRENT_OBJECTS_MAY_EXPIRE[purpose] ? settings.expirationDays : undefined;
  return [
    { id: "abort-incomplete-uploads", status: "Enabled", filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } },
    { id: "expire-noncurrent-versions", status: "Enabled", filter: {}, noncurrentVersionExpiration: { noncurrentDays: settings.noncurrentVersionExpirationDays } },
    ...(settings.transitionToInfrequentAccessDays === undefined
      ? []
      : [{ id: "transition-infrequent-access", status: "Enabled", filter: {}, transitions: [{ days: settings.transitionToInfrequentAccessDays, storageClass: "STANDARD_IA" }] }]),
    ...(expiryDays === undefined
      ? []
      : [{ id: "expire-current-objects", status: "Enabled", filter: {}, expiration: { days: expiryDays } }]),
  ];
}

export function createBuckets(name: string, args: BucketsArgs, opts: ChildOptions): Partial<Record<BucketPurpose, BucketRef>> {
  const refs: Partial<Record<BucketPurpose, BucketRef>> = {};
  for (const purpose of BUCKET_PURPOSES) {
    const settings = args.settings[purpose];
    if (!settings.enabled) continue;
    const id = `${name}-${purpose}`;
    const bucket = new aws.s3.Bucket(id, {
      bucket: pulumi.interpolate`${args.clusterName}-${purpose}-${args.accountId}`,
      forceDestroy: false,
      tags: { "strata:purpose": purpose },
    }, { ...opts, protect: args.protect });
    new aws.s3.BucketOwnershipControls(id, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, opts);
    const publicAccess = new aws.s3.BucketPublicAccessBlock(id, {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    }, opts);
    new aws.s3.BucketServerSideEncryptionConfiguration(id, {
      bucket: bucket.id,
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.kmsKeyArn }, bucketKeyEnabled: true }],
    }, opts);
    const versioning = new aws.s3.BucketVersioning(id, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, opts);
    new aws.s3.BucketLifecycleConfiguration(id, { bucket: bucket.id, rules: lifecycleRules(purpose, settings) }, { ...opts, dependsOn: [versioning] });
    new aws.s3.BucketPolicy(id, { bucket: bucket.id, policy: bucket.arn.apply((arn) => JSON.stringify(tlsOnlyPolicy(arn))) }, { ...opts, dependsOn: [publicAccess] });
    refs[purpose] = { name: bucket.bucket, arn: bucket.arn };
  }
  return refs;
}
