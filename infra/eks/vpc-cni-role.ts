/**
 * The VPC CNI's own AWS identity: an IAM role with `AmazonEKS_CNI_Policy`, bound to
 * `kube-system/aws-node` through EKS Pod Identity by the vpc-cni add-on itself, so the node role
 * (and with it every process on a node) no longer carries the ENI and IP address permissions.
 *
 * The add-on owns the association (EKS user guide, "Use Pod Identities to assign an IAM role to an
 * Amazon EKS add-on": the vpc-cni add-on supports Pod Identity from v1.15.5-eksbuild.1; the Pod
 * Identity agent must be set up first; changing an add-on's associations makes EKS restart the
 * add-on's pods, so running aws-node pods pick up the role). The cluster is IPv4 only
 * (`cluster.ts`), so the IPv6 variant of the policy is not attached.
 */
import * as aws from "../../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import { podIdentityTrust } from "../../lib/aws-calls";
import { managedPolicyArn, type AwsAccount, type ChildOptions } from "./types";

/** The managed policy the VPC CNI's role carries (IPv4 clusters). */
export const VPC_CNI_MANAGED_POLICY = "AmazonEKS_CNI_Policy";
/** The service account the vpc-cni add-on's DaemonSet runs as. */
export const VPC_CNI_SERVICE_ACCOUNT = { namespace: "kube-system", serviceAccount: "aws-node" } as const;

export interface VpcCniRoleArgs {
  /** Cluster name as configured; the trust's session tags name it. */
  readonly clusterName: string;
  /** The cluster whose associations may assume the role. */
  readonly cluster: aws.eks.Cluster;
  /** Account and partition the trust and the policy ARN name. */
  readonly account: AwsAccount;
}

export interface VpcCniRole {
  readonly role: aws.iam.Role;
  /** The policy attachment; the add-on waits for it, so aws-node never starts on a role without it. */
  readonly attachment: aws.iam.RolePolicyAttachment;
}

export function createVpcCniRole(name: string, args: VpcCniRoleArgs, opts: ChildOptions): VpcCniRole {
  const subject = VPC_CNI_SERVICE_ACCOUNT;
  const role = new aws.iam.Role(`${name}-vpc-cni`, {
    description: `${subject.namespace}/${subject.serviceAccount} on ${args.clusterName} (EKS Pod Identity)`,
    assumeRolePolicy: pulumi.all([args.account.accountId, args.cluster.arn]).apply(([accountId, clusterArn]) =>
      JSON.stringify(podIdentityTrust({ clusterName: args.clusterName, accountId, clusterArn, ...subject })),
    ),
  }, opts);
  const attachment = new aws.iam.RolePolicyAttachment(`${name}-vpc-cni-${VPC_CNI_MANAGED_POLICY}`, {
    role: role.name,
    policyArn: args.account.partition.apply((p) => managedPolicyArn(p, VPC_CNI_MANAGED_POLICY)),
  }, opts);
  return { role, attachment };
}
