/**
 * `strata:apps.services.<name>` keys for what a service needs at run time beyond its Deployment:
 * custom-metric scaling through KEDA (`autoscaling.requestsPerSecond|latencyMs`), an AWS identity
 * (`awsAccess`), a migration init container (`migration`), egress to external networks
 * (`egress`) and the object store (`uses: objectStore`).
 */
import { z } from "zod";
import { cidr, count, dnsSubdomain, port, strictObject } from "../common";

/** `uses` entry for the platform's object store (`PlatformOutputs.objectStore`, not an `Endpoint`). */
export const OBJECT_STORE_USE = "objectStore";

/**
 * What of the object store an environment variable receives (`objectStore.<field>`): `endpoint`
 * is the S3 URL (AWS SDKs), `hostPort` the same without the scheme (MinIO clients, e.g. the EMIS
 * seed's `MinIO__Endpoint`); the keys exist only where the store has static credentials.
 */
export const OBJECT_STORE_FIELDS = ["endpoint", "hostPort", "bucket", "region", "accessKey", "secretKey"] as const;
export type ObjectStoreField = (typeof OBJECT_STORE_FIELDS)[number];

/** Bucket purpose (of `PlatformOutputs.objectStore.buckets`) apps read and write. */
export const APP_BUCKET_PURPOSE = "objects";

/** Keys spread into `autoscaling`: Prometheus-driven targets that KEDA turns into external metrics. */
export const customMetricScaling = {
  requestsPerSecond: count(1)
    .optional()
    .describe("Requests per second per pod KEDA keeps (the service's `strata:http_requests:rate2m`, from its `httpMetrics` histogram); needs strata:platform.keda and a metricsPort."),
  latencyMs: count(1)
    .optional()
    .describe("Request latency in milliseconds at `latencyQuantile` above which KEDA adds pods (from the service's `strata:http_request_duration_seconds_bucket:rate2m`); needs strata:platform.keda and a metricsPort."),
  latencyQuantile: z.number().gt(0, { error: "must be above 0" }).lt(1, { error: "must be below 1" }).default(0.95).describe("Quantile `latencyMs` applies to."),
};

const IAM_ACTION = /^[a-z0-9-]+:[A-Za-z0-9*?]+$/;
const ARN = /^arn:aws(-[a-z]+)*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}|aws)?:\S+$/;

const statement = strictObject({
  effect: z.enum(["Allow", "Deny"]).default("Allow").describe("Allow or Deny."),
  actions: z.array(z.string().regex(IAM_ACTION, { error: "must be an IAM action service:Action such as s3:GetObject (no bare *)" })).min(1, { error: "must list at least one action" }).describe("IAM actions."),
  resources: z.array(z.union([z.literal("*"), z.string().regex(ARN, { error: 'must be an ARN such as arn:aws:s3:::bucket/* or "*"' })])).min(1, { error: "must list at least one resource" }).describe("Resource ARNs the actions apply to."),
});
export type AwsStatementSpec = z.infer<typeof statement>;

export const AwsAccessConfig = strictObject({
  policyArns: z
    .array(z.string().regex(/^arn:aws(-[a-z]+)*:iam::(aws|\d{12}):policy\/[\w+=,.@/-]+$/, { error: "must be an IAM policy ARN such as arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess" }))
    .default([])
    .describe("Managed policies attached to the app's role."),
  statements: z.array(statement).default([]).describe("Inline policy statements of the app's role."),
});
export type AwsAccessSpec = z.infer<typeof AwsAccessConfig>;

export const MigrationConfig = strictObject({
  command: z.array(z.string().min(1)).min(1, { error: "must name the program to run" }).describe("Entrypoint of the init container that migrates the schema before the app starts."),
  args: z.array(z.string()).optional().describe("Arguments of the migration command. Default: none."),
  image: z.string().min(1).optional().describe("Image of the migration container, pinned like `image`. Default: the app's image."),
});
export type MigrationSpec = z.infer<typeof MigrationConfig>;

const egressRule = strictObject({
  host: dnsSubdomain().optional().describe("Host name the CIDRs belong to; documentation only (NetworkPolicy matches addresses, not names)."),
  cidrs: z.array(cidr).min(1, { error: "must list at least one CIDR" }).describe("IPv4 ranges the app may connect to."),
  ports: z.array(port).min(1, { error: "must list at least one port" }).describe("Ports on those ranges."),
  protocol: z.enum(["TCP", "UDP"]).default("TCP").describe("Protocol of the ports."),
});
export type EgressSpec = z.infer<typeof egressRule>;

export const EgressConfig = z.array(egressRule).default([]);
