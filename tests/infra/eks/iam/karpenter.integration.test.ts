/**
 * Issue #9: the Karpenter controller's role against the upstream v1.14 CloudFormation policies.
 * A node launch (launch template, EC2 Fleet, the instance, its volume and network interface),
 * its tagging, instance profiles, interruption handling and termination must be allowed by both;
 * strata must refuse other clusters' instances, the managed node groups and other regions.
 */
import { expect } from "chai";
import { keyPolicy } from "../../../../infra/eks/kms";
import { karpenterControllerPolicy } from "../../../../infra/eks/policies";
import {
  ACCOUNT, CLUSTER, KEY_ARN, NODE_ROLE_ARN, QUEUE_ARN, REGION, SCOPE, decide, namedActions, upstreamKarpenter, type SimRequest,
} from "./simulator";

const strata = karpenterControllerPolicy({ ...SCOPE, nodeRoleArn: NODE_ROLE_ARN, queueArn: QUEUE_ARN, kmsKeyArn: KEY_ARN });
const upstream = upstreamKarpenter();
const ec2 = (type: string, id: string, region = REGION) => `arn:aws:ec2:${region}:${ACCOUNT}:${type}/${id}`;
const PROFILE = `arn:aws:iam::${ACCOUNT}:instance-profile/${CLUSTER}_1234567890123456789`;
const CLUSTER_ARN = `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/${CLUSTER}`;

/** Tags Karpenter puts on what it launches: ownership, node pool, node class, plus the EC2NodeClass's own tags. */
const LAUNCH_TAGS = {
  [`kubernetes.io/cluster/${CLUSTER}`]: "owned",
  "eks:eks-cluster-name": CLUSTER,
  "karpenter.sh/nodepool": "workers",
  "karpenter.k8s.aws/ec2nodeclass": "default",
  "strata.io/cluster": CLUSTER,
  "karpenter.sh/discovery": CLUSTER,
};
const requestTags = (tags: Record<string, string>) => ({
  ...Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:RequestTag/${k}`, v])),
  "aws:TagKeys": Object.keys(tags),
});
const resourceTags = (tags: Record<string, string>) => Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:ResourceTag/${k}`, v]));
const LAUNCHING = requestTags(LAUNCH_TAGS);
const OWNED = resourceTags({ [`kubernetes.io/cluster/${CLUSTER}`]: "owned", "karpenter.sh/nodepool": "workers", "karpenter.sh/nodeclaim": "workers-x7k2p" });
const PROFILE_TAGS = { [`kubernetes.io/cluster/${CLUSTER}`]: "owned", "eks:eks-cluster-name": CLUSTER, "topology.kubernetes.io/region": REGION, "karpenter.k8s.aws/ec2nodeclass": "default" };
const REGIONAL = { "aws:RequestedRegion": REGION };

const LAUNCH_TEMPLATE = ec2("launch-template", "lt-0a1b2c3d4e5f60718");
const INSTANCE = ec2("instance", "i-0a1b2c3d4e5f60718");

const ACTIONS: readonly SimRequest[] = [
  { why: "create the launch template for a node class", action: "ec2:CreateLaunchTemplate", resource: LAUNCH_TEMPLATE, context: LAUNCHING },
  { why: "tag the launch template as it is created", action: "ec2:CreateTags", resource: LAUNCH_TEMPLATE, context: { ...LAUNCHING, "ec2:CreateAction": "CreateLaunchTemplate" } },
  { why: "create an instant EC2 Fleet", action: "ec2:CreateFleet", resource: ec2("fleet", "fleet-0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9"), context: LAUNCHING },
  { why: "launch the fleet from its own launch template", action: "ec2:CreateFleet", resource: LAUNCH_TEMPLATE, context: resourceTags(LAUNCH_TAGS) },
  { why: "run the instance from its own launch template", action: "ec2:RunInstances", resource: LAUNCH_TEMPLATE, context: resourceTags(LAUNCH_TAGS) },
  { why: "launch into a private subnet", action: "ec2:RunInstances", resource: ec2("subnet", "subnet-0a1b2c3d4e5f60718") },
  { why: "attach the cluster security group", action: "ec2:RunInstances", resource: ec2("security-group", "sg-0c1a2b3c4d5e6f708") },
  { why: "boot the AL2023 EKS AMI (owned by Amazon)", action: "ec2:RunInstances", resource: `arn:aws:ec2:${REGION}::image/ami-0a1b2c3d4e5f60718` },
  { why: "launch from the AMI's snapshot", action: "ec2:RunInstances", resource: `arn:aws:ec2:${REGION}::snapshot/snap-0a1b2c3d4e5f60718` },
  { why: "fleet launches into a subnet", action: "ec2:CreateFleet", resource: ec2("subnet", "subnet-0a1b2c3d4e5f60718") },
  { why: "fleet in a placement group", action: "ec2:CreateFleet", resource: ec2("placement-group", "strata-spread") },
  { why: "fleet against a capacity reservation", action: "ec2:CreateFleet", resource: ec2("capacity-reservation", "cr-0a1b2c3d4e5f60718") },
  { why: "create the instance tagged for the cluster", action: "ec2:RunInstances", resource: INSTANCE, context: LAUNCHING },
  { why: "create its root volume", action: "ec2:RunInstances", resource: ec2("volume", "vol-0a1b2c3d4e5f60718"), context: LAUNCHING },
  { why: "create its network interface", action: "ec2:RunInstances", resource: ec2("network-interface", "eni-0a1b2c3d4e5f60718"), context: LAUNCHING },
  { why: "request spot capacity", action: "ec2:RunInstances", resource: ec2("spot-instances-request", "sir-0a1b2c3d"), context: LAUNCHING },
  { why: "tag the instance at launch", action: "ec2:CreateTags", resource: INSTANCE, context: { ...LAUNCHING, "ec2:CreateAction": "RunInstances" } },
  { why: "tag the fleet at creation", action: "ec2:CreateTags", resource: ec2("fleet", "fleet-0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9"), context: { ...LAUNCHING, "ec2:CreateAction": "CreateFleet" } },
  { why: "name the instance after its node claim", action: "ec2:CreateTags", resource: INSTANCE, context: { ...OWNED, ...requestTags({ Name: "ip-10-40-3-17.eu-central-1.compute.internal", "karpenter.sh/nodeclaim": "workers-x7k2p", "eks:eks-cluster-name": CLUSTER }) } },
  { why: "terminate a node it launched", action: "ec2:TerminateInstances", resource: INSTANCE, context: OWNED },
  { why: "delete a stale launch template", action: "ec2:DeleteLaunchTemplate", resource: LAUNCH_TEMPLATE, context: resourceTags(LAUNCH_TAGS) },
  ...["DescribeCapacityReservations", "DescribeImages", "DescribeInstances", "DescribeInstanceStatus", "DescribeInstanceTypeOfferings", "DescribeInstanceTypes",
    "DescribeLaunchTemplates", "DescribePlacementGroups", "DescribeSecurityGroups", "DescribeSpotPriceHistory", "DescribeSubnets"].map((a) => ({
    why: `discover (${a})`, action: `ec2:${a}`, resource: "*", context: REGIONAL,
  })),
  { why: "resolve the AL2023 alias through SSM", action: "ssm:GetParameter", resource: `arn:aws:ssm:${REGION}::parameter/aws/service/eks/optimized-ami/1.35/amazon-linux-2023/x86_64/standard/amazon-eks-node-al2023-x86_64-standard-1.35-v20260801/image_id`,
    unvalidated: "public parameters have no account in their ARN; iam-data's ARN template requires one" },
  { why: "read on-demand prices", action: "pricing:GetProducts", resource: "*" },
  ...["ReceiveMessage", "DeleteMessage", "GetQueueUrl"].map((a) => ({ why: `interruption queue (${a})`, action: `sqs:${a}`, resource: QUEUE_ARN })),
  { why: "pass the node role to EC2", action: "iam:PassRole", resource: NODE_ROLE_ARN, context: { "iam:PassedToService": "ec2.amazonaws.com" } },
  { why: "create the node class's instance profile", action: "iam:CreateInstanceProfile", resource: PROFILE, context: requestTags(PROFILE_TAGS) },
  { why: "tag its instance profile", action: "iam:TagInstanceProfile", resource: PROFILE, context: { ...resourceTags(PROFILE_TAGS), ...requestTags(PROFILE_TAGS) } },
  ...["AddRoleToInstanceProfile", "RemoveRoleFromInstanceProfile", "DeleteInstanceProfile"].map((a) => ({
    why: `manage its instance profile (${a})`, action: `iam:${a}`, resource: PROFILE, context: resourceTags(PROFILE_TAGS),
  })),
  { why: "read its instance profile", action: "iam:GetInstanceProfile", resource: PROFILE },
  { why: "list instance profiles", action: "iam:ListInstanceProfiles", resource: "*" },
  { why: "discover the API server endpoint", action: "eks:DescribeCluster", resource: CLUSTER_ARN },
  { why: "read the cluster's zonal shift", action: "arc-zonal-shift:GetManagedResource", resource: "*", context: { "arc-zonal-shift:ResourceIdentifier": CLUSTER_ARN } },
];

const REFUSED: readonly SimRequest[] = [
  { why: "terminate another cluster's node", action: "ec2:TerminateInstances", resource: INSTANCE, context: resourceTags({ "kubernetes.io/cluster/someone-else": "owned", "karpenter.sh/nodepool": "workers" }) },
  { why: "terminate a managed node group's node (no node pool tag)", action: "ec2:TerminateInstances", resource: INSTANCE, context: resourceTags({ [`kubernetes.io/cluster/${CLUSTER}`]: "owned", "eks:nodegroup-name": "apps" }) },
  { why: "launch from another cluster's launch template", action: "ec2:RunInstances", resource: LAUNCH_TEMPLATE, context: resourceTags({ "kubernetes.io/cluster/someone-else": "owned", "karpenter.sh/nodepool": "workers" }) },
  { why: "launch an instance not tagged for the cluster", action: "ec2:RunInstances", resource: INSTANCE, context: requestTags({ "karpenter.sh/nodepool": "workers" }) },
  { why: "launch in another region", action: "ec2:RunInstances", resource: ec2("instance", "i-0a1b2c3d4e5f60718", "us-east-1"), context: LAUNCHING },
  { why: "retag an owned instance to another cluster", action: "ec2:CreateTags", resource: INSTANCE, context: { ...OWNED, ...requestTags({ [`kubernetes.io/cluster/${CLUSTER}`]: "shared" }) } },
  { why: "pass another role to EC2", action: "iam:PassRole", resource: `arn:aws:iam::${ACCOUNT}:role/platform-admin`, context: { "iam:PassedToService": "ec2.amazonaws.com" } },
  { why: "describe another cluster", action: "eks:DescribeCluster", resource: `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/someone-else` },
  { why: "delete another cluster's instance profile", action: "iam:DeleteInstanceProfile", resource: PROFILE, context: resourceTags({ ...PROFILE_TAGS, [`kubernetes.io/cluster/${CLUSTER}`]: "", "kubernetes.io/cluster/someone-else": "owned" }) },
];

describe("IAM simulation: Karpenter controller (upstream v1.14 CloudFormation)", () => {
  for (const request of ACTIONS) {
    it(`allows: ${request.why} (${request.action})`, async () => {
      expect(await decide(request, upstream), "upstream allows it, so the request is realistic").to.equal("Allowed");
      expect(await decide(request, [strata]), "strata's policy").to.equal("Allowed");
    });
  }

  it("exercises every upstream action in the requests above", () => {
    const exercised = new Set(ACTIONS.map((r) => r.action));
    expect(namedActions(upstream).filter((a) => !exercised.has(a))).to.deep.equal([]);
  });

  it("uses the cluster key for the root volumes of the nodes it launches (strata's customer key; upstream has none)", async () => {
    const key = keyPolicy(ACCOUNT, "aws", REGION, CLUSTER);
    const viaEc2 = { "kms:ViaService": `ec2.${REGION}.amazonaws.com`, "kms:CallerAccount": ACCOUNT };
    for (const action of ["kms:GenerateDataKeyWithoutPlaintext", "kms:Decrypt", "kms:DescribeKey"]) {
      expect(await decide({ why: "encrypt a node volume", action, resource: KEY_ARN, context: viaEc2 }, [strata], key), action).to.equal("Allowed");
    }
    const grant = { why: "grant EC2 the volume key", action: "kms:CreateGrant", resource: KEY_ARN, context: { ...viaEc2, "kms:GrantIsForAWSResource": "true" } };
    expect(await decide(grant, [strata], key)).to.equal("Allowed");
    // Outside EC2 only the identity policy speaks, and it limits grants to AWS resources.
    const direct = { "kms:CallerAccount": ACCOUNT, "kms:GrantIsForAWSResource": "false" };
    expect(await decide({ ...grant, context: direct }, [strata], key)).to.not.equal("Allowed");
  });

  for (const request of REFUSED) {
    it(`refuses: ${request.why} (${request.action})`, async () => {
      expect(await decide(request, [strata])).to.not.equal("Allowed");
    });
  }
});
