/**
 * Issue #9: the AWS Load Balancer Controller's role, evaluated with an IAM simulator. What the
 * controller does for an internet-facing NLB (frontend/backend security groups, the rule on the
 * EKS cluster security group, load balancer, target group, listener, targets) must be allowed by
 * both the upstream v3.5.0 policy and strata's; strata must refuse what belongs to another cluster.
 */
import { expect } from "chai";
import { loadBalancerControllerPolicy } from "../../../../infra/eks/policies";
import { ACCOUNT, CLUSTER, REGION, SCOPE, decide, namedActions, plainRequest, unscopedActions, upstreamLoadBalancerController, type SimRequest } from "./simulator";

const strata = loadBalancerControllerPolicy(SCOPE);
const upstream = upstreamLoadBalancerController();
const ec2 = (type: string, id: string) => `arn:aws:ec2:${REGION}:${ACCOUNT}:${type}/${id}`;
const elb = (path: string) => `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:${path}`;
const LB = elb("loadbalancer/net/k8s-envoygat-envoydef-1a2b3c4d5e/0123456789abcdef");
const TG = elb("targetgroup/k8s-envoygat-envoydef-9f8e7d6c5b/fedcba9876543210");
const LISTENER = elb("listener/net/k8s-envoygat-envoydef-1a2b3c4d5e/0123456789abcdef/aabbccddeeff0011");
/** Tags the controller puts on everything it creates (stack tags + the cluster tag). */
const STACK_TAGS = {
  "elbv2.k8s.aws/cluster": CLUSTER,
  "service.k8s.aws/stack": "envoy-gateway-system/envoy-default-gateway",
  "service.k8s.aws/resource": "LoadBalancer",
};
const requestTags = (tags: Record<string, string>) => ({
  ...Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:RequestTag/${k}`, v])),
  "aws:TagKeys": Object.keys(tags),
});
const resourceTags = (tags: Record<string, string>) => Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:ResourceTag/${k}`, v]));
const OWN = resourceTags(STACK_TAGS);
const OTHER_CLUSTER = resourceTags({ ...STACK_TAGS, "elbv2.k8s.aws/cluster": "someone-else" });
/** The EKS-created cluster security group on every node and pod ENI. */
/** iam-data lists elasticloadbalancing:AddTags/RemoveTags for Classic Load Balancers only. */
const ELBV2_TAGGING = "iam-data documents AddTags/RemoveTags for Classic Load Balancers only";
const ALB = elb("loadbalancer/app/k8s-apps-web-1a2b3c4d5e/0123456789abcdef");
const CLUSTER_SG = { ...resourceTags({ [`kubernetes.io/cluster/${CLUSTER}`]: "owned", "aws:eks:cluster-name": CLUSTER }) };

const ACTIONS: readonly SimRequest[] = [
  { why: "create the ELB service-linked role on first use", action: "iam:CreateServiceLinkedRole", resource: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing`, context: { "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com" } },
  { why: "create the NLB's frontend security group", action: "ec2:CreateSecurityGroup", resource: ec2("security-group", "*"), context: requestTags(STACK_TAGS) },
  { why: "tag the new security group while creating it", action: "ec2:CreateTags", resource: ec2("security-group", "sg-0f1e2d3c4b5a69788"), context: { ...requestTags(STACK_TAGS), "ec2:CreateAction": "CreateSecurityGroup" } },
  { why: "admit clients on the frontend group", action: "ec2:AuthorizeSecurityGroupIngress", resource: ec2("security-group", "sg-0f1e2d3c4b5a69788"), context: OWN },
  { why: "admit the NLB's backend group on the cluster security group (pod ENIs)", action: "ec2:AuthorizeSecurityGroupIngress", resource: ec2("security-group", "sg-0c1a2b3c4d5e6f708"), context: CLUSTER_SG },
  { why: "remove that rule when the Service goes", action: "ec2:RevokeSecurityGroupIngress", resource: ec2("security-group", "sg-0c1a2b3c4d5e6f708"), context: CLUSTER_SG },
  { why: "retag its own security group", action: "ec2:CreateTags", resource: ec2("security-group", "sg-0f1e2d3c4b5a69788"), context: { ...OWN, "aws:TagKeys": ["service.k8s.aws/resource"], "aws:RequestTag/service.k8s.aws/resource": "LoadBalancer" } },
  { why: "untag its own security group", action: "ec2:DeleteTags", resource: ec2("security-group", "sg-0f1e2d3c4b5a69788"), context: { ...OWN, "aws:TagKeys": ["service.k8s.aws/resource"] } },
  { why: "delete its own security group", action: "ec2:DeleteSecurityGroup", resource: ec2("security-group", "sg-0f1e2d3c4b5a69788"), context: OWN },
  { why: "create the NLB", action: "elasticloadbalancing:CreateLoadBalancer", resource: LB, context: requestTags(STACK_TAGS) },
  { why: "tag the NLB on creation", action: "elasticloadbalancing:AddTags", resource: LB, context: { ...requestTags(STACK_TAGS), "elasticloadbalancing:CreateAction": "CreateLoadBalancer" } },
  { why: "create the target group", action: "elasticloadbalancing:CreateTargetGroup", resource: TG, context: requestTags(STACK_TAGS) },
  { why: "tag the target group on creation", action: "elasticloadbalancing:AddTags", resource: TG, context: { ...requestTags(STACK_TAGS), "elasticloadbalancing:CreateAction": "CreateTargetGroup" }, unvalidated: ELBV2_TAGGING },
  { why: "create the listener", action: "elasticloadbalancing:CreateListener", resource: LB, context: requestTags(STACK_TAGS) },
  { why: "tag the listener", action: "elasticloadbalancing:AddTags", resource: LISTENER, context: requestTags(STACK_TAGS), unvalidated: ELBV2_TAGGING },
  { why: "untag the listener", action: "elasticloadbalancing:RemoveTags", resource: LISTENER, context: { "aws:TagKeys": ["service.k8s.aws/resource"] }, unvalidated: ELBV2_TAGGING },
  { why: "delete the listener", action: "elasticloadbalancing:DeleteListener", resource: LISTENER },
  { why: "modify the listener", action: "elasticloadbalancing:ModifyListener", resource: LISTENER },
  { why: "register pod IPs as targets", action: "elasticloadbalancing:RegisterTargets", resource: TG },
  { why: "deregister pod IPs", action: "elasticloadbalancing:DeregisterTargets", resource: TG },
  ...["ModifyLoadBalancerAttributes", "SetIpAddressType", "SetSecurityGroups", "SetSubnets", "DeleteLoadBalancer", "ModifyCapacityReservation"].map((a) => ({
    why: `${a} on its own NLB`, action: `elasticloadbalancing:${a}`, resource: LB, context: OWN,
  })),
  ...["ModifyTargetGroup", "ModifyTargetGroupAttributes", "DeleteTargetGroup"].map((a) => ({ why: `${a} on its own target group`, action: `elasticloadbalancing:${a}`, resource: TG, context: OWN })),
  { why: "move its own ALB to an IPAM pool", action: "elasticloadbalancing:ModifyIpPools", resource: ALB, context: OWN },
  { why: "set listener attributes", action: "elasticloadbalancing:ModifyListenerAttributes", resource: LISTENER, context: OWN },
  { why: "retag its own NLB", action: "elasticloadbalancing:AddTags", resource: LB, context: { ...OWN, ...requestTags({ "service.k8s.aws/resource": "LoadBalancer" }) } },
  { why: "untag its own NLB", action: "elasticloadbalancing:RemoveTags", resource: LB, context: { ...OWN, "aws:TagKeys": ["service.k8s.aws/resource"] } },
];

/** Requests strata refuses on purpose although upstream allows them. */
const REFUSED: readonly SimRequest[] = [
  { why: "open another cluster's load balancer group", action: "ec2:AuthorizeSecurityGroupIngress", resource: ec2("security-group", "sg-0aaaaaaaaaaaaaaaa"), context: OTHER_CLUSTER },
  { why: "open an untagged security group (e.g. a database's)", action: "ec2:AuthorizeSecurityGroupIngress", resource: ec2("security-group", "sg-0bbbbbbbbbbbbbbbb") },
  { why: "open a security group in another account", action: "ec2:AuthorizeSecurityGroupIngress", resource: "arn:aws:ec2:eu-central-1:210987654321:security-group/sg-0cccccccccccccccc", context: CLUSTER_SG },
  { why: "delete another cluster's security group", action: "ec2:DeleteSecurityGroup", resource: ec2("security-group", "sg-0aaaaaaaaaaaaaaaa"), context: OTHER_CLUSTER },
  { why: "delete another cluster's NLB", action: "elasticloadbalancing:DeleteLoadBalancer", resource: LB, context: OTHER_CLUSTER },
  { why: "create an NLB tagged for another cluster", action: "elasticloadbalancing:CreateLoadBalancer", resource: LB, context: requestTags({ ...STACK_TAGS, "elbv2.k8s.aws/cluster": "someone-else" }) },
];

describe("IAM simulation: AWS Load Balancer Controller (upstream v3.5.0)", () => {
  for (const request of ACTIONS) {
    it(`allows: ${request.why} (${request.action})`, async () => {
      expect(await decide(request, [upstream]), "upstream allows it, so the request is realistic").to.equal("Allowed");
      expect(await decide(request, [strata]), "strata's policy").to.equal("Allowed");
    });
  }

  it("allows every read upstream grants on all resources", async () => {
    const denied: string[] = [];
    for (const action of unscopedActions(upstream)) {
      if (action.startsWith("ec2:AuthorizeSecurityGroupIngress") || action.startsWith("ec2:RevokeSecurityGroupIngress") || action === "ec2:CreateSecurityGroup") continue;
      const request = await plainRequest(action);
      if ((await decide(request, [strata])) !== "Allowed") denied.push(`${action} on ${request.resource}`);
    }
    expect(denied).to.deep.equal([]);
  });

  it("exercises every upstream action in the requests above", () => {
    const exercised = new Set([...ACTIONS.map((r) => r.action), ...unscopedActions(upstream)]);
    expect(namedActions([upstream]).filter((a) => !exercised.has(a))).to.deep.equal([]);
  });

  for (const request of REFUSED) {
    it(`refuses: ${request.why} (${request.action})`, async () => {
      expect(await decide(request, [strata])).to.not.equal("Allowed");
    });
  }
});
