/**
 * The cluster's customer-managed KMS key: envelope encryption of Kubernetes Secrets, node root
 * volumes, the control-plane log group and the S3 buckets. Rotated yearly by AWS.
 */
import * as aws from "../../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AwsAccount, ChildOptions, PolicyDocument } from "./types";

export interface KmsKeyArgs {
  /** Cluster name, used in the alias and the log group the key may encrypt. */
  readonly clusterName: string;
  /** Account, partition and region the key policy names. */
  readonly account: AwsAccount;
  /** Retain the key on `destroy` (`protect`). */
  readonly protect: boolean;
}

const KEY_USE = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"];

/**
 * Key policy: the account administers the key through IAM; any principal of the account may use
 * it through EC2 (the pattern of the AWS-managed EBS key), which covers node group volumes launched
 * by EC2 Auto Scaling, Karpenter's EC2 Fleet launches and the EBS CSI driver without naming
 * service-linked roles that may not exist yet; CloudWatch Logs may use it for this cluster's log
 * group only.
 */
export function keyPolicy(accountId: string, partition: string, region: string, clusterName: string): PolicyDocument {
  const throughEc2 = { StringEquals: { "kms:CallerAccount": accountId, "kms:ViaService": `ec2.${region}.amazonaws.com` } };
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "AccountAdministersKey", Effect: "Allow", Principal: { AWS: `arn:${partition}:iam::${accountId}:root` }, Action: "kms:*", Resource: "*" },
      { Sid: "AccountUsesKeyThroughEc2", Effect: "Allow", Principal: { AWS: "*" }, Action: [...KEY_USE, "kms:CreateGrant"], Resource: "*", Condition: throughEc2 },
      {
        Sid: "LogsEncryptClusterLogGroup",
        Effect: "Allow",
        Principal: { Service: `logs.${region}.amazonaws.com` },
        Action: KEY_USE,
        Resource: "*",
        Condition: { ArnEquals: { "kms:EncryptionContext:aws:logs:arn": `arn:${partition}:logs:${region}:${accountId}:log-group:${logGroupName(clusterName)}` } },
      },
    ],
  };
}

/** Name EKS writes control-plane logs to; strata creates it first to own its retention. */
export function logGroupName(clusterName: string): string {
  return `/aws/eks/${clusterName}/cluster`;
}

export function createKmsKey(name: string, args: KmsKeyArgs, opts: ChildOptions): aws.kms.Key {
  const { accountId, partition, region } = args.account;
  const key = new aws.kms.Key(`${name}-kms`, {
    description: `strata ${args.clusterName}: Kubernetes secrets, node volumes, logs and buckets`,
    enableKeyRotation: true,
    rotationPeriodInDays: 365,
    deletionWindowInDays: 30,
    policy: pulumi.all([accountId, partition]).apply(([account, part]) => JSON.stringify(keyPolicy(account, part, region, args.clusterName))),
  }, { ...opts, protect: args.protect });
  new aws.kms.Alias(`${name}-kms`, { name: `alias/strata/${args.clusterName}`, targetKeyId: key.keyId }, opts);
  return key;
}
