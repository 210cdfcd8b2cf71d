/**
 * AWS access for in-cluster controllers through EKS Pod Identity: one least-privilege role and
 * one association per controller's service account. The cluster's OIDC provider is kept as well,
 * for charts that only speak IRSA.
 */
import * as aws from "../../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { BACKUP_PREFIXES, VELERO_VOLUME_SNAPSHOTS } from "../../lib/bucket-layout";
import { CONTROLLER_SERVICE_ACCOUNTS } from "../../lib/service-accounts";
import { EBS_CSI_MANAGED_POLICY, ebsCsiKmsPolicy, karpenterControllerPolicy, loadBalancerControllerPolicy, veleroPolicy } from "./policies";
import { podIdentityTrust } from "../../lib/aws-calls";
import { managedPolicyArn, type AwsAccount, type ChildOptions, type PolicyDocument } from "./types";

export const POD_IDENTITY_CONTROLLERS = ["ebsCsi", "loadBalancerController", "karpenter", "velero"] as const satisfies readonly (keyof typeof CONTROLLER_SERVICE_ACCOUNTS)[];
export type PodIdentityController = (typeof POD_IDENTITY_CONTROLLERS)[number];

/** Short kebab-case names for resource names; IAM role names stay within 64 characters. */
const RESOURCE_NAMES: Readonly<Record<PodIdentityController, string>> = {
  ebsCsi: "ebs-csi",
  loadBalancerController: "lb-controller",
  karpenter: "karpenter",
  velero: "velero",
};

export interface PodIdentityArgs {
  /** Cluster name the policies scope writes to. */
  readonly clusterName: string;
  /** The cluster whose OIDC issuer and Pod Identity agent are used. */
  readonly cluster: aws.eks.Cluster;
  /** Account, partition and region the policies name. */
  readonly account: AwsAccount;
  /** Cluster key the EBS CSI driver and Velero encrypt with. */
  readonly kmsKeyArn: pulumi.Output<string>;
  /** Karpenter's node role and interruption queue; absent when Karpenter is off. */
  readonly karpenter?: { readonly nodeRoleArn: pulumi.Output<string>; readonly queueArn: pulumi.Output<string> };
  /** Backups bucket Velero writes to; absent when the bucket is off. */
  readonly backupsBucketArn?: pulumi.Output<string>;
}

export interface PodIdentity {
  readonly oidcProvider: aws.iam.OpenIdConnectProvider;
  readonly roles: Partial<Record<PodIdentityController, aws.iam.Role>>;
  readonly associations: Partial<Record<PodIdentityController, aws.eks.PodIdentityAssociation>>;
}

interface ControllerAccess {
  /** Inline policy written for this cluster. */
  readonly policy?: pulumi.Output<PolicyDocument>;
  /** AWS managed policies attached as they are. */
  readonly managed?: readonly string[];
}

export function createPodIdentity(name: string, args: PodIdentityArgs, opts: ChildOptions): PodIdentity {
  const issuer = args.cluster.identities.apply((ids) => ids[0]?.oidcs[0]?.issuer ?? "");
  const certificate = tls.getCertificateOutput({ url: issuer }, { parent: opts.parent });
  const oidcProvider = new aws.iam.OpenIdConnectProvider(`${name}-oidc`, {
    url: issuer,
    clientIdLists: ["sts.amazonaws.com"],
    thumbprintLists: certificate.certificates.apply((certs) => (certs[0] ? [certs[0].sha1Fingerprint] : [])),
  }, opts);

  const { partition, region, accountId } = args.account;
  const access: Partial<Record<PodIdentityController, ControllerAccess>> = {
    ebsCsi: { managed: [EBS_CSI_MANAGED_POLICY], policy: args.kmsKeyArn.apply(ebsCsiKmsPolicy) },
    loadBalancerController: {
      policy: pulumi.all([partition, accountId]).apply(([p, account]) => loadBalancerControllerPolicy({ partition: p, region, accountId: account, clusterName: args.clusterName })),
    },
  };
  if (args.karpenter) {
    access.karpenter = {
      policy: pulumi.all([partition, accountId, args.karpenter.nodeRoleArn, args.karpenter.queueArn, args.kmsKeyArn]).apply(([p, account, nodeRoleArn, queueArn, kmsKeyArn]) =>
        karpenterControllerPolicy({ partition: p, region, accountId: account, clusterName: args.clusterName, nodeRoleArn, queueArn, kmsKeyArn }),
      ),
    };
  }
  if (args.backupsBucketArn) {
    access.velero = { policy: pulumi.all([args.backupsBucketArn, args.kmsKeyArn]).apply(([bucket, key]) => veleroPolicy(bucket, key, BACKUP_PREFIXES.velero, { volumeSnapshots: VELERO_VOLUME_SNAPSHOTS })) };
  }

  const roles: PodIdentity["roles"] = {};
  const associations: PodIdentity["associations"] = {};
  for (const controller of POD_IDENTITY_CONTROLLERS) {
    const grant = access[controller];
    if (grant === undefined) continue;
    const subject = CONTROLLER_SERVICE_ACCOUNTS[controller];
    const id = `${name}-${RESOURCE_NAMES[controller]}`;
    const role = new aws.iam.Role(id, {
      description: `${subject.namespace}/${subject.serviceAccount} on ${args.clusterName} (EKS Pod Identity)`,
      assumeRolePolicy: pulumi.all([accountId, args.cluster.arn]).apply(([account, clusterArn]) =>
        JSON.stringify(podIdentityTrust({ clusterName: args.clusterName, accountId: account, clusterArn, ...subject })),
      ),
    }, opts);
    const attached = (grant.managed ?? []).map((policy) => new aws.iam.RolePolicyAttachment(`${id}-${policy.split("/").pop() ?? policy}`, {
      role: role.name,
      policyArn: partition.apply((p) => managedPolicyArn(p, policy)),
    }, opts));
    const inline = grant.policy === undefined ? [] : [new aws.iam.RolePolicy(id, {
      role: role.id,
      policy: grant.policy.apply((doc) => JSON.stringify(doc)),
    }, opts)];
    roles[controller] = role;
    associations[controller] = new aws.eks.PodIdentityAssociation(id, {
      clusterName: args.cluster.name,
      namespace: subject.namespace,
      serviceAccount: subject.serviceAccount,
      roleArn: role.arn,
    }, { ...opts, dependsOn: [...attached, ...inline] });
  }
  return { oidcProvider, roles, associations };
}
