/**
 * IAM roles assumed through IRSA (the cluster's OIDC provider) for workloads whose software does
 * not speak EKS Pod Identity yet: the Barman Cloud plugin archiving PostgreSQL to the backups
 * bucket. Each role trusts exactly one service account and reaches one bucket prefix.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { IRSA_SERVICE_ACCOUNTS } from "../../lib/service-accounts";
import type { ChildOptions, PolicyDocument } from "./types";

/** Prefix of the backups bucket PostgreSQL base backups and WAL go to. */
export const POSTGRES_BACKUP_PREFIX = "postgres/";

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

/** Barman Cloud: objects under one prefix of the backups bucket, listing limited to it, the bucket key. */
export function prefixBackupPolicy(bucketArn: string, prefix: string, keyArn: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "BackupObjects", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"], Resource: `${bucketArn}/${prefix}*` },
      { Sid: "ListPrefix", Effect: "Allow", Action: "s3:ListBucket", Resource: bucketArn, Condition: { StringLike: { "s3:prefix": [`${prefix}*`, prefix] } } },
      { Sid: "LocateBucket", Effect: "Allow", Action: "s3:GetBucketLocation", Resource: bucketArn },
      { Sid: "EncryptBackups", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"], Resource: keyArn },
    ],
  };
}

export interface IrsaRolesArgs {
  readonly clusterName: string;
  readonly oidcProviderArn: pulumi.Output<string>;
  readonly oidcIssuerUrl: pulumi.Output<string>;
  /** Backups bucket; without it no role is created. */
  readonly backupsBucketArn?: pulumi.Output<string>;
  readonly kmsKeyArn: pulumi.Output<string>;
}

/** Roles by workload (`postgresBackups`); empty without a backups bucket. */
export function createIrsaRoles(name: string, args: IrsaRolesArgs, opts: ChildOptions): Record<string, aws.iam.Role> {
  if (args.backupsBucketArn === undefined) return {};
  const subject = IRSA_SERVICE_ACCOUNTS.postgresBackups;
  const role = new aws.iam.Role(`${name}-postgres-backups`, {
    description: `${subject.namespace}/${subject.serviceAccount} on ${args.clusterName} (IRSA): PostgreSQL backups`,
    assumeRolePolicy: pulumi.all([args.oidcProviderArn, args.oidcIssuerUrl]).apply(([arn, url]) => JSON.stringify(irsaTrust(arn, url, subject.namespace, subject.serviceAccount))),
  }, opts);
  new aws.iam.RolePolicy(`${name}-postgres-backups`, {
    role: role.id,
    policy: pulumi.all([args.backupsBucketArn, args.kmsKeyArn]).apply(([bucket, key]) => JSON.stringify(prefixBackupPolicy(bucket, POSTGRES_BACKUP_PREFIX, key))),
  }, opts);
  return { postgresBackups: role };
}
