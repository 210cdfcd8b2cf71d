/**
 * Issue #18: the offline plan of the EKS dev stack (Pulumi.dev.yaml: infra, cluster, platform and
 * apps in one stack) carries the AWS calls of every S3 client strata gives an identity
 * (lib/connections.ts), and each declared sequence is allowed by the role the same plan renders:
 * its trust policy for the identity step of the connection's service account (web identity from
 * the plan's OIDC provider, or EKS Pod Identity on the plan's cluster), its inline policies with
 * the bucket's and the key's policies for the rest.
 */
import { expect } from "chai";
import type { PolicyDocument } from "../../../../infra/eks/types";
import { assumeRoleWithWebIdentity, podIdentityAssume, type IdentityStep } from "../../../../lib/aws-calls";
import type { CapturedRecord } from "../../../../tools/engine/capture";
import type { RunResult } from "../../../../tools/engine/run";
import { ofType, planStack } from "../../../harness";
import { refusedCalls, type RenderedRole } from "./simulator";

const json = (record: CapturedRecord, key: string) => JSON.parse(String(record.inputs[key])) as PolicyDocument;

/** The role a connection names, with the inline policies attached to it, as the plan renders them. */
function renderedRole(plan: RunResult, roleArn: string): RenderedRole {
  const roleName = roleArn.split("/").pop() ?? "";
  // The mocked provider names a role `<resource name>-<7 hex>` (tools/engine/mock-state/aws.ts).
  const role = ofType(plan, "aws:iam/role:Role").find((r) => new RegExp(`^${r.name}-[0-9a-f]{7}$`).test(roleName));
  if (role === undefined) throw new Error(`no role in the plan for ${roleArn}`);
  const policies = ofType(plan, "aws:iam/rolePolicy:RolePolicy").filter((p) => p.inputs["role"] === roleName).map((p) => json(p, "policy"));
  return { arn: roleArn, trust: json(role, "assumeRolePolicy"), policies };
}

/**
 * The identity step of the connection's service account, as the plan's OIDC provider (IRSA) or
 * EKS Pod Identity on the plan's cluster makes it.
 */
function identitySteps(plan: RunResult, role: RenderedRole, serviceAccount: { readonly namespace: string; readonly name: string } | undefined): IdentityStep[] {
  if (serviceAccount === undefined) throw new Error(`${role.arn}: the connection names no service account`);
  const subject = { namespace: serviceAccount.namespace, serviceAccount: serviceAccount.name };
  const irsa = role.trust.Statement.some((s) => [s.Action].flat().includes("sts:AssumeRoleWithWebIdentity"));
  if (irsa) {
    const issuerUrl = String(ofType(plan, "aws:iam/openIdConnectProvider:OpenIdConnectProvider")[0]?.inputs["url"]);
    const account = role.arn.split(":")[4] ?? "";
    return [assumeRoleWithWebIdentity(role.arn, { oidcProviderArn: `arn:aws:iam::${account}:oidc-provider/${issuerUrl.replace("https://", "")}`, issuerUrl, ...subject })];
  }
  const clusterName = String(ofType(plan, "aws:eks/cluster:Cluster")[0]?.inputs["name"]);
  const region = String(ofType(plan, "pulumi:providers:aws")[0]?.inputs["region"]);
  const accountId = role.arn.split(":")[4] ?? "";
  return podIdentityAssume(role.arn, { clusterName, accountId, clusterArn: `arn:aws:eks:${region}:${accountId}:cluster/${clusterName}`, ...subject });
}

describe("EKS dev stack plan: every declared AWS call sequence against the roles it renders", () => {
  let plan: RunResult;
  before(async function () {
    this.timeout(600_000);
    plan = await planStack({ stack: "dev" });
  });

  it("declares the calls of Barman Cloud, Loki, Tempo, and Velero's server and node agents", () => {
    const purposes = plan.connections.connections.filter((c) => c.aws !== undefined).map((c) => c.purpose);
    for (const client of ["PostgreSQL WAL archive", "loki keeps its data", "tempo keeps its data", "Velero server", "Velero node agents"]) {
      expect(purposes.some((p) => p.startsWith(client)), `${client} in ${JSON.stringify(purposes)}`).to.equal(true);
    }
  });

  it("issue #18: allows each declared sequence with the role, the bucket policy and the key policy the plan renders", async () => {
    const keyPolicy = json(ofType(plan, "aws:kms/key:Key")[0] ?? ({} as CapturedRecord), "policy");
    const bucketPolicies = ofType(plan, "aws:s3/bucketPolicy:BucketPolicy").map((b) => json(b, "policy"));
    const refused: Record<string, string[]> = {};
    for (const connection of plan.connections.connections) {
      if (connection.aws === undefined) continue;
      const bucketArn = connection.aws.calls.map((c) => c.resource).find((r) => r.startsWith("arn:aws:s3:::"))?.split("/")[0];
      const bucketPolicy = bucketPolicies.find((doc) => JSON.stringify(doc).includes(`"${bucketArn}"`));
      const role = renderedRole(plan, connection.aws.roleArn);
      const found = await refusedCalls([...identitySteps(plan, role, connection.aws.serviceAccount), ...connection.aws.calls], role, { keyPolicy, ...(bucketPolicy === undefined ? {} : { bucketPolicy }) });
      if (found.length > 0) refused[connection.purpose] = found;
    }
    expect(refused).to.deep.equal({});
  });
});
