/** The smallest EKS stack: existing VPC, no Karpenter, no buckets, admins only from config. */
import { expect } from "chai";
import type { RunResult } from "../../../tools/engine/run";
import { FIXTURES, ofType, planStack } from "../../harness";

describe("EKS offline plan: existing VPC, optional parts off", () => {
  let result: RunResult;
  before(async function () {
    this.timeout(120_000);
    result = await planStack({ stack: "staging", configFile: `${FIXTURES}/stacks/eks-minimal.yaml` });
  });

  it("creates no network and places the control plane in the given private subnets", () => {
    expect(result.resources.filter((r) => r.type.startsWith("aws:ec2/") && r.type !== "aws:ec2/launchTemplate:LaunchTemplate" && r.type !== "aws:ec2/securityGroup:SecurityGroup")).to.deep.equal([]);
    const cluster = ofType(result, "aws:eks/cluster:Cluster")[0];
    expect((cluster?.inputs.vpcConfig as { subnetIds: string[] }).subnetIds).to.deep.equal(["subnet-0a1b2c3d4e5f60718", "subnet-0a1b2c3d4e5f60719"]);
    expect(cluster?.inputs.deletionProtection).to.equal(false);
  });

  it("runs arm64 nodes on the AL2023 ARM AMI", () => {
    expect(ofType(result, "aws:eks/nodeGroup:NodeGroup").map((g) => g.inputs.amiType)).to.deep.equal(["AL2023_ARM_64_STANDARD"]);
  });

  it("leaves out Karpenter, buckets, Velero and the deployer entry", () => {
    for (const type of ["aws:sqs/queue:Queue", "aws:cloudwatch/eventRule:EventRule", "aws:s3/bucket:Bucket"]) expect(ofType(result, type), type).to.deep.equal([]);
    const subjects = ofType(result, "aws:eks/podIdentityAssociation:PodIdentityAssociation").map((a) => a.inputs.serviceAccount);
    expect(subjects).to.have.members(["ebs-csi-controller-sa", "aws-load-balancer-controller"]);
    expect(ofType(result, "aws:eks/accessEntry:AccessEntry").map((e) => e.inputs.principalArn)).to.deep.equal(["arn:aws:iam::123456789012:role/ops"]);
  });

  it("publishes the given network and no Karpenter fields in the contract", () => {
    const infra = result.outputs.infra as { eks: Record<string, unknown>; network: Record<string, unknown> };
    expect(infra.eks.vpcId).to.equal("vpc-0a1b2c3d4e5f60718");
    expect(infra.eks.publicSubnetIds).to.deep.equal([]);
    expect(infra.eks).to.not.have.property("karpenter");
    expect(infra.eks.buckets).to.deep.equal({});
    expect(infra.network).to.not.have.property("nodeCidr");
  });

  it("keeps IAM role names within 64 characters for the longest cluster name", () => {
    // Pulumi auto-names a role `<resource name>-<7 hex>`, as the mocks do.
    const long = ofType(result, "aws:iam/role:Role").filter((r) => `${r.name}-0000000`.length > 64).map((r) => r.name);
    expect(long).to.deep.equal([]);
  });
});
