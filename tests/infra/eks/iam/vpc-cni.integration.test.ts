/**
 * Issue #20: the VPC CNI (kube-system/aws-node) runs on its own role, not the node role. The role
 * carries the AWS managed `AmazonEKS_CNI_Policy` (copy in tests/fixtures/iam from amazon-vpc-cni-k8s
 * `docs/iam-policy.md`), trusts only Pod Identity sessions of aws-node on this cluster, and allows
 * the EC2 calls ipamd makes to give pods addresses: it describes the instance, its type and its
 * ENIs and subnets, creates and tags an ENI, attaches it, assigns and releases secondary IPs,
 * detaches and deletes spare ENIs (the action list of that document).
 */
import { expect } from "chai";
import { podIdentityAssume, podIdentityTrust, type PodIdentitySubject } from "../../../../lib/aws-calls";
import { NODE_POLICIES } from "../../../../infra/eks/node-groups";
import { VPC_CNI_MANAGED_POLICY, VPC_CNI_SERVICE_ACCOUNT } from "../../../../infra/eks/vpc-cni-role";
import { ACCOUNT, CLUSTER, CLUSTER_ARN, OTHER_ACCOUNT, REGION, decide, decideCall, plainRequest, resolvedCall, sessionOf, upstreamVpcCni, type RenderedRole } from "./simulator";

const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/${CLUSTER}-vpc-cni`;
const ENI_ARN = `arn:aws:ec2:${REGION}:${ACCOUNT}:network-interface/eni-0123456789abcdef0`;
const subject: PodIdentitySubject = { clusterName: CLUSTER, accountId: ACCOUNT, clusterArn: CLUSTER_ARN, ...VPC_CNI_SERVICE_ACCOUNT };
const role: RenderedRole = { arn: ROLE_ARN, trust: podIdentityTrust(subject), policies: [upstreamVpcCni()] };

/** ipamd's EC2 calls, in the order it makes them for a node's first pods and when it frees spare ENIs. */
const CNI_CALLS = [
  "ec2:DescribeInstances",
  "ec2:DescribeInstanceTypes",
  "ec2:DescribeNetworkInterfaces",
  "ec2:DescribeSubnets",
  "ec2:CreateNetworkInterface",
  "ec2:CreateTags",
  "ec2:AttachNetworkInterface",
  "ec2:ModifyNetworkInterfaceAttribute",
  "ec2:AssignPrivateIpAddresses",
  "ec2:UnassignPrivateIpAddresses",
  "ec2:DetachNetworkInterface",
  "ec2:DeleteNetworkInterface",
] as const;

describe("IAM simulation: the VPC CNI's own role (EKS Pod Identity)", () => {
  it("issue #20: EKS Pod Identity assumes it for kube-system/aws-node on this cluster, and for nothing else", async () => {
    for (const call of podIdentityAssume(ROLE_ARN, subject).map(resolvedCall)) expect(await decideCall(call, role, {}), call.action).to.equal("Allowed");
    const others: PodIdentitySubject[] = [
      { ...subject, serviceAccount: "default" },
      { ...subject, namespace: "apps", serviceAccount: "aws-node" },
      { ...subject, clusterName: "valueverse-staging", clusterArn: CLUSTER_ARN.replace(CLUSTER, "valueverse-staging") },
      { ...subject, accountId: OTHER_ACCOUNT, clusterArn: CLUSTER_ARN.replace(ACCOUNT, OTHER_ACCOUNT) },
    ];
    for (const other of others) {
      for (const call of podIdentityAssume(ROLE_ARN, other).map(resolvedCall)) expect(await decideCall(call, role, {}), `${call.action} ${JSON.stringify(other)}`).to.not.equal("Allowed");
    }
  });

  it("issue #20: allows every EC2 call ipamd makes to wire pods", async () => {
    for (const action of CNI_CALLS) {
      // ipamd tags the ENIs it creates; every other call is checked on its action's first resource type.
      const request = action === "ec2:CreateTags" ? { why: "tag the new ENI", action, resource: ENI_ARN } : await plainRequest(action);
      expect(await decide({ ...request, principal: sessionOf(`${CLUSTER}-vpc-cni`) }, role.policies), `${action} on ${request.resource}`).to.equal("Allowed");
    }
  });

  it("issue #20: no node role carries the CNI policy any more (managed node groups and Karpenter's nodes share NODE_POLICIES)", () => {
    expect(NODE_POLICIES).to.not.include(VPC_CNI_MANAGED_POLICY);
  });

});
