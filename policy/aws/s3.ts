/**
 * S3 buckets: each has default encryption and a public access block with all four settings on.
 * Both live in separate resources (AWS provider v6+), so these are stack policies that find the
 * resource that refers to each bucket.
 */
import type { PolicyResource, ReportViolation, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { isObj } from "../kubernetes/workloads";

const BUCKETS = new Set(["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"]);
const ENCRYPTION = new Set(["aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"]);
const PUBLIC_ACCESS_BLOCK = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";

/** The resource refers to the bucket: through a dependency on it, or by its name. */
function refersTo(resource: PolicyResource, bucket: PolicyResource): boolean {
  const viaDependency = (resource.propertyDependencies["bucket"] ?? resource.dependencies).some((d) => d.urn === bucket.urn);
  const name: unknown = bucket.props["bucket"];
  return viaDependency || (typeof name === "string" && resource.props["bucket"] === name);
}

function encrypts(config: PolicyResource): boolean {
  const rules = Array.isArray(config.props["rules"]) ? (config.props["rules"] as unknown[]) : [];
  return rules.some((rule) => {
    const byDefault = isObj(rule) && isObj(rule["applyServerSideEncryptionByDefault"]) ? rule["applyServerSideEncryptionByDefault"] : undefined;
    return byDefault !== undefined && ["aws:kms", "aws:kms:dsse", "AES256"].includes(String(byDefault["sseAlgorithm"]));
  });
}

export const s3Encrypted: StackValidationPolicy = {
  name: "s3-encrypted",
  description: "Every S3 bucket has default server-side encryption (KMS or AES256) configured.",
  validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
    const configs = args.resources.filter((r) => ENCRYPTION.has(r.type));
    for (const bucket of args.resources.filter((r) => BUCKETS.has(r.type))) {
      if (!configs.some((c) => refersTo(c, bucket) && encrypts(c))) reportViolation(`bucket ${bucket.name} has no BucketServerSideEncryptionConfiguration with sseAlgorithm aws:kms or AES256`, bucket.urn);
    }
  },
};

export const s3PublicAccessBlocked: StackValidationPolicy = {
  name: "s3-public-access-blocked",
  description: "Every S3 bucket has a public access block with all four settings true.",
  validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
    const blocks = args.resources.filter((r) => r.type === PUBLIC_ACCESS_BLOCK);
    const keys = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"];
    for (const bucket of args.resources.filter((r) => BUCKETS.has(r.type))) {
      const block = blocks.find((b) => refersTo(b, bucket));
      if (block === undefined) {
        reportViolation(`bucket ${bucket.name} has no BucketPublicAccessBlock`, bucket.urn);
        continue;
      }
      const off = keys.filter((k) => block.props[k] !== true);
      if (off.length > 0) reportViolation(`bucket ${bucket.name}: the public access block leaves ${off.join(", ")} off`, bucket.urn);
    }
  },
};
