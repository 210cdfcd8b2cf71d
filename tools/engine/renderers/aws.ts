/**
 * IAM and resource policies as files for `plan --out`, so a reviewer reads every permission the
 * EKS backend grants as the JSON AWS receives, with keys sorted for stable diffs.
 */
import type { Renderer } from "./types";

/** Type token → the input holding a policy document (JSON text). */
export const POLICY_INPUTS: Readonly<Record<string, string>> = {
  "aws:iam/role:Role": "assumeRolePolicy",
  "aws:iam/rolePolicy:RolePolicy": "policy",
  "aws:kms/key:Key": "policy",
  "aws:s3/bucketPolicy:BucketPolicy": "policy",
  "aws:sqs/queuePolicy:QueuePolicy": "policy",
};

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    return Object.fromEntries(Object.keys(obj).sort().map((key) => [key, sortKeys(obj[key])]));
  }
  return value;
}

export const renderPolicy: Renderer = (resource, redact) => {
  const field = POLICY_INPUTS[resource.type];
  const text = field === undefined ? undefined : resource.rawInputs[field];
  if (typeof text !== "string" || text === "") return [];
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return [];
  }
  const kind = resource.type.split(":").pop() ?? "Policy";
  const name = resource.name.replace(/[^A-Za-z0-9._-]+/g, "_");
  return [{ path: `aws/policies/${kind}-${name}.json`, content: redact(`${JSON.stringify(sortKeys(document), null, 2)}\n`) }];
};
