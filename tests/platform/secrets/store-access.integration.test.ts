/**
 * issue #20: a secret store's role on EKS reads only its prefix. The role strata renders (trust,
 * policy: platform/secrets/aws-access.ts) is evaluated with the IAM simulator against ESO's real
 * calls (external-secrets v2.9.0: GetSecretValue, DescribeSecret; GetParameter; the service's
 * kms:Decrypt through the service) and against what it must not reach: another prefix, another service
 * account's token, a listing of every secret.
 */
import { expect } from "chai";
import { assumeRoleWithWebIdentity, type WebIdentity } from "../../../lib/aws-calls";
import type { AwsCall } from "../../../lib/connections";
import { storeCalls, storeReadPolicy, storeTrust, type StoreLocation } from "../../../platform/secrets/aws-access";
import { ACCOUNT, REGION, decideCall, refusedCalls, resolvedCall, type RenderedRole } from "../../infra/eks/iam/simulator";

const OIDC = `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.eks.${REGION}.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF`;
const identity: WebIdentity = { oidcProviderArn: OIDC, issuerUrl: `https://oidc.eks.${REGION}.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF`, namespace: "operators", serviceAccount: "secret-store-aws" };
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/valueverse-prod-platform-secrets-aws-role`;
/** A customer-managed key whose policy delegates to the account's IAM policies (the KMS default). */
const keyPolicy = { Version: "2012-10-17" as const, Statement: [{ Effect: "Allow" as const, Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" }] };

function roleFor(location: StoreLocation): RenderedRole {
  return { arn: ROLE_ARN, trust: storeTrust(identity), policies: [storeReadPolicy(location)] };
}

describe("IAM simulation: a secret store's role (External Secrets, IRSA)", () => {
  const sm: StoreLocation = { provider: "aws-secrets-manager", prefix: "valueverse/prod/", region: REGION, accountId: ACCOUNT };
  const ssm: StoreLocation = { provider: "aws-parameter-store", prefix: "/valueverse/prod/", region: REGION, accountId: ACCOUNT };

  it("lets the store's service account assume the role, and no other", async () => {
    expect(await refusedCalls([assumeRoleWithWebIdentity(ROLE_ARN, identity)], roleFor(sm), {})).to.deep.equal([]);
    const controller = assumeRoleWithWebIdentity(ROLE_ARN, { ...identity, serviceAccount: "external-secrets" });
    expect(await decideCall(resolvedCall(controller), roleFor(sm), {})).to.not.equal("Allowed");
  });

  it("Secrets Manager: reads, describes and decrypts a secret under the prefix", async () => {
    expect(await refusedCalls(storeCalls(sm, "backend/database", true), roleFor(sm), { keyPolicy })).to.deep.equal([]);
  });

  it("Secrets Manager: refuses reading or describing a secret under another prefix", async () => {
    const other: StoreLocation = { ...sm, prefix: "valueverse/staging/" };
    const refused = await refusedCalls(storeCalls(other, "backend/database"), roleFor(sm), {});
    expect(refused).to.have.length(2);
  });

  it("Secrets Manager: refuses a name that only starts like the prefix (valueverse/production/…)", async () => {
    const lookalike: StoreLocation = { ...sm, prefix: "valueverse/production/" };
    expect(await refusedCalls(storeCalls(lookalike, "db", false), roleFor(sm), {})).to.have.length(2);
  });

  it("Secrets Manager: refuses ListSecrets (dataFrom.find), which IAM cannot limit to a prefix", async () => {
    const list: AwsCall = { why: "find by name", action: "secretsmanager:ListSecrets", resource: "*" };
    expect(await refusedCalls([list], roleFor(sm), {})).to.have.length(1);
  });

  it("Parameter Store: reads and decrypts a parameter under the path, not beside it", async () => {
    expect(await refusedCalls(storeCalls(ssm, "backend/database", true), roleFor(ssm), { keyPolicy })).to.deep.equal([]);
    const other: StoreLocation = { ...ssm, prefix: "/orders/prod/" };
    expect(await refusedCalls(storeCalls(other, "backend/database"), roleFor(ssm), {})).to.have.length(1);
  });
});
