/**
 * The EKS backend: VPC, KMS key, control plane, access entries, managed node groups, add-ons,
 * Pod Identity roles, Karpenter's AWS side and S3 buckets, all through one explicit AWS provider
 * that tags everything it creates. Returns the `InfraOutputs` contract.
 */
import * as aws from "../../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import type { EksInfraConfig } from "../../config/infra/eks";
import { ENVIRONMENT_DEFAULTS, type Environment } from "../../config/schema";
import type { EksExtras, InfraOutputs, PodIdentityBinding } from "../../lib/contracts";
import { MANAGED_BY, PART_OF } from "../../lib/labels";
import { createAccess } from "./access";
import { AFTER_COMPUTE, BEFORE_COMPUTE, createAddons, IDENTITY_AGENT } from "./addons";
import { createBuckets } from "./buckets";
import { createIrsaRoles, type IrsaWorkload } from "./irsa-roles";
import { createControlPlane } from "./cluster";
import type { DeployerPrincipal } from "./deployer";
import { createEndpointAccess } from "./endpoint-access";
import { createKarpenterAws } from "./karpenter-aws";
import { createKmsKey } from "./kms";
import { clusterKubeconfig } from "./kubeconfig";
import { createNetwork } from "./network";
import { createNodeGroups } from "./node-groups";
import { CONTROLLER_SERVICE_ACCOUNTS, IRSA_SERVICE_ACCOUNTS } from "../../lib/service-accounts";
import { createPodIdentity, type PodIdentityController } from "./pod-identity";
import type { AwsAccount, ChildOptions } from "./types";
import { createVpcCniRole, VPC_CNI_SERVICE_ACCOUNT } from "./vpc-cni-role";

export interface EksClusterArgs {
  /** The parsed `strata:infra` slice with `backend: eks`. */
  readonly config: EksInfraConfig;
  /** Environment the stack deploys; picks NAT and deletion-protection defaults. */
  readonly environment: Environment;
  /** AWS region from `aws:region`. */
  readonly region: string;
  /** Keep the KMS key and buckets on `destroy` (`protect`). @default - true in prod */
  readonly protectStatefulResources: boolean;
  /** Principal of the deployer's cluster-admin entry (`resolveDeployerPrincipal`). @default - no deployer entry */
  readonly deployer?: DeployerPrincipal;
}

/** Tags every AWS resource strata creates carries, through the provider's default tags. */
export function defaultTags(clusterName: string, environment: Environment): Record<string, string> {
  return { "strata:cluster": clusterName, "strata:environment": environment, "app.kubernetes.io/managed-by": MANAGED_BY, "app.kubernetes.io/part-of": PART_OF };
}

export class EksCluster extends pulumi.ComponentResource {
  public readonly outputs: InfraOutputs;
  public readonly clusterArn: pulumi.Output<string>;

  constructor(name: string, args: EksClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("strata:infra:EksCluster", name, {}, opts);
    const { clusterName, kubernetesVersion, network: clusterNetwork, eks } = args.config;
    const tags = defaultTags(clusterName, args.environment);
    const provider = new aws.Provider(`${name}-aws`, { region: args.region as aws.Region, defaultTags: { tags } }, { parent: this });
    const child: ChildOptions = { parent: this, provider };
    const envDefaults = ENVIRONMENT_DEFAULTS[args.environment];

    const caller = aws.getCallerIdentityOutput({}, child);
    const account: AwsAccount = { accountId: caller.accountId, partition: aws.getPartitionOutput({}, child).partition, region: args.region };
    const key = createKmsKey(name, { clusterName, account, protect: args.protectStatefulResources }, child);

    const network = createNetwork(name, {
      clusterName,
      // Pinned in config (the parser defaults them from the region), never re-read from the
      // account: a changed zone list would move, that is replace, subnets.
      zones: eks.availabilityZones ?? [],
      region: args.region,
      vpcCidr: eks.vpcCidr,
      natMode: eks.natMode ?? envDefaults.natMode,
      ...(eks.existingVpc === undefined ? {} : { existing: eks.existingVpc }),
    }, child);

    const { cluster } = createControlPlane(name, {
      clusterName,
      kubernetesVersion,
      account,
      kmsKeyArn: key.arn,
      subnetIds: network.privateSubnetIds,
      serviceCidr: clusterNetwork.serviceCidr,
      publicAccessCidrs: eks.endpoint.publicAccess ? eks.endpoint.publicAccessCidrs : [],
      auditLogRetentionDays: eks.auditLogRetentionDays,
      deletionProtection: eks.deletionProtection ?? envDefaults.deletionProtection,
      upgradePolicy: eks.upgradePolicy ?? "STANDARD",
    }, child);

    const endpointAccess = createEndpointAccess(name, {
      clusterSecurityGroupId: cluster.vpcConfig.clusterSecurityGroupId,
      cidrs: eks.endpoint.privateAccessCidrs,
      securityGroupIds: eks.endpoint.privateAccessSecurityGroupIds,
    }, child);

    // One per account, needed before the first spot launch; other stacks may rely on it, so it stays on destroy.
    if (eks.createSpotServiceLinkedRole) {
      new aws.iam.ServiceLinkedRole(`${name}-spot`, { awsServiceName: "spot.amazonaws.com" }, { ...child, retainOnDelete: true });
    }
    const karpenter = eks.enableKarpenter ? createKarpenterAws(name, { clusterName, cluster, account }, child) : undefined;
    const buckets = createBuckets(name, {
      clusterName,
      accountId: account.accountId,
      kmsKeyArn: key.arn,
      settings: eks.buckets,
      protect: args.protectStatefulResources,
    }, child);
    const identity = createPodIdentity(name, {
      clusterName,
      cluster,
      account,
      kmsKeyArn: key.arn,
      ...(karpenter === undefined ? {} : { karpenter: { nodeRoleArn: karpenter.nodeRole.arn, queueArn: karpenter.queue.arn } }),
      ...(buckets.backups === undefined ? {} : { backupsBucketArn: buckets.backups.arn }),
    }, child);

    const irsa = createIrsaRoles(name, {
      clusterName,
      region: args.region,
      oidcProviderArn: identity.oidcProvider.arn,
      oidcIssuerUrl: identity.oidcProvider.url,
      kmsKeyArn: key.arn,
      ...(buckets.backups === undefined ? {} : { backupsBucketArn: buckets.backups.arn }),
      ...(buckets.logs === undefined ? {} : { logsBucketArn: buckets.logs.arn }),
      ...(buckets.traces === undefined ? {} : { tracesBucketArn: buckets.traces.arn }),
    }, child);

    // aws-node gets its AWS permissions from its own role, not the node role: the agent first, then
    // the add-on with the association and the role's policy attached, then the nodes.
    const agent = createAddons(name, { clusterName: cluster.name, kubernetesVersion, names: IDENTITY_AGENT }, child);
    const cni = createVpcCniRole(name, { clusterName, cluster, account }, child);
    const networking = [
      ...agent,
      ...createAddons(name, {
        clusterName: cluster.name,
        kubernetesVersion,
        names: BEFORE_COMPUTE,
        dependsOn: [...agent, cni.attachment],
        podIdentityAssociations: { "vpc-cni": [{ serviceAccount: VPC_CNI_SERVICE_ACCOUNT.serviceAccount, roleArn: cni.role.arn }] },
      }, child),
    ];
    const nodes = createNodeGroups(name, {
      clusterName: cluster.name,
      discoveryName: clusterName,
      kubernetesVersion,
      account,
      groups: eks.nodeGroups,
      subnetIds: network.privateSubnetIds,
      vpcId: network.vpcId,
      clusterSecurityGroupId: cluster.vpcConfig.clusterSecurityGroupId,
      kmsKeyArn: key.arn,
      instanceTags: tags,
      dependsOn: networking,
    }, child);
    const workloads = createAddons(name, {
      clusterName: cluster.name,
      kubernetesVersion,
      names: AFTER_COMPUTE,
      dependsOn: [...nodes.groups, ...Object.values(identity.associations)],
    }, child);
    const access = createAccess(name, {
      clusterName: cluster.name,
      account,
      adminPrincipals: eks.adminPrincipals,
      ...(args.deployer === undefined ? {} : { deployer: args.deployer }),
    }, child);

    // Consumers of the endpoint wait until admins can use it, the deployer's network may reach it and the add-ons are running.
    const gates = [...access, ...endpointAccess, ...networking, ...workloads].map((resource) => resource.id);
    const apiEndpoint = pulumi.all(gates).apply(() => cluster.endpoint);
    const podIdentities: Record<string, PodIdentityBinding> = Object.fromEntries(
      Object.entries(identity.roles).map(([controller, role]) => [controller, { ...CONTROLLER_SERVICE_ACCOUNTS[controller as PodIdentityController], roleArn: role.arn }]),
    );
    const extras: EksExtras = {
      region: args.region,
      accountId: account.accountId,
      clusterArn: cluster.arn,
      oidcProviderArn: identity.oidcProvider.arn,
      oidcIssuerUrl: identity.oidcProvider.url,
      vpcId: network.vpcId,
      privateSubnetIds: network.privateSubnetIds,
      publicSubnetIds: network.publicSubnetIds,
      nodeRoleArn: nodes.role.arn,
      nodeRoleName: nodes.role.name,
      nodeSecurityGroupId: nodes.securityGroup.id,
      clusterSecurityGroupId: cluster.vpcConfig.clusterSecurityGroupId,
      kmsKeyArn: key.arn,
      buckets,
      podIdentities,
      irsaRoles: Object.fromEntries(Object.entries(irsa).map(([workload, role]) => [workload, { ...IRSA_SERVICE_ACCOUNTS[workload as IrsaWorkload], roleArn: role.arn }])),
      ...(karpenter === undefined ? {} : { karpenter: { interruptionQueueName: karpenter.queue.name, nodeRoleName: karpenter.nodeRole.name } }),
    };

    this.clusterArn = cluster.arn;
    this.outputs = {
      backend: "eks",
      clusterName,
      kubernetesVersion,
      kubeconfig: clusterKubeconfig(cluster, args.region),
      apiEndpoint,
      nodePools: nodes.pools,
      network: {
        serviceCidr: clusterNetwork.serviceCidr,
        dnsDomain: clusterNetwork.dnsDomain,
        ...(network.vpcCidr === undefined ? {} : { nodeCidr: network.vpcCidr }),
      },
      eks: extras,
      ready: apiEndpoint.apply(() => true),
    };
    this.registerOutputs({ clusterArn: this.clusterArn, apiEndpoint, kubeconfig: this.outputs.kubeconfig });
  }
}
