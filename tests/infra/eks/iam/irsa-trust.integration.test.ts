/**
 * Issue #20: IRSA trusts carry the `sub` and `aud` conditions, exact, and no `aws:SourceAccount`
 * or `aws:SourceArn`. Those global keys are in a request context only "when the call to your
 * resource is made directly by an AWS service principal" (IAM user guide, "AWS global condition
 * context keys"); `sts:AssumeRoleWithWebIdentity` is made by the pod's SDK with the projected
 * token, as the OIDC provider's federated principal, so the keys are absent and a condition on
 * them would refuse every IRSA client (Barman Cloud, PBM, Loki, Tempo). The EKS Pod Identity trusts
 * carry them (`lib/aws-calls.ts` `podIdentityTrust`); these do not, on purpose.
 */
import { expect } from "chai";
import { irsaTrust } from "../../../../infra/eks/irsa-roles";
import type { PolicyDocument } from "../../../../infra/eks/types";
import { assumeRoleWithWebIdentity } from "../../../../lib/aws-calls";
import { IRSA_SERVICE_ACCOUNTS } from "../../../../lib/service-accounts";
import { ACCOUNT, CLUSTER, REGION, decideCall, resolvedCall } from "./simulator";

const ISSUER = `https://oidc.eks.${REGION}.amazonaws.com/id/5E1A2B3C4D5E6F708192A3B4C5D6E7F8`;
const OIDC_PROVIDER = `arn:aws:iam::${ACCOUNT}:oidc-provider/${ISSUER.replace("https://", "")}`;
const issuer = ISSUER.replace("https://", "");

describe("IRSA trust policies (web identity)", () => {
  for (const [workload, subject] of Object.entries(IRSA_SERVICE_ACCOUNTS)) {
    const roleArn = `arn:aws:iam::${ACCOUNT}:role/${CLUSTER}-${workload}`;
    const trust = irsaTrust(OIDC_PROVIDER, ISSUER, subject.namespace, subject.serviceAccount);

    it(`issue #20: ${workload}: exact sub and aud (StringEquals, no StringLike), and no aws:SourceAccount/aws:SourceArn`, () => {
      const statement = trust.Statement[0];
      expect(trust.Statement).to.have.length(1);
      expect(Object.keys(statement?.Condition ?? {})).to.deep.equal(["StringEquals"]);
      expect(statement?.Condition?.["StringEquals"]).to.deep.equal({
        [`${issuer}:sub`]: `system:serviceaccount:${subject.namespace}:${subject.serviceAccount}`,
        [`${issuer}:aud`]: "sts.amazonaws.com",
      });
      expect(JSON.stringify(trust)).to.not.match(/aws:Source(Account|Arn)/);
    });

    it(`issue #20: ${workload}: the web-identity request as STS sees it (no source keys) is allowed; with a source-key condition it would be refused`, async () => {
      const step = resolvedCall(assumeRoleWithWebIdentity(roleArn, { oidcProviderArn: OIDC_PROVIDER, issuerUrl: ISSUER, ...subject }));
      expect(Object.keys(step.context ?? {}).filter((k) => k.startsWith("aws:Source"))).to.deep.equal([]);
      expect(await decideCall(step, { arn: roleArn, trust, policies: [] }, {})).to.equal("Allowed");
      const statement = trust.Statement[0];
      const withSource: PolicyDocument = {
        Version: "2012-10-17",
        Statement: [{ ...statement, Effect: "Allow", Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringEquals: { ...statement?.Condition?.["StringEquals"], "aws:SourceAccount": ACCOUNT } } }],
      };
      expect(await decideCall(step, { arn: roleArn, trust: withSource, policies: [] }, {})).to.not.equal("Allowed");
    });
  }
});
