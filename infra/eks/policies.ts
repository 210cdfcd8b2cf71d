/**
 * Least-privilege IAM policies for the controllers that call AWS from the cluster. Pure functions
 * of ARNs and names, so tests read them without the engine. Writes are scoped to resources tagged
 * for this cluster wherever the AWS API supports tag conditions.
 */
import type { PolicyDocument, PolicyStatement } from "./types";

const allow = (Sid: string, Action: readonly string[], Resource: string | readonly string[], Condition?: PolicyStatement["Condition"]): PolicyStatement =>
  Condition === undefined ? { Sid, Effect: "Allow", Action, Resource } : { Sid, Effect: "Allow", Action, Resource, Condition };

/** EBS CSI driver: the managed AmazonEBSCSIDriverPolicy plus use of the cluster key for encrypted volumes. */
export function ebsCsiKmsPolicy(keyArn: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      allow("GrantsForAttachedVolumes", ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"], keyArn, { Bool: { "kms:GrantIsForAWSResource": "true" } }),
      allow("EncryptVolumes", ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"], keyArn),
    ],
  };
}

/** AWS Load Balancer Controller: reads the network, manages only load balancers it tagged for this cluster. */
export function loadBalancerControllerPolicy(clusterName: string): PolicyDocument {
  const ownedByCluster = { StringEquals: { "aws:ResourceTag/elbv2.k8s.aws/cluster": clusterName } };
  const requestForCluster = { StringEquals: { "aws:RequestTag/elbv2.k8s.aws/cluster": clusterName } };
  return {
    Version: "2012-10-17",
    Statement: [
      allow("ServiceLinkedRoleForElb", ["iam:CreateServiceLinkedRole"], "*", { StringEquals: { "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com" } }),
      allow("Describe", [
        "ec2:DescribeAccountAttributes", "ec2:DescribeAddresses", "ec2:DescribeAvailabilityZones", "ec2:DescribeInternetGateways",
        "ec2:DescribeVpcs", "ec2:DescribeVpcPeeringConnections", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups",
        "ec2:DescribeInstances", "ec2:DescribeNetworkInterfaces", "ec2:DescribeTags", "ec2:DescribeCoipPools", "ec2:GetCoipPoolUsage",
        "ec2:GetSecurityGroupsForVpc", "ec2:DescribeIpamPools", "ec2:DescribeRouteTables",
        "elasticloadbalancing:Describe*", "acm:ListCertificates", "acm:DescribeCertificate", "iam:ListServerCertificates",
        "iam:GetServerCertificate", "cognito-idp:DescribeUserPoolClient", "waf-regional:GetWebACL", "waf-regional:GetWebACLForResource",
        "waf-regional:AssociateWebACL", "waf-regional:DisassociateWebACL", "wafv2:GetWebACL", "wafv2:GetWebACLForResource",
        "wafv2:AssociateWebACL", "wafv2:DisassociateWebACL", "shield:GetSubscriptionState", "shield:DescribeProtection",
        "shield:CreateProtection", "shield:DeleteProtection",
      ], "*"),
      allow("CreateSecurityGroups", ["ec2:CreateSecurityGroup"], "*"),
      allow("TagNewSecurityGroups", ["ec2:CreateTags"], "arn:*:ec2:*:*:security-group/*", {
        StringEquals: { "ec2:CreateAction": "CreateSecurityGroup", "aws:RequestTag/elbv2.k8s.aws/cluster": clusterName },
      }),
      allow("ManageOwnSecurityGroups", ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress", "ec2:DeleteSecurityGroup", "ec2:CreateTags", "ec2:DeleteTags"], "*", ownedByCluster),
      allow("CreateLoadBalancers", ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"], "*", requestForCluster),
      allow("ManageListenersAndRules", [
        "elasticloadbalancing:CreateListener", "elasticloadbalancing:DeleteListener", "elasticloadbalancing:CreateRule",
        "elasticloadbalancing:DeleteRule", "elasticloadbalancing:ModifyListener", "elasticloadbalancing:ModifyRule",
        "elasticloadbalancing:AddListenerCertificates", "elasticloadbalancing:RemoveListenerCertificates", "elasticloadbalancing:SetWebAcl",
      ], "*"),
      allow("TagOnCreate", ["elasticloadbalancing:AddTags"], [
        "arn:*:elasticloadbalancing:*:*:targetgroup/*/*", "arn:*:elasticloadbalancing:*:*:loadbalancer/net/*/*", "arn:*:elasticloadbalancing:*:*:loadbalancer/app/*/*",
      ], { StringEquals: { "elasticloadbalancing:CreateAction": ["CreateTargetGroup", "CreateLoadBalancer"], "aws:RequestTag/elbv2.k8s.aws/cluster": clusterName } }),
      allow("TagListenersOnCreate", ["elasticloadbalancing:AddTags"], [
        "arn:*:elasticloadbalancing:*:*:listener/net/*/*/*", "arn:*:elasticloadbalancing:*:*:listener/app/*/*/*",
        "arn:*:elasticloadbalancing:*:*:listener-rule/net/*/*/*", "arn:*:elasticloadbalancing:*:*:listener-rule/app/*/*/*",
      ], { StringEquals: { "elasticloadbalancing:CreateAction": ["CreateListener", "CreateRule"] } }),
      allow("ManageOwnLoadBalancers", [
        "elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags", "elasticloadbalancing:ModifyLoadBalancerAttributes",
        "elasticloadbalancing:SetIpAddressType", "elasticloadbalancing:SetSecurityGroups", "elasticloadbalancing:SetSubnets",
        "elasticloadbalancing:DeleteLoadBalancer", "elasticloadbalancing:ModifyTargetGroup", "elasticloadbalancing:ModifyTargetGroupAttributes",
        "elasticloadbalancing:DeleteTargetGroup", "elasticloadbalancing:ModifyListenerAttributes", "elasticloadbalancing:ModifyCapacityReservation",
        "elasticloadbalancing:ModifyIpPools",
      ], "*", ownedByCluster),
      allow("RegisterTargets", ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"], "arn:*:elasticloadbalancing:*:*:targetgroup/*/*"),
    ],
  };
}

export interface KarpenterPolicyArgs {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  readonly clusterName: string;
  readonly nodeRoleArn: string;
  readonly queueArn: string;
  /** The cluster key that encrypts the root volumes Karpenter launches. */
  readonly kmsKeyArn: string;
}

/** Karpenter controller: launches and terminates only instances tagged for this cluster. */
export function karpenterControllerPolicy(a: KarpenterPolicyArgs): PolicyDocument {
  const ec2 = (type: string) => `arn:${a.partition}:ec2:${a.region}:*:${type}/*`;
  const clusterTag = `aws:ResourceTag/kubernetes.io/cluster/${a.clusterName}`;
  const requestTag = `aws:RequestTag/kubernetes.io/cluster/${a.clusterName}`;
  const launched = ["fleet", "instance", "volume", "network-interface", "launch-template", "spot-instances-request"].map(ec2);
  return {
    Version: "2012-10-17",
    Statement: [
      allow("LaunchFromSharedResources", ["ec2:RunInstances", "ec2:CreateFleet"], [
        `arn:${a.partition}:ec2:${a.region}::image/*`, `arn:${a.partition}:ec2:${a.region}::snapshot/*`,
        ec2("security-group"), ec2("subnet"), ec2("capacity-reservation"),
      ]),
      allow("LaunchTaggedForCluster", ["ec2:RunInstances", "ec2:CreateFleet", "ec2:CreateLaunchTemplate"], launched, {
        StringEquals: { [requestTag]: "owned" },
        StringLike: { "aws:RequestTag/karpenter.sh/nodepool": "*" },
      }),
      allow("TagOnLaunch", ["ec2:CreateTags"], launched, {
        StringEquals: { [requestTag]: "owned", "ec2:CreateAction": ["RunInstances", "CreateFleet", "CreateLaunchTemplate"] },
        StringLike: { "aws:RequestTag/karpenter.sh/nodepool": "*" },
      }),
      allow("TagOwnedInstances", ["ec2:CreateTags"], ec2("instance"), { StringEquals: { [clusterTag]: "owned" }, StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" } }),
      allow("DeleteOwned", ["ec2:TerminateInstances", "ec2:DeleteLaunchTemplate"], [ec2("instance"), ec2("launch-template")], {
        StringEquals: { [clusterTag]: "owned" },
        StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" },
      }),
      allow("Describe", [
        "ec2:DescribeCapacityReservations", "ec2:DescribeImages", "ec2:DescribeInstances", "ec2:DescribeInstanceTypeOfferings",
        "ec2:DescribeInstanceTypes", "ec2:DescribeLaunchTemplates", "ec2:DescribeSecurityGroups", "ec2:DescribeSpotPriceHistory",
        "ec2:DescribeSubnets", "ec2:DescribeAvailabilityZones",
      ], "*", { StringEquals: { "aws:RequestedRegion": a.region } }),
      allow("ReadAmiParameters", ["ssm:GetParameter"], `arn:${a.partition}:ssm:${a.region}::parameter/aws/service/*`),
      allow("ReadPricing", ["pricing:GetProducts"], "*"),
      allow("InterruptionQueue", ["sqs:DeleteMessage", "sqs:GetQueueUrl", "sqs:ReceiveMessage"], a.queueArn),
      allow("PassNodeRole", ["iam:PassRole"], a.nodeRoleArn, { StringEquals: { "iam:PassedToService": ["ec2.amazonaws.com", "ec2.amazonaws.com.cn"] } }),
      allow("ManageOwnInstanceProfiles", ["iam:CreateInstanceProfile", "iam:TagInstanceProfile", "iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile", "iam:DeleteInstanceProfile"],
        `arn:${a.partition}:iam::${a.accountId}:instance-profile/*`, { StringEquals: { [`aws:ResourceTag/kubernetes.io/cluster/${a.clusterName}`]: "owned" } }),
      allow("CreateInstanceProfiles", ["iam:CreateInstanceProfile", "iam:TagInstanceProfile"], `arn:${a.partition}:iam::${a.accountId}:instance-profile/*`, {
        StringEquals: { [requestTag]: "owned", "aws:RequestTag/topology.kubernetes.io/region": a.region },
      }),
      allow("ReadInstanceProfiles", ["iam:GetInstanceProfile", "iam:ListInstanceProfiles"], "*"),
      allow("DescribeCluster", ["eks:DescribeCluster"], `arn:${a.partition}:eks:${a.region}:${a.accountId}:cluster/${a.clusterName}`),
      // RunInstances with a customer-managed key on the root volume runs as the caller; without
      // these, EC2 stops each new instance before it boots.
      allow("EncryptNodeVolumes", ["kms:GenerateDataKeyWithoutPlaintext", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:DescribeKey"], a.kmsKeyArn),
      allow("GrantNodeVolumes", ["kms:CreateGrant"], a.kmsKeyArn, { Bool: { "kms:GrantIsForAWSResource": "true" } }),
    ],
  };
}

/** Velero: objects in the backups bucket only, EBS snapshots, and the cluster key. */
export function veleroPolicy(bucketArn: string, keyArn: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      allow("Snapshots", ["ec2:DescribeVolumes", "ec2:DescribeSnapshots", "ec2:CreateTags", "ec2:CreateVolume", "ec2:CreateSnapshot", "ec2:DeleteSnapshot"], "*"),
      allow("BackupObjects", ["s3:GetObject", "s3:DeleteObject", "s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"], `${bucketArn}/*`),
      allow("ListBackups", ["s3:ListBucket"], bucketArn),
      allow("EncryptBackups", ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey", "kms:CreateGrant"], keyArn),
    ],
  };
}
