/**
 * `strata:platform.backups.target`: where every backup writer (Barman for PostgreSQL, Percona
 * xtrabackup, PBM, Velero, the object store's bucket copy) puts its backups. A backup is only
 * worth its cost if it survives what it protects against, so prod refuses backups that live
 * in the cluster they protect unless the config says so, with a reason.
 */
import { z } from "zod";
import { strictObject } from "../common";
import { describeValue } from "../errors";
import type { PlatformContext } from "./common";

const bucketName = z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { error: "must be an S3 bucket name: 3-63 lower-case letters, digits, '.', '-'" });

const httpsUrl = z.string().regex(/^https:\/\/[a-z0-9.-]+(:\d{1,5})?\/?$/, { error: "must be an https://host[:port] URL (backups leave the cluster only over TLS)" });

const pem = z.string().regex(/^-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----\s*$/, { error: "must be PEM certificates (-----BEGIN CERTIFICATE----- …)" });

const InClusterTarget = strictObject({
  type: z.literal("in-cluster").describe("The platform's object store (SeaweedFS), in the cluster it backs up."),
  acceptSameFailureDomain: z.boolean().default(false).describe("Accept that losing the cluster loses its backups (prod refuses the in-cluster target otherwise)."),
  reason: z.string().min(10).optional().describe("Why the in-cluster target is acceptable; required with acceptSameFailureDomain, printed in the plan."),
});

const S3Target = strictObject({
  type: z.literal("s3").describe("An S3 bucket outside the cluster: AWS S3 or an S3-compatible store (MinIO, Ceph RGW, another site's SeaweedFS)."),
  endpoint: httpsUrl.optional().describe("S3 API URL. Default: AWS S3's regional endpoint, https://s3.<region>.amazonaws.com."),
  region: z.string().min(1).describe("Region of the bucket (any value an S3-compatible store accepts, e.g. us-east-1)."),
  bucket: bucketName.describe("Bucket every writer puts its prefix in (postgres/, mysql/, mongodb/, velero/, objects/); must exist."),
  forcePathStyle: z.boolean().optional().describe("Path-style addressing (<endpoint>/<bucket>). Default: true with a custom endpoint, false on AWS."),
  caBundle: pem.optional().describe("CA certificates the endpoint's certificate chains to, when it is not publicly trusted."),
  credentials: strictObject({
    accessKeyId: z.string().min(1).describe("Access key id (secret config)."),
    secretAccessKey: z.string().min(1).describe("Secret access key (secret config)."),
  }).describe("Keys of the writers' identity at the target; store them as secrets: `pulumi config set --secret --path 'strata:platform.backups.target.credentials.secretAccessKey' …`."),
  capacityGi: z.number().int().positive().optional().describe("Space the target offers for this stack's backups, GiB; the plan's backup estimate is checked against it."),
});

export const BackupTargetConfig = z
  .discriminatedUnion("type", [InClusterTarget, S3Target])
  .describe("Where backups go. Default: the infra layer's backups bucket on EKS; the in-cluster object store elsewhere when it is enabled.");
export type BackupTargetInput = z.infer<typeof BackupTargetConfig>;

/** Where backups go, resolved. */
export type BackupTargetSettings =
  /** Nowhere: no target configured and no object store to default to. */
  | { readonly kind: "none" }
  /**
   * The platform's store, decided where the backend is known (the infra layer is another
   * stack's): the infra layer's backups bucket on EKS, the in-cluster object store elsewhere.
   */
  | { readonly kind: "default" }
  /** The in-cluster object store; `waiver` is the reason prod accepts it. */
  | { readonly kind: "in-cluster"; readonly waiver?: string }
  /** EKS: the infra layer's backups bucket, reached through the writers' cloud identities. */
  | { readonly kind: "infra-bucket" }
  /** An S3 endpoint outside the cluster with static keys. */
  | {
      readonly kind: "s3";
      readonly endpoint: string;
      /** Whether `endpoint` is AWS S3's own (the SDKs find it without an endpoint override). */
      readonly aws: boolean;
      readonly region: string;
      readonly bucket: string;
      readonly forcePathStyle: boolean;
      readonly caBundle?: string;
      readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
      readonly capacityGi?: number;
    };

const KEY = "strata:platform.backups.target";

/** Resolves the target against the backend and the object store; problems are appended. */
export function resolveBackupTarget(input: BackupTargetInput | undefined, ctx: PlatformContext & { readonly objectStore: boolean }, problems: string[]): BackupTargetSettings {
  if (ctx.backend === "eks") {
    if (input !== undefined) {
      problems.push(`${KEY}.type: the eks backend backs up to the infra layer's backups bucket, outside the cluster (got ${describeValue(input.type)}); remove ${KEY}`);
    }
    const bucket = ctx.s3Buckets === undefined || ctx.s3Buckets.includes("backups");
    return bucket ? { kind: "infra-bucket" } : { kind: "none" };
  }
  if (input === undefined && ctx.backend === undefined) return { kind: "default" };
  if (input === undefined) {
    if (!ctx.objectStore) return { kind: "none" };
    if (ctx.environment === "prod") problems.push(sameFailureDomainProblem("in-cluster (the default with the object store enabled)"));
    return { kind: "in-cluster" };
  }
  if (input.type === "in-cluster") {
    if (!ctx.objectStore) {
      problems.push(`${KEY}.type: the in-cluster target is the platform's object store, which is off (got "in-cluster"); set strata:platform.objectStore.enabled to true or use type s3`);
    }
    if (input.acceptSameFailureDomain && input.reason === undefined) {
      problems.push(`${KEY}.reason: is required with acceptSameFailureDomain (got nothing); say why losing the cluster may lose its backups`);
    }
    if (ctx.environment === "prod" && !input.acceptSameFailureDomain) problems.push(sameFailureDomainProblem('"in-cluster"'));
    return input.acceptSameFailureDomain && input.reason !== undefined ? { kind: "in-cluster", waiver: input.reason } : { kind: "in-cluster" };
  }
  const endpoint = (input.endpoint ?? `https://s3.${input.region}.amazonaws.com`).replace(/\/$/, "");
  const aws = input.endpoint === undefined || /^https:\/\/s3[.-]([a-z0-9-]+\.)?amazonaws\.com(:443)?$/.test(endpoint);
  return {
    kind: "s3",
    endpoint,
    aws,
    region: input.region,
    bucket: input.bucket,
    forcePathStyle: input.forcePathStyle ?? !aws,
    ...(input.caBundle === undefined ? {} : { caBundle: input.caBundle }),
    credentials: input.credentials,
    ...(input.capacityGi === undefined ? {} : { capacityGi: input.capacityGi }),
  };
}

export function sameFailureDomainProblem(got: string): string {
  return `${KEY}: prod backups on the in-cluster object store are lost with the cluster they protect (got ${got}); set type s3 with a bucket outside the cluster, or type in-cluster with acceptSameFailureDomain: true and a reason`;
}

/**
 * The target's keys are secrets: once set, `strata:platform` must be stored encrypted, so they
 * never sit in clear in the stack file. Messages never repeat them.
 */
export function backupTargetSecretProblems(target: BackupTargetSettings, platformIsSecret: boolean): string[] {
  if (target.kind !== "s3" || platformIsSecret) return [];
  return [`${KEY}.credentials: must be stored as secrets (got keys in clear, not shown); set them with \`pulumi config set --secret --path '${KEY}.credentials.secretAccessKey' <value>\` (and accessKeyId)`];
}

/** One line for the plan: where backups go, and the waiver when prod accepts the cluster itself. */
export function describeBackupTarget(target: BackupTargetSettings): string {
  switch (target.kind) {
    case "none":
      return "none: no backup target (no object store and no strata:platform.backups.target)";
    case "default":
      return "the platform's store: the infra layer's S3 backups bucket on eks, the in-cluster object store elsewhere";
    case "in-cluster":
      return target.waiver === undefined ? "in-cluster object store (same failure domain as the cluster)" : `in-cluster object store, accepted: ${target.waiver}`;
    case "infra-bucket":
      return "the infra layer's S3 backups bucket (outside the cluster)";
    case "s3":
      return `s3 bucket ${target.bucket} at ${target.endpoint} (outside the cluster)`;
  }
}
