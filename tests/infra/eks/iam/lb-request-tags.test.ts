/**
 * issue #22: every `aws:RequestTag/elbv2.k8s.aws/cluster` Null guard of the upstream Load Balancer
 * Controller policy (reference iam_policy.json at the pinned release) is present in strata's
 * policy, on a statement that grants the same actions.
 */
import { expect } from "chai";
import { loadBalancerControllerPolicy } from "../../../../infra/eks/policies";
import type { PolicyStatement } from "../../../../infra/eks/types";
import { SCOPE, upstreamLoadBalancerController } from "./simulator";

const KEY = "aws:RequestTag/elbv2.k8s.aws/cluster";
const actionsOf = (s: PolicyStatement): string[] => (typeof s.Action === "string" ? [s.Action] : [...s.Action]);
const nullGuard = (s: PolicyStatement): unknown => (s.Condition?.["Null"] as Record<string, unknown> | undefined)?.[KEY];

describe("Load Balancer Controller: upstream RequestTag guards (issue #22)", () => {
  const upstream = upstreamLoadBalancerController().Statement.filter((s) => nullGuard(s) !== undefined);
  const strata = loadBalancerControllerPolicy(SCOPE).Statement;

  it("the reference policy has the guards this test looks for", () => {
    expect(upstream.length).to.be.greaterThanOrEqual(5);
  });
  for (const guarded of upstream) {
    const actions = actionsOf(guarded);
    it(`issue #22: ${actions.join(", ")} keeps Null ${KEY} = ${String(nullGuard(guarded))}`, () => {
      const granting = strata.filter((s) => actions.every((a) => actionsOf(s).includes(a)) && sameResourceKind(s, guarded));
      expect(granting.map((s) => s.Sid), "no statement grants these actions on these resources").to.not.be.empty;
      expect(granting.map((s) => nullGuard(s)), granting.map((s) => s.Sid).join(", ")).to.include(nullGuard(guarded));
    });
  }
});

/** Statements on security groups vs load balancers/target groups vs listeners are guarded differently upstream. */
function sameResourceKind(a: PolicyStatement, b: PolicyStatement): boolean {
  const kinds = (s: PolicyStatement) => new Set((typeof s.Resource === "string" ? [s.Resource] : [...(s.Resource ?? [])]).map((r) => (r === "*" ? "*" : /:(security-group|targetgroup|loadbalancer|listener-rule|listener)\//.exec(r)?.[1] ?? r)));
  const ka = kinds(a);
  const kb = kinds(b);
  return ka.has("*") || kb.has("*") || [...ka].some((k) => kb.has(k));
}
