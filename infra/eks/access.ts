/**
 * Cluster access through EKS access entries (no aws-auth ConfigMap): each admin principal from
 * config, and optionally the deployer (`deployer.ts` resolves which principal that is), gets the
 * cluster-admin access policy. A deployer that is also an admin principal gets no second entry.
 */
import * as aws from "../../lib/aws";
import type * as pulumi from "@pulumi/pulumi";
import { adminCoveringDeployer, type DeployerPrincipal } from "./deployer";
import type { AwsAccount, ChildOptions } from "./types";

export interface AccessArgs {
  /** The cluster resource's name, so entries wait for the cluster. */
  readonly clusterName: pulumi.Input<string>;
  /** Partition for the access policy ARN. */
  readonly account: AwsAccount;
  /** IAM role or user ARNs keyed by a short name used in resource names. */
  readonly adminPrincipals: Readonly<Record<string, string>>;
  /** The deployer's principal, granted cluster admin unless an admin principal already is it. @default - no deployer entry */
  readonly deployer?: DeployerPrincipal;
}

/** ARN of an EKS access policy. */
export function accessPolicyArn(partition: string, policy: string): string {
  return `arn:${partition}:eks::aws:cluster-access-policy/${policy}`;
}

/** Creates the entries; returns them so outputs can wait until access is in place. */
export function createAccess(name: string, args: AccessArgs, opts: ChildOptions): aws.eks.AccessPolicyAssociation[] {
  const principals: [string, string, boolean][] = Object.entries(args.adminPrincipals).map(([key, arn]) => [key, arn, false]);
  if (args.deployer !== undefined && adminCoveringDeployer(args.deployer, args.adminPrincipals) === undefined) {
    // Not from config: the entry of a stack created before the principal was recorded keeps its
    // first principal even if another identity runs this update.
    principals.push(["deployer", args.deployer.principalArn, args.deployer.source !== "config"]);
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
