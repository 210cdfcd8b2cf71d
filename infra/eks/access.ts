/**
 * Cluster access through EKS access entries (no aws-auth ConfigMap): each admin principal from
 * config, and optionally the deployer, gets the cluster-admin access policy. The deployer is the
 * configured `deployerPrincipal`, else the role of the first identity that ran `pulumi up`: a later
 * `up` by someone else keeps that entry instead of moving it (and locking the first out).
 */
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { AwsAccount, ChildOptions } from "./types";

export interface AccessArgs {
  /** The cluster resource's name, so entries wait for the cluster. */
  readonly clusterName: pulumi.Input<string>;
  /** Partition for the access policy ARN. */
  readonly account: AwsAccount;
  /** IAM role or user ARNs keyed by a short name used in resource names. */
  readonly adminPrincipals: Readonly<Record<string, string>>;
  /** Also grant the deployer cluster admin. */
  readonly enableDeployerAdmin: boolean;
  /** IAM role or user of the deployer entry. @default - the first deploying identity's role, then kept */
  readonly deployerPrincipal?: string;
}

/** ARN of an EKS access policy. */
export function accessPolicyArn(partition: string, policy: string): string {
  return `arn:${partition}:eks::aws:cluster-access-policy/${policy}`;
}

/** Creates the entries; returns them so outputs can wait until access is in place. */
export function createAccess(name: string, args: AccessArgs, opts: ChildOptions): aws.eks.AccessPolicyAssociation[] {
  const principals: [string, pulumi.Input<string>, boolean][] = Object.entries(args.adminPrincipals).map(([key, arn]) => [key, arn, false]);
  if (args.enableDeployerAdmin && args.deployerPrincipal !== undefined) {
    principals.push(["deployer", args.deployerPrincipal, false]);
  } else if (args.enableDeployerAdmin) {
    const caller = aws.getCallerIdentityOutput({}, opts);
    const session = aws.iam.getSessionContextOutput({ arn: caller.arn }, opts);
    principals.push(["deployer", session.issuerArn, true]);
  }
  const policyArn = args.account.partition.apply((p) => accessPolicyArn(p, "AmazonEKSClusterAdminPolicy"));
  return principals.map(([key, principalArn, keepFirst]) => {
    const entry = new aws.eks.AccessEntry(`${name}-admin-${key}`, { clusterName: args.clusterName, principalArn, type: "STANDARD" }, {
      ...opts,
      ...(keepFirst ? { ignoreChanges: ["principalArn"] } : {}),
    });
    return new aws.eks.AccessPolicyAssociation(`${name}-admin-${key}`, {
      clusterName: args.clusterName,
      principalArn: entry.principalArn,
      policyArn,
      accessScope: { type: "cluster" },
    }, opts);
  });
}
