/**
 * IAM roles assumed through IRSA (the cluster's OIDC provider) for workloads whose software does
 * not speak EKS Pod Identity, or documents only IRSA: the Barman Cloud plugin archiving PostgreSQL
 * to the backups bucket, PBM and the Percona operator for MongoDB (PBM's S3 client prefers
 * `AWS_ROLE_ARN`/`AWS_WEB_IDENTITY_TOKEN_FILE` when set: percona-backup-mongodb v2.12.0
 * `pbm/storage/s3/s3.go` `s3client`), Loki and Tempo keeping logs and traces in theirs. Each role trusts
 * exactly one service account and reaches one bucket (or one prefix of it).
 */
import * as aws from "../../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import { BACKUP_PREFIXES } from "../../lib/bucket-layout";
import { IRSA_SERVICE_ACCOUNTS } from "../../lib/service-accounts";
import { LOKI_S3_ACTIONS, telemetryStorePolicy, TEMPO_S3_ACTIONS } from "./policies";
import type { ChildOptions, PolicyDocument, PolicyStatement } from "./types";

/** Trust: web identity from the cluster's OIDC issuer, for one namespace/service account, audience STS. */
export function irsaTrust(oidcProviderArn: string, issuerUrl: string, namespace: string, serviceAccount: string): PolicyDocument {
  const issuer = issuerUrl.replace(/^https:\/\//, "");
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Federated: oidcProviderArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: { StringEquals: { [`${issuer}:sub`]: `system:serviceaccount:${namespace}:${serviceAccount}`, [`${issuer}:aud`]: "sts.amazonaws.com" } },
      },
    ],
  };
}

/**
 * Barman Cloud: objects under one prefix of the backups bucket, listing limited to it, the
 * bucket's key through S3; only what the barman-cloud-* commands call
 * (platform/postgres/backup-calls.ts `barmanCloudCalls`).
 *
 * barman-cloud-check-wal-archive, which the plugin runs before a new cluster's first WAL is
 * archived, and every command's `--test` check the bucket with HeadBucket (barman
 * `barman/cloud_providers/aws_s3.py`, `_check_bucket_existence`). IAM authorises it as
 * `s3:ListBucket` with no `s3:prefix` in the request, which a prefix condition alone refuses, and
 * with it WAL archiving and every backup. IAM cannot tell HeadBucket from a listing that sends no
 * prefix, so that listing (key names of the bucket, never their contents) is allowed too; a
 * listing of another writer's prefix is not, nor any object outside this prefix.
 */
export function prefixBackupPolicy(bucketArn: string, prefix: string, keyArn: string, region: string, access: BackupAccess = BACKUP_ACCESS.barman): PolicyDocument {
  const findBucket: PolicyStatement = { Sid: "FindBucket", Effect: "Allow", Action: "s3:ListBucket", Resource: bucketArn, Condition: { Null: { "s3:prefix": "true" } } };
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "BackupObjects", Effect: "Allow", Action: [...access.objectActions], Resource: `${bucketArn}/${prefix}*` },
      ...(access.findBucket ? [findBucket] : []),
      { Sid: "ListPrefix", Effect: "Allow", Action: "s3:ListBucket", Resource: bucketArn, Condition: { StringLike: { "s3:prefix": [`${prefix}*`, prefix] } } },
      // SSE-KMS by the bucket's default: S3 asks for data keys on writes and decrypts on reads
      // and when completing a multipart upload, as the caller.
      { Sid: "BucketKeyThroughS3", Effect: "Allow", Action: [...access.keyActions], Resource: keyArn, Condition: { StringEquals: { "kms:ViaService": `s3.${region}.amazonaws.com` } } },
    ],
  };
}

/** What one backup client may do under its prefix: object actions, HeadBucket, the key through S3. */
export interface BackupAccess {
  readonly objectActions: readonly string[];
  /** HeadBucket (a listing with no prefix). */
  readonly findBucket: boolean;
  readonly keyActions: readonly string[];
}

/**
 * Per client, exactly what its call sequence uses. `barman`: see above; it aborts a failed
 * multipart upload. `pbmAgent`: PBM's agents write, read and delete, never send HeadBucket or a
 * listing without their prefix, and leave the parts of a failed upload (`LeavePartsOnError`, the
 * bucket's lifecycle aborts them): platform/mongodb/backup-calls.ts. `pbmOperator`: the Percona
 * operator for MongoDB only reads and deletes what the agents wrote.
 */
export const BACKUP_ACCESS = {
  barman: { objectActions: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"], findBucket: true, keyActions: ["kms:GenerateDataKey", "kms:Decrypt"] },
  pbmAgent: { objectActions: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], findBucket: false, keyActions: ["kms:GenerateDataKey", "kms:Decrypt"] },
  pbmOperator: { objectActions: ["s3:GetObject", "s3:DeleteObject"], findBucket: false, keyActions: ["kms:Decrypt"] },
} as const satisfies Record<string, BackupAccess>;

export interface IrsaRolesArgs {
  readonly clusterName: string;
  /** Region of the buckets (the S3 endpoint the key is used through). */
  readonly region: string;
  readonly oidcProviderArn: pulumi.Output<string>;
  readonly oidcIssuerUrl: pulumi.Output<string>;
  /** Backups bucket; without it no PostgreSQL or MongoDB backup role is created. @default - none */
  readonly backupsBucketArn?: pulumi.Output<string>;
  /** Logs bucket; without it no Loki role is created. @default - none */
  readonly logsBucketArn?: pulumi.Output<string>;
  /** Traces bucket; without it no Tempo role is created. @default - none */
  readonly tracesBucketArn?: pulumi.Output<string>;
  readonly kmsKeyArn: pulumi.Output<string>;
}

export type IrsaWorkload = keyof typeof IRSA_SERVICE_ACCOUNTS;

/** Short kebab-case names for resource names; IAM role names stay within 64 characters. */
const RESOURCE_NAMES: Readonly<Record<IrsaWorkload, string>> = {
  postgresBackups: "postgres-backups",
  mongodbBackups: "mongodb-backups",
  mongodbOperator: "mongodb-operator",
  logs: "loki",
  traces: "tempo",
};
const PURPOSES: Readonly<Record<IrsaWorkload, string>> = {
  postgresBackups: "PostgreSQL backups",
  mongodbBackups: "MongoDB backups (PBM agents)",
  mongodbOperator: "MongoDB backup retention (Percona operator)",
  logs: "Loki log store",
  traces: "Tempo trace store",
};

/** Roles by workload (`postgresBackups`, `mongodbBackups`, `mongodbOperator`, `logs`, `traces`), each only where its bucket exists. */
export function createIrsaRoles(name: string, args: IrsaRolesArgs, opts: ChildOptions): Partial<Record<IrsaWorkload, aws.iam.Role>> {
  const policies: Partial<Record<IrsaWorkload, pulumi.Output<PolicyDocument>>> = {};
  if (args.backupsBucketArn !== undefined) {
    const backups = pulumi.all([args.backupsBucketArn, args.kmsKeyArn]);
    policies.postgresBackups = backups.apply(([bucket, key]) => prefixBackupPolicy(bucket, BACKUP_PREFIXES.postgres, key, args.region));
    policies.mongodbBackups = backups.apply(([bucket, key]) => prefixBackupPolicy(bucket, BACKUP_PREFIXES.mongodb, key, args.region, BACKUP_ACCESS.pbmAgent));
    policies.mongodbOperator = backups.apply(([bucket, key]) => prefixBackupPolicy(bucket, BACKUP_PREFIXES.mongodb, key, args.region, BACKUP_ACCESS.pbmOperator));
  }
  if (args.logsBucketArn !== undefined) {
    policies.logs = pulumi.all([args.logsBucketArn, args.kmsKeyArn]).apply(([bucket, key]) => telemetryStorePolicy(bucket, key, LOKI_S3_ACTIONS, args.region));
  }
  if (args.tracesBucketArn !== undefined) {
    policies.traces = pulumi.all([args.tracesBucketArn, args.kmsKeyArn]).apply(([bucket, key]) => telemetryStorePolicy(bucket, key, TEMPO_S3_ACTIONS, args.region));
  }
  const roles: Partial<Record<IrsaWorkload, aws.iam.Role>> = {};
  for (const [workload, policy] of Object.entries(policies) as [IrsaWorkload, pulumi.Output<PolicyDocument>][]) {
    const subject = IRSA_SERVICE_ACCOUNTS[workload];
    const id = `${name}-${RESOURCE_NAMES[workload]}`;
    const role = new aws.iam.Role(id, {
      description: `${subject.namespace}/${subject.serviceAccount} on ${args.clusterName} (IRSA): ${PURPOSES[workload]}`,
      assumeRolePolicy: pulumi.all([args.oidcProviderArn, args.oidcIssuerUrl]).apply(([arn, url]) => JSON.stringify(irsaTrust(arn, url, subject.namespace, subject.serviceAccount))),
    }, opts);
    new aws.iam.RolePolicy(id, { role: role.id, policy: policy.apply((doc) => JSON.stringify(doc)) }, opts);
    roles[workload] = role;
  }
  return roles;
}
