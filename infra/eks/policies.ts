/**
 * Least-privilege IAM policies for the controllers that call AWS from the cluster. Pure functions
 * of ARNs and names, so tests read them without the engine and evaluate them with an IAM
 * simulator against the upstream policies (`tests/infra/eks/iam/`). Writes are scoped to resources
 * tagged for this cluster wherever the AWS API supports tag conditions; every deviation from the
 * upstream policy is listed in `infra/eks/README.md`.
 */
import type { PolicyDocument, PolicyStatement } from "./types";

const allow = (Sid: string, Action: readonly string[], Resource: string | readonly string[], Condition?: PolicyStatement["Condition"]): PolicyStatement =>
  Condition === undefined ? { Sid, Effect: "Allow", Action, Resource } : { Sid, Effect: "Allow", Action, Resource, Condition };

/** Where a controller's policy applies: the cluster, its account and region. */
export interface PolicyScope {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  readonly clusterName: string;
}

/**
 * AWS managed policy the EBS CSI driver's role carries: V2 limits writes to volumes and snapshots
 * tagged `ebs.csi.aws.com/cluster=true` (the driver tags everything it creates so).
 */
export const EBS_CSI_MANAGED_POLICY = "service-role/AmazonEBSCSIDriverPolicyV2";

/**
 * What EC2 does with a customer key on a caller's behalf for encrypted EBS volumes and snapshots
 * (no wildcards: `GenerateDataKey*` would also grant data key pairs).
 */
const VOLUME_KEY_USE = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:DescribeKey"];

/** EBS CSI driver: besides the managed policy, use of the cluster key for encrypted volumes. */
export function ebsCsiKmsPolicy(keyArn: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      allow("GrantsForAttachedVolumes", ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"], keyArn, { Bool: { "kms:GrantIsForAWSResource": "true" } }),
      allow("EncryptVolumes", VOLUME_KEY_USE, keyArn),
    ],
  };
}

/**
 * AWS Load Balancer Controller: reads the network, manages only load balancers and security
 * groups it tagged for this cluster, and opens the cluster's own security group (on the pod and
 * node network interfaces) to the load balancers' backend group.
 */
export function loadBalancerControllerPolicy(scope: PolicyScope): PolicyDocument {
  const { clusterName } = scope;
  const ownedByCluster = { StringEquals: { "aws:ResourceTag/elbv2.k8s.aws/cluster": clusterName } };
  // Upstream's Null guards, kept beside strata's stricter StringEquals: creation must carry the
  // cluster tag; later tag changes on owned resources must not name it, so the controller can never
  // move or strip the ownership tag (iam_policy.json at the pinned release).
  const requestTagged = { "aws:RequestTag/elbv2.k8s.aws/cluster": "false" };
  const ownershipTagUntouched = { Null: { "aws:RequestTag/elbv2.k8s.aws/cluster": "true" }, ...ownedByCluster };
  const requestForCluster = { StringEquals: { "aws:RequestTag/elbv2.k8s.aws/cluster": clusterName }, Null: requestTagged };
  return {
    Version: "2012-10-17",
    Statement: [
      allow("ServiceLinkedRoleForElb", ["iam:CreateServiceLinkedRole"], "*", { StringEquals: { "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com" } }),
      allow("Describe", [
        "ec2:DescribeAccountAttributes", "ec2:DescribeAddresses", "ec2:DescribeAvailabilityZones", "ec2:DescribeInternetGateways",
        "ec2:DescribeVpcs", "ec2:DescribeVpcPeeringConnections", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups",
        "ec2:DescribeInstances", "ec2:DescribeNetworkInterfaces", "ec2:DescribeTags", "ec2:DescribeCoipPools", "ec2:GetCoipPoolUsage",
        "ec2:GetSecurityGroupsForVpc", "ec2:DescribeIpamPools", "ec2:DescribeRouteTables",
        "elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeLoadBalancerAttributes", "elasticloadbalancing:DescribeListeners",
        "elasticloadbalancing:DescribeListenerCertificates", "elasticloadbalancing:DescribeSSLPolicies", "elasticloadbalancing:DescribeRules",
        "elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetGroupAttributes", "elasticloadbalancing:DescribeTargetHealth",
        "elasticloadbalancing:DescribeTags", "elasticloadbalancing:DescribeTrustStores", "elasticloadbalancing:DescribeListenerAttributes",
        "elasticloadbalancing:DescribeCapacityReservation",
        "acm:ListCertificates", "acm:DescribeCertificate", "iam:ListServerCertificates",
        "iam:GetServerCertificate", "cognito-idp:DescribeUserPoolClient", "waf-regional:GetWebACL", "waf-regional:GetWebACLForResource",
        "waf-regional:AssociateWebACL", "waf-regional:DisassociateWebACL", "wafv2:GetWebACL", "wafv2:GetWebACLForResource",
        "wafv2:AssociateWebACL", "wafv2:DisassociateWebACL", "shield:GetSubscriptionState", "shield:DescribeProtection",
        "shield:CreateProtection", "shield:DeleteProtection",
      ], "*"),
      // Targets are pod IPs on ENIs that carry the EKS cluster security group (tagged
      // kubernetes.io/cluster/<name> by EKS); the controller adds the rule admitting the NLB's
      // backend group there. Upstream allows this on every security group.
      allow("OpenClusterSecurityGroup", ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"],
        `arn:${scope.partition}:ec2:${scope.region}:${scope.accountId}:security-group/*`, { Null: { [`aws:ResourceTag/kubernetes.io/cluster/${clusterName}`]: "false" } }),
      allow("CreateSecurityGroups", ["ec2:CreateSecurityGroup"], "*"),
      allow("TagNewSecurityGroups", ["ec2:CreateTags"], "arn:*:ec2:*:*:security-group/*", {
        StringEquals: { "ec2:CreateAction": "CreateSecurityGroup", "aws:RequestTag/elbv2.k8s.aws/cluster": clusterName },
        Null: requestTagged,
      }),
      allow("RetagOwnSecurityGroups", ["ec2:CreateTags", "ec2:DeleteTags"], "arn:*:ec2:*:*:security-group/*", ownershipTagUntouched),
      allow("ManageOwnSecurityGroups", ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress", "ec2:DeleteSecurityGroup"], "*", ownedByCluster),
      allow("CreateLoadBalancers", ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"], "*", requestForCluster),
      allow("ManageListenersAndRules", [
        "elasticloadbalancing:CreateListener", "elasticloadbalancing:DeleteListener", "elasticloadbalancing:CreateRule",
        "elasticloadbalancing:DeleteRule", "elasticloadbalancing:ModifyListener", "elasticloadbalancing:ModifyRule",
        "elasticloadbalancing:AddListenerCertificates", "elasticloadbalancing:RemoveListenerCertificates", "elasticloadbalancing:SetWebAcl",
        "elasticloadbalancing:SetRulePriorities",
      ], "*"),
      allow("TagOnCreate", ["elasticloadbalancing:AddTags"], [
        "arn:*:elasticloadbalancing:*:*:targetgroup/*/*", "arn:*:elasticloadbalancing:*:*:loadbalancer/net/*/*", "arn:*:elasticloadbalancing:*:*:loadbalancer/app/*/*",
      ], { StringEquals: { "elasticloadbalancing:CreateAction": ["CreateTargetGroup", "CreateLoadBalancer"], "aws:RequestTag/elbv2.k8s.aws/cluster": clusterName }, Null: requestTagged }),
      allow("TagListenersAndRules", ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"], [
        "arn:*:elasticloadbalancing:*:*:listener/net/*/*/*", "arn:*:elasticloadbalancing:*:*:listener/app/*/*/*",
        "arn:*:elasticloadbalancing:*:*:listener-rule/net/*/*/*", "arn:*:elasticloadbalancing:*:*:listener-rule/app/*/*/*",
      ]),
      allow("RetagOwnLoadBalancers", ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"], [
        "arn:*:elasticloadbalancing:*:*:targetgroup/*/*", "arn:*:elasticloadbalancing:*:*:loadbalancer/net/*/*", "arn:*:elasticloadbalancing:*:*:loadbalancer/app/*/*",
      ], ownershipTagUntouched),
      allow("ManageOwnLoadBalancers", [
        "elasticloadbalancing:ModifyLoadBalancerAttributes",
        "elasticloadbalancing:SetIpAddressType", "elasticloadbalancing:SetSecurityGroups", "elasticloadbalancing:SetSubnets",
        "elasticloadbalancing:DeleteLoadBalancer", "elasticloadbalancing:ModifyTargetGroup", "elasticloadbalancing:ModifyTargetGroupAttributes",
        "elasticloadbalancing:DeleteTargetGroup", "elasticloadbalancing:ModifyListenerAttributes", "elasticloadbalancing:ModifyCapacityReservation",
        "elasticloadbalancing:ModifyIpPools",
      ], "*", ownedByCluster),
      allow("RegisterTargets", ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"], "arn:*:elasticloadbalancing:*:*:targetgroup/*/*"),
    ],
  };
}

export interface KarpenterPolicyArgs extends PolicyScope {
  readonly nodeRoleArn: string;
  readonly queueArn: string;
  /** The cluster key that encrypts the root volumes Karpenter launches. */
  readonly kmsKeyArn: string;
}

/**
 * Karpenter controller (upstream v1.14 policies, scoped to this account and region): launches
 * from its own launch templates, tags what it launches for this cluster, terminates only those.
 */
export function karpenterControllerPolicy(a: KarpenterPolicyArgs): PolicyDocument {
  // What Karpenter creates lives in this account; subnets, security groups, capacity reservations
  // and placement groups may be shared into it from another (AWS RAM), as upstream allows.
  const ec2 = (type: string) => `arn:${a.partition}:ec2:${a.region}:${a.accountId}:${type}/*`;
  const shared = (type: string) => `arn:${a.partition}:ec2:${a.region}:*:${type}/*`;
  const instanceProfiles = `arn:${a.partition}:iam::${a.accountId}:instance-profile/*`;
  const clusterArn = `arn:${a.partition}:eks:${a.region}:${a.accountId}:cluster/${a.clusterName}`;
  const ownedTag = `kubernetes.io/cluster/${a.clusterName}`;
  const owned = { [`aws:ResourceTag/${ownedTag}`]: "owned" };
  const requestedForCluster = { [`aws:RequestTag/${ownedTag}`]: "owned", "aws:RequestTag/eks:eks-cluster-name": a.clusterName };
  const launched = ["fleet", "instance", "volume", "network-interface", "launch-template", "spot-instances-request"].map(ec2);
  const profileOwned = { ...owned, "aws:ResourceTag/topology.kubernetes.io/region": a.region };
  const profileRequested = { ...requestedForCluster, "aws:RequestTag/topology.kubernetes.io/region": a.region };
  return {
    Version: "2012-10-17",
    Statement: [
      allow("LaunchFromSharedResources", ["ec2:RunInstances", "ec2:CreateFleet"], [
        `arn:${a.partition}:ec2:${a.region}::image/*`, `arn:${a.partition}:ec2:${a.region}::snapshot/*`,
        shared("security-group"), shared("subnet"), shared("capacity-reservation"), shared("placement-group"),
      ]),
      // Instances launch from the launch templates Karpenter created, authorised by their tags.
      allow("LaunchFromOwnLaunchTemplates", ["ec2:RunInstances", "ec2:CreateFleet"], ec2("launch-template"), {
        StringEquals: owned,
        StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" },
      }),
      allow("LaunchTaggedForCluster", ["ec2:RunInstances", "ec2:CreateFleet", "ec2:CreateLaunchTemplate"], launched, {
        StringEquals: requestedForCluster,
        StringLike: { "aws:RequestTag/karpenter.sh/nodepool": "*" },
      }),
      allow("TagOnLaunch", ["ec2:CreateTags"], launched, {
        StringEquals: { ...requestedForCluster, "ec2:CreateAction": ["RunInstances", "CreateFleet", "CreateLaunchTemplate"] },
        StringLike: { "aws:RequestTag/karpenter.sh/nodepool": "*" },
      }),
      allow("TagOwnedInstances", ["ec2:CreateTags"], ec2("instance"), {
        StringEquals: owned,
        StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" },
        StringEqualsIfExists: { "aws:RequestTag/eks:eks-cluster-name": a.clusterName },
        "ForAllValues:StringEquals": { "aws:TagKeys": ["eks:eks-cluster-name", "karpenter.sh/nodeclaim", "Name"] },
      }),
      allow("DeleteOwned", ["ec2:TerminateInstances", "ec2:DeleteLaunchTemplate"], [ec2("instance"), ec2("launch-template")], {
        StringEquals: owned,
        StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" },
      }),
      allow("Describe", [
        "ec2:DescribeAvailabilityZones", "ec2:DescribeCapacityReservations", "ec2:DescribeImages", "ec2:DescribeInstances",
        "ec2:DescribeInstanceStatus", "ec2:DescribeInstanceTypeOfferings", "ec2:DescribeInstanceTypes", "ec2:DescribeLaunchTemplates",
        "ec2:DescribePlacementGroups", "ec2:DescribeSecurityGroups", "ec2:DescribeSpotPriceHistory", "ec2:DescribeSubnets",
      ], "*", { StringEquals: { "aws:RequestedRegion": a.region } }),
      allow("ReadAmiParameters", ["ssm:GetParameter"], `arn:${a.partition}:ssm:${a.region}::parameter/aws/service/*`),
      allow("ReadPricing", ["pricing:GetProducts"], "*"),
      allow("InterruptionQueue", ["sqs:DeleteMessage", "sqs:GetQueueUrl", "sqs:ReceiveMessage"], a.queueArn),
      allow("ReadZonalShift", ["arc-zonal-shift:GetManagedResource"], "*", { StringEquals: { "arc-zonal-shift:ResourceIdentifier": clusterArn } }),
      allow("PassNodeRole", ["iam:PassRole"], a.nodeRoleArn, { StringEquals: { "iam:PassedToService": ["ec2.amazonaws.com", "ec2.amazonaws.com.cn"] } }),
      allow("CreateInstanceProfiles", ["iam:CreateInstanceProfile"], instanceProfiles, {
        StringEquals: profileRequested,
        StringLike: { "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": "*" },
      }),
      allow("TagOwnInstanceProfiles", ["iam:TagInstanceProfile"], instanceProfiles, {
        StringEquals: { ...profileOwned, ...profileRequested },
        StringLike: { "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "*", "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": "*" },
      }),
      allow("ManageOwnInstanceProfiles", ["iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile", "iam:DeleteInstanceProfile"], instanceProfiles, {
        StringEquals: profileOwned,
        StringLike: { "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "*" },
      }),
      allow("ListInstanceProfiles", ["iam:ListInstanceProfiles"], "*"),
      allow("ReadInstanceProfiles", ["iam:GetInstanceProfile"], instanceProfiles),
      allow("DescribeCluster", ["eks:DescribeCluster"], clusterArn),
      // RunInstances with a customer-managed key on the root volume runs as the caller; without
      // these, EC2 stops each new instance before it boots.
      allow("EncryptNodeVolumes", ["kms:GenerateDataKeyWithoutPlaintext", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:DescribeKey"], a.kmsKeyArn),
      allow("GrantNodeVolumes", ["kms:CreateGrant"], a.kmsKeyArn, { Bool: { "kms:GrantIsForAWSResource": "true" } }),
    ],
  };
}

/**
 * Velero: objects under its prefix of the backups bucket only (where its location and its kopia
 * repositories live; PostgreSQL's backups share the bucket under another prefix), the cluster key,
 * and EC2 snapshot actions only when Velero takes EBS snapshots (`volumeSnapshots`): the
 * plugin's README policy grants them on `*`, including DeleteSnapshot, which a Velero that never
 * snapshots has no use for. Listing: its own prefix, or none (what a HeadBucket and the
 * 404-or-403 answer for a missing object are authorised as; IAM cannot tell them from an
 * unprefixed list).
 */
export function veleroPolicy(bucketArn: string, keyArn: string, prefix: string, options: { readonly volumeSnapshots: boolean }): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      ...(options.volumeSnapshots
        ? [allow("Snapshots", ["ec2:DescribeVolumes", "ec2:DescribeSnapshots", "ec2:CreateTags", "ec2:CreateVolume", "ec2:CreateSnapshot", "ec2:DeleteSnapshot"], "*")]
        : []),
      allow("BackupObjects", ["s3:GetObject", "s3:DeleteObject", "s3:PutObject", "s3:PutObjectTagging", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"], `${bucketArn}/${prefix}*`),
      allow("FindBucket", ["s3:ListBucket"], bucketArn, { Null: { "s3:prefix": "true" } }),
      allow("ListBackups", ["s3:ListBucket"], bucketArn, { StringLike: { "s3:prefix": [`${prefix}*`, prefix] } }),
      allow("EncryptBackups", [...VOLUME_KEY_USE, "kms:CreateGrant"], keyArn),
    ],
  };
}

/**
 * S3 actions Loki's object client calls (Loki storage docs, AWS): list chunks and index files,
 * write, read, and delete what the compactor expires.
 */
export const LOKI_S3_ACTIONS = ["s3:ListBucket", "s3:PutObject", "s3:GetObject", "s3:DeleteObject"] as const;

/**
 * S3 actions Tempo's object client calls (Tempo docs, "Amazon S3 permissions"): the Loki set plus
 * the object tagging Tempo reads and writes on its blocks; and AbortMultipartUpload, which the
 * docs leave out but minio-go calls when a write in parts fails (minio-go
 * `api-put-object-streaming.go`; platform/observability/store-calls.ts `tempoS3Calls`).
 */
export const TEMPO_S3_ACTIONS = [...LOKI_S3_ACTIONS, "s3:GetObjectTagging", "s3:PutObjectTagging", "s3:AbortMultipartUpload"] as const;

/** SSE-KMS with the cluster key: data keys for writes, decryption for reads and completed multipart uploads. */
const BUCKET_KEY_USE = ["kms:GenerateDataKey", "kms:Decrypt"];

/**
 * A telemetry store (Loki, Tempo): the given S3 actions on one bucket and its objects, nothing
 * else in S3, and the cluster key the bucket encrypts with, through S3 only.
 */
export function telemetryStorePolicy(bucketArn: string, keyArn: string, actions: readonly string[], region: string): PolicyDocument {
  const onBucket = actions.filter((a) => a === "s3:ListBucket");
  const onObjects = actions.filter((a) => a !== "s3:ListBucket");
  return {
    Version: "2012-10-17",
    Statement: [
      ...(onBucket.length === 0 ? [] : [allow("ListStore", onBucket, bucketArn)]),
      allow("StoreObjects", onObjects, `${bucketArn}/*`),
      allow("EncryptStore", BUCKET_KEY_USE, keyArn, { StringEquals: { "kms:ViaService": `s3.${region}.amazonaws.com` } }),
    ],
  };
}
