/**
 * The EKS control plane: its IAM role, the control-plane log group (created first so strata owns
 * its retention and encryption) and the cluster itself, with API-only access entries, Secrets
 * envelope encryption and a private endpoint.
 */
import * as aws from "../../lib/aws";
import type * as pulumi from "@pulumi/pulumi";
import { logGroupName } from "./kms";
import { managedPolicyArn, serviceTrust, type AwsAccount, type ChildOptions, type PolicyDocument } from "./types";

/** Control-plane log types strata always ships to CloudWatch. */
export const CLUSTER_LOG_TYPES = ["api", "audit", "authenticator"] as const;

export interface ControlPlaneArgs {
  /** EKS cluster name. */
  readonly clusterName: string;
  /** Kubernetes minor version from the catalog or config. */
  readonly kubernetesVersion: string;
  /** Partition for managed policy ARNs. */
  readonly account: AwsAccount;
  /** Key that envelope-encrypts Secrets and the log group. */
  readonly kmsKeyArn: pulumi.Output<string>;
  /** Subnets the control plane's network interfaces are placed in (the private ones). */
  readonly subnetIds: pulumi.Output<string[]>;
  /** ClusterIP range (`network.serviceCidr`). */
  readonly serviceCidr: string;
  /** Networks allowed to reach a public endpoint; empty keeps the endpoint private only. */
  readonly publicAccessCidrs: readonly string[];
  /** Days CloudWatch keeps control-plane logs. */
  readonly auditLogRetentionDays: number;
  /** Refuse deletion through the EKS API. */
  readonly deletionProtection: boolean;
  /** What EKS does when the version leaves standard support: upgrade itself (STANDARD) or stay, billed as extended (EXTENDED). */
  readonly upgradePolicy: "STANDARD" | "EXTENDED";
}

export interface ControlPlane {
  readonly cluster: aws.eks.Cluster;
  readonly role: aws.iam.Role;
  readonly logGroup: aws.cloudwatch.LogGroup;
}

/** Lets the control plane use the cluster key for Secrets envelope encryption, nothing more. */
export function clusterEncryptionPolicy(keyArn: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [{ Sid: "EnvelopeEncryption", Effect: "Allow", Action: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"], Resource: keyArn }],
  };
}

/** VPC settings: private endpoint always on; public only with an explicit allow-list. */
export function endpointAccess(publicAccessCidrs: readonly string[]): {
  endpointPrivateAccess: true;
  endpointPublicAccess: boolean;
  publicAccessCidrs?: string[];
} {
  return publicAccessCidrs.length === 0
    ? { endpointPrivateAccess: true, endpointPublicAccess: false }
    : { endpointPrivateAccess: true, endpointPublicAccess: true, publicAccessCidrs: [...publicAccessCidrs] };
}

export function createControlPlane(name: string, args: ControlPlaneArgs, opts: ChildOptions): ControlPlane {
  const role = new aws.iam.Role(`${name}-cluster`, {
    description: `EKS control plane of ${args.clusterName}`,
    assumeRolePolicy: JSON.stringify(serviceTrust("eks.amazonaws.com", ["sts:AssumeRole", "sts:TagSession"])),
  }, opts);
  const attachment = new aws.iam.RolePolicyAttachment(`${name}-cluster-policy`, {
    role: role.name,
    policyArn: args.account.partition.apply((p) => managedPolicyArn(p, "AmazonEKSClusterPolicy")),
  }, opts);
  const encryption = new aws.iam.RolePolicy(`${name}-cluster-encryption`, {
    role: role.id,
    policy: args.kmsKeyArn.apply((arn) => JSON.stringify(clusterEncryptionPolicy(arn))),
  }, opts);
  const logGroup = new aws.cloudwatch.LogGroup(`${name}-cluster-logs`, {
    name: logGroupName(args.clusterName),
    retentionInDays: args.auditLogRetentionDays,
    kmsKeyId: args.kmsKeyArn,
  }, opts);

  const cluster = new aws.eks.Cluster(`${name}-cluster`, {
    name: args.clusterName,
    version: args.kubernetesVersion,
    roleArn: role.arn,
    vpcConfig: { subnetIds: args.subnetIds, ...endpointAccess(args.publicAccessCidrs) },
    accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
    // Add-ons are EKS managed add-ons (addons.ts); no unmanaged copies are bootstrapped.
    bootstrapSelfManagedAddons: false,
    encryptionConfig: { provider: { keyArn: args.kmsKeyArn }, resources: ["secrets"] },
    enabledClusterLogTypes: [...CLUSTER_LOG_TYPES],
    kubernetesNetworkConfig: { ipFamily: "ipv4", serviceIpv4Cidr: args.serviceCidr },
    upgradePolicy: { supportType: args.upgradePolicy },
    deletionProtection: args.deletionProtection,
  }, { ...opts, dependsOn: [logGroup, attachment, encryption] });
  return { cluster, role, logGroup };
}
