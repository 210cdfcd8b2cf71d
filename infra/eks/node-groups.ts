/**
 * Managed node groups, one per config entry, on launch templates: AL2023, IMDSv2 required with
 * a hop limit of 1 (pods cannot reach node credentials), encrypted gp3 root volumes with the
 * cluster key, node labels and taints, rolling updates of a third of the group at a time.
 */
import * as aws from "../../lib/aws";
import type * as pulumi from "@pulumi/pulumi";
import { isBurstable, type EksNodeGroupConfig } from "../../config/infra/eks";
import { EKS_AMI_TYPES } from "../../lib/catalog";
import type { NodePool, Taint } from "../../lib/contracts";
import { INSTANCE_TYPES, isInstanceType } from "../../lib/instance-types";
import { nodeLabels, nodePoolOf } from "./node-pool";
import { managedPolicyArn, serviceTrust, type AwsAccount, type ChildOptions } from "./types";

/**
 * Managed policies every EKS node role carries. Not `AmazonEKS_CNI_Policy`: the VPC CNI has its
 * own role (`vpc-cni-role.ts`). `AmazonEKSWorkerNodePolicy` grants
 * `eks-auth:AssumeRoleForPodIdentity`, which the Pod Identity agent calls as the node.
 */
export const NODE_POLICIES = ["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryPullOnly"] as const;

const TAINT_EFFECTS: Record<Taint["effect"], string> = { NoSchedule: "NO_SCHEDULE", NoExecute: "NO_EXECUTE", PreferNoSchedule: "PREFER_NO_SCHEDULE" };

export interface NodeGroupsArgs {
  /** The cluster resource's name, so node groups wait for the control plane. */
  readonly clusterName: pulumi.Output<string>;
  /** Cluster name as configured, for the Karpenter discovery tag on the node security group. */
  readonly discoveryName: string;
  /** Kubernetes minor the nodes run; matches the control plane. */
  readonly kubernetesVersion: string;
  /** Partition for managed policy ARNs. */
  readonly account: AwsAccount;
  /** Node groups from config, keyed by name. */
  readonly groups: Readonly<Record<string, EksNodeGroupConfig>>;
  /** Private subnets the nodes run in. */
  readonly subnetIds: pulumi.Output<string[]>;
  /** VPC of the node security group. */
  readonly vpcId: pulumi.Output<string>;
  /** Security group EKS created for the cluster; nodes join it to reach the control plane. */
  readonly clusterSecurityGroupId: pulumi.Output<string>;
  /** Key encrypting the root volumes. */
  readonly kmsKeyArn: pulumi.Output<string>;
  /** Tags for instances, volumes and network interfaces (default tags do not reach them). */
  readonly instanceTags: Readonly<Record<string, string>>;
  /** Add-ons that must run before nodes join (vpc-cni, kube-proxy, pod identity agent). */
  readonly dependsOn: readonly pulumi.Resource[];
}

export interface NodeGroups {
  readonly role: aws.iam.Role;
  readonly securityGroup: aws.ec2.SecurityGroup;
  readonly groups: readonly aws.eks.NodeGroup[];
  readonly pools: readonly NodePool[];
}

/** Kubernetes taint effects in the spelling the EKS API uses. */
export function eksTaints(taints: readonly Taint[]): { key: string; value?: string; effect: string }[] {
  return taints.map((t) => ({ key: t.key, ...(t.value === undefined ? {} : { value: t.value }), effect: TAINT_EFFECTS[t.effect] }));
}

/**
 * The launch template's credit setting: explicit for burstable groups, where EC2 would otherwise
 * launch T3 as `unlimited` and bill sustained bursts (EC2 user guide, "Unlimited mode for
 * burstable performance instances": T3 launches unlimited by default); absent for other
 * families, which have no credits.
 */
export function creditSpecification(group: Pick<EksNodeGroupConfig, "instanceTypes" | "cpuCredits">): { creditSpecification?: { cpuCredits: string } } {
  return group.instanceTypes.every(isBurstable) ? { creditSpecification: { cpuCredits: group.cpuCredits ?? "standard" } } : {};
}

/** Instance metadata: tokens required, one hop, so containers cannot read node credentials. */
export const METADATA_OPTIONS = { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" } as const;

export function createNodeGroups(name: string, args: NodeGroupsArgs, opts: ChildOptions): NodeGroups {
  const role = new aws.iam.Role(`${name}-node`, {
    description: "EKS managed node groups",
    assumeRolePolicy: JSON.stringify(serviceTrust("ec2.amazonaws.com")),
  }, opts);
  const attachments = NODE_POLICIES.map((policy) => new aws.iam.RolePolicyAttachment(`${name}-node-${policy}`, {
    role: role.name,
    policyArn: args.account.partition.apply((p) => managedPolicyArn(p, policy)),
  }, opts));
  const securityGroup = new aws.ec2.SecurityGroup(`${name}-node`, {
    description: "EKS nodes: node-to-node traffic and egress; the cluster security group covers the control plane",
    vpcId: args.vpcId,
    ingress: [{ description: "node to node", protocol: "-1", fromPort: 0, toPort: 0, self: true }],
    egress: [{ description: "all egress", protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
    tags: { "karpenter.sh/discovery": args.discoveryName },
  }, opts);

  const entries = Object.entries(args.groups);
  const groups = entries.map(([pool, group]) => {
    const architecture = INSTANCE_TYPES[group.instanceTypes.filter(isInstanceType)[0] ?? "t3.large"].architecture;
    const tags = { ...args.instanceTags, "strata:pool": pool };
    const template = new aws.ec2.LaunchTemplate(`${name}-${pool}`, {
      description: `EKS node group ${pool}`,
      updateDefaultVersion: true,
      metadataOptions: METADATA_OPTIONS,
      blockDeviceMappings: [{
        deviceName: "/dev/xvda",
        ebs: { volumeSize: group.diskGi, volumeType: "gp3", iops: 3000, throughput: 125, encrypted: "true", kmsKeyId: args.kmsKeyArn, deleteOnTermination: "true" },
      }],
      vpcSecurityGroupIds: [args.clusterSecurityGroupId, securityGroup.id],
      ...creditSpecification(group),
      tagSpecifications: ["instance", "volume", "network-interface"].map((resourceType) => ({ resourceType, tags })),
    }, opts);
    return new aws.eks.NodeGroup(`${name}-${pool}`, {
      clusterName: args.clusterName,
      nodeGroupNamePrefix: `${pool}-`,
      version: args.kubernetesVersion,
      nodeRoleArn: role.arn,
      subnetIds: args.subnetIds,
      amiType: EKS_AMI_TYPES[architecture],
      capacityType: group.capacityType,
      instanceTypes: [...group.instanceTypes],
      scalingConfig: { minSize: group.minSize, maxSize: group.maxSize, desiredSize: group.desiredSize ?? group.minSize },
      updateConfig: { maxUnavailablePercentage: 33 },
      // EKS replaces nodes that stay NotReady or report kubelet/container runtime failures.
      nodeRepairConfig: { enabled: true },
      launchTemplate: { id: template.id, version: template.latestVersion.apply(String) },
      labels: nodeLabels(pool, group),
      taints: eksTaints(group.taints),
    // desiredSize is not in ignoreChanges: strata runs no Cluster Autoscaler and Karpenter launches
    // its own instances without resizing managed node groups, so config is the only owner of the
    // size and a changed desiredSize must reach the group on the next `up`.
    }, { ...opts, dependsOn: [...attachments, ...args.dependsOn] });
  });
  return { role, securityGroup, groups, pools: entries.map(([pool, group]) => nodePoolOf(pool, group)) };
}
