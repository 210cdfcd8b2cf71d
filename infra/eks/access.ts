/**
 * Cluster access through EKS access entries (no aws-auth ConfigMap): each admin principal from
 * config, and optionally the identity running `pulumi up`, gets the cluster-admin access policy.
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
  /** Also grant the deploying identity (its role, not the session) cluster admin. */
  readonly enableDeployerAdmin: boolean;
}

/** ARN of an EKS access policy. */
export function accessPolicyArn(partition: string, policy: string): string {
  return `arn:${partition}:eks::aws:cluster-access-policy/${policy}`;
}

/** Creates the entries; returns them so outputs can wait until access is in place. */
export function createAccess(name: string, args: AccessArgs, opts: ChildOptions): aws.eks.AccessPolicyAssociation[] {
  const principals: [string, pulumi.Input<string>][] = Object.entries(args.adminPrincipals).map(([key, arn]) => [key, arn]);
  if (args.enableDeployerAdmin) {
    const caller = aws.getCallerIdentityOutput({}, opts);
    const session = aws.iam.getSessionContextOutput({ arn: caller.arn }, opts);
    principals.push(["deployer", session.issuerArn]);
  }
  const policyArn = args.account.partition.apply((p) => accessPolicyArn(p, "AmazonEKSClusterAdminPolicy"));
  return principals.map(([key, principalArn]) => {
    const entry = new aws.eks.AccessEntry(`${name}-admin-${key}`, { clusterName: args.clusterName, principalArn, type: "STANDARD" }, opts);
    return new aws.eks.AccessPolicyAssociation(`${name}-admin-${key}`, {
      clusterName: args.clusterName,
      principalArn: entry.principalArn,
      policyArn,
      accessScope: { type: "cluster" },
    }, opts);
  });
}
