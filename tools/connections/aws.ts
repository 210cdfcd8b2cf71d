/**
 * The identity check of a connection on EKS: the client's IAM role exists in the plan, its trust
 * admits the client's service account (IRSA: the OIDC `sub` condition; Pod Identity: an
 * association naming the service account, and the trust allowing the requests EKS Pod Identity
 * makes for it, `lib/aws-calls.ts` `podIdentityAssume`, evaluated by the simulator), and its
 * policies allow every call of the client's real sequence, with the key policy of a KMS key and
 * the bucket policy of an S3 bucket the plan holds, evaluated with the offline IAM simulator
 * (`@cloud-copilot/iam-simulate`, a dev dependency: tools and tests only).
 */
import type { PlanDocument, PlannedResource } from "../engine/plan-document";
import { mockKmsKeyId, mockRoleName } from "../engine/mock-state/aws-names";
import { podIdentityAssume } from "../../lib/aws-calls";
import type { Need } from "./derive";
import type { Verdict } from "./check";

/** The IAM simulator, loaded on the first AWS check: vSphere and existing-cluster plans never need it. */
const simulator = () => import("@cloud-copilot/iam-simulate");

interface Statement {
  readonly Effect: string;
  readonly Action?: string | readonly string[];
  readonly Principal?: Readonly<Record<string, string | readonly string[]>> | string;
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}
interface PolicyDocument {
  readonly Version?: string;
  readonly Statement: readonly Statement[];
}

const ROLE = "aws:iam/role:Role";
const KMS_KEY = "aws:kms/key:Key";
const BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const POD_IDENTITY = "aws:eks/podIdentityAssociation:PodIdentityAssociation";

const list = (v: string | readonly string[] | undefined): readonly string[] => (v === undefined ? [] : typeof v === "string" ? [v] : v);
const parse = (v: unknown): PolicyDocument | undefined => {
  if (typeof v !== "string") return typeof v === "object" && v !== null ? (v as PolicyDocument) : undefined;
  try {
    return JSON.parse(v) as PolicyDocument;
  } catch {
    return undefined;
  }
};

/** This stack's resources and the identities of its upstream stacks (a role made by the infra stack). */
const identityResources = (plan: PlanDocument): readonly PlannedResource[] => [...plan.resources, ...(plan.upstreamIdentities ?? [])];

function roleOf(plan: PlanDocument, roleArn: string): { resource: PlannedResource; name: string } | undefined {
  const name = roleArn.split("/").pop() ?? "";
  const resource = identityResources(plan).find((r) => r.type === ROLE && mockRoleName(r.name, r.inputs) === name);
  return resource === undefined ? undefined : { resource, name };
}

/**
 * Region of the cluster an association is made in: the plan's AWS provider when the cluster is
 * planned here; in a stack over an upstream infra stack, the region the trust itself names (the
 * account, cluster name, namespace and service account are still taken from the role and the
 * association).
 */
function regionOf(plan: PlanDocument, trust: PolicyDocument): string {
  const provider = plan.resources.find((r) => r.type === "pulumi:providers:aws" && typeof r.inputs["region"] === "string");
  if (provider !== undefined) return String(provider.inputs["region"]);
  const named = trust.Statement.flatMap((s) => Object.values(s.Condition ?? {}).flatMap((c) => list(c["aws:RequestTag/eks-cluster-arn"])));
  return named[0]?.split(":")[3] ?? "";
}

/**
 * The requests EKS Pod Identity makes for the association (`sts:AssumeRole`, `sts:TagSession`, its
 * session tags and `aws:SourceAccount`), against the role's trust policy.
 */
async function podIdentityRefusal(plan: PlanDocument, trust: PolicyDocument, roleArn: string, association: PlannedResource): Promise<string | undefined> {
  const [, partition = "aws", , , accountId = ""] = roleArn.split(":");
  const clusterName = String(association.inputs["clusterName"]);
  const clusterArn = `arn:${partition}:eks:${regionOf(plan, trust)}:${accountId}:cluster/${clusterName}`;
  const subject = { clusterName, clusterArn, accountId, namespace: String(association.inputs["namespace"]), serviceAccount: String(association.inputs["serviceAccount"]) };
  for (const step of podIdentityAssume(roleArn, subject)) {
    const result = await (await simulator()).runSimulation(
      {
        request: { principal: step.principal, action: step.action, resource: { resource: roleArn, accountId }, contextVariables: { ...(step.context as Record<string, string>) } },
        identityPolicies: [],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        resourcePolicy: trust,
      },
      {},
    );
    if (result.resultType === "error") return `the IAM simulator rejected ${step.action} on ${roleArn}: ${JSON.stringify(result.errors)}`;
    if (result.overallResult !== "Allowed") return `the trust policy of role ${roleArn} refuses ${step.action} by EKS Pod Identity for ${subject.namespace}/${subject.serviceAccount} on ${clusterArn}`;
  }
  return undefined;
}

async function trustVerdict(plan: PlanDocument, role: PlannedResource, roleArn: string, sa: { namespace: string; name: string }): Promise<string | undefined> {
  const trust = parse(role.inputs["assumeRolePolicy"]);
  if (trust === undefined) return `role ${roleArn} has no readable trust policy`;
  const subject = `system:serviceaccount:${sa.namespace}:${sa.name}`;
  const irsa = trust.Statement.some(
    (s) =>
      s.Effect === "Allow" &&
      list(s.Action).includes("sts:AssumeRoleWithWebIdentity") &&
      Object.values(s.Condition?.["StringEquals"] ?? {}).length > 0 &&
      Object.entries(s.Condition?.["StringEquals"] ?? {}).some(([key, value]) => key.endsWith(":sub") && list(value).includes(subject)),
  );
  if (irsa) return undefined;
  const podIdentityTrust = trust.Statement.some((s) => s.Effect === "Allow" && typeof s.Principal === "object" && list(s.Principal["Service"]).includes("pods.eks.amazonaws.com") && list(s.Action).includes("sts:AssumeRole") && list(s.Action).includes("sts:TagSession"));
  const association = identityResources(plan).find((r) => r.type === POD_IDENTITY && r.inputs["namespace"] === sa.namespace && r.inputs["serviceAccount"] === sa.name && r.inputs["roleArn"] === roleArn);
  if (podIdentityTrust && association) return podIdentityRefusal(plan, trust, roleArn, association);
  if (podIdentityTrust) return `no Pod Identity association binds ${sa.namespace}/${sa.name} to role ${roleArn}`;
  return `the trust policy of role ${roleArn} admits neither ${subject} (IRSA) nor EKS Pod Identity`;
}

/** The role's identity policies: inline documents and attached customer policies found in the plan. */
function policiesOf(plan: PlanDocument, roleName: string): { documents: PolicyDocument[]; unreadable: string[] } {
  const documents: PolicyDocument[] = [];
  const unreadable: string[] = [];
  for (const r of identityResources(plan)) {
    if (r.type === ROLE_POLICY && r.inputs["role"] === roleName) {
      const doc = parse(r.inputs["policy"]);
      if (doc === undefined) unreadable.push(`inline policy ${r.name}`);
      else documents.push(doc);
    }
    if (r.type === ATTACHMENT && r.inputs["role"] === roleName) unreadable.push(`attached ${String(r.inputs["policyArn"])}`);
  }
  return { documents, unreadable };
}

/**
 * The resource policy AWS also evaluates for a call: a KMS key's policy (a key is usable only if
 * its policy allows it, or delegates to the account's IAM policies), a bucket's policy for S3.
 * `undefined` with a reason when the key the call names is not in the plan.
 */
function resourcePolicyOf(plan: PlanDocument, call: { readonly action: string; readonly resource: string }): { policy?: PolicyDocument; missing?: string } {
  if (call.action.startsWith("kms:")) {
    const keyId = call.resource.split(":key/")[1];
    const key = identityResources(plan).find((r) => r.type === KMS_KEY && mockKmsKeyId(r.name) === keyId);
    const policy = key === undefined ? undefined : parse(key.inputs["policy"]);
    return policy === undefined ? { missing: `no KMS key ${call.resource} with a readable key policy in the plan` } : { policy };
  }
  if (call.action.startsWith("s3:")) {
    const bucket = call.resource.replace(/^arn:[^:]+:s3:::/, "").split("/")[0];
    const found = identityResources(plan).find((r) => r.type === BUCKET_POLICY && r.inputs["bucket"] === bucket);
    const policy = found === undefined ? undefined : parse(found.inputs["policy"]);
    return policy === undefined ? {} : { policy };
  }
  return {};
}

export async function checkAwsIdentity(plan: PlanDocument, aws: NonNullable<Need["aws"]>): Promise<Verdict> {
  const role = roleOf(plan, aws.roleArn);
  if (role === undefined) return { ok: false, missing: `no IAM role ${aws.roleArn} in the plan or the upstream stacks planned with it` };
  if (aws.serviceAccount !== undefined) {
    const problem = await trustVerdict(plan, role.resource, aws.roleArn, aws.serviceAccount);
    if (problem !== undefined) return { ok: false, missing: problem };
  }
  const { documents, unreadable } = policiesOf(plan, role.name);
  const account = aws.roleArn.split(":")[4] ?? "";
  const principal = `arn:aws:sts::${account}:assumed-role/${role.name}/session`;
  for (const call of aws.calls) {
    const resource = resourcePolicyOf(plan, call);
    if (resource.missing !== undefined) return { ok: false, missing: `${call.why}: ${resource.missing} (${call.action} is decided by it)` };
    const result = await (await simulator()).runSimulation(
      {
        request: {
          principal,
          action: call.action,
          resource: { resource: call.resource, accountId: call.resource.split(":")[4] || account },
          contextVariables: { ...(call.context ?? {}) },
        },
        identityPolicies: documents.map((policy, i) => ({ name: `policy-${i}`, policy })),
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        ...(resource.policy === undefined ? {} : { resourcePolicy: resource.policy }),
      },
      {},
    );
    if (result.resultType === "error") return { ok: false, missing: `${call.why}: the IAM simulator rejected ${call.action} on ${call.resource}: ${JSON.stringify(result.errors)}` };
    if (result.overallResult !== "Allowed") {
      const beyond = unreadable.length > 0 ? ` (not evaluated: ${unreadable.join(", ")})` : "";
      return { ok: false, missing: `role ${role.name} does not allow ${call.action} on ${call.resource} (${call.why})${beyond}` };
    }
  }
  return { ok: true, note: `${aws.calls.length} call(s) allowed` };
}
