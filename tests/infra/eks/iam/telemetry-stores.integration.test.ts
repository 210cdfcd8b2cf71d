/**
 * Issues #12 and #18: Loki and Tempo reach their S3 buckets on EKS through IRSA roles. The roles
 * strata renders (trust, policy) are evaluated against each store's real call sequence, from the
 * web-identity exchange of its service account to every S3 and KMS request its client makes
 * (platform/observability/store-calls.ts, from the clients' source), and against the same
 * requests on every other bucket.
 */
import { expect } from "chai";
import { tlsOnlyPolicy } from "../../../../infra/eks/buckets";
import { irsaTrust } from "../../../../infra/eks/irsa-roles";
import { keyPolicy } from "../../../../infra/eks/kms";
import { LOKI_S3_ACTIONS, telemetryStorePolicy, TEMPO_S3_ACTIONS } from "../../../../infra/eks/policies";
import { assumeRoleWithWebIdentity, type S3Target } from "../../../../lib/aws-calls";
import type { AwsCall } from "../../../../lib/connections";
import { IRSA_SERVICE_ACCOUNTS } from "../../../../lib/service-accounts";
import { lokiS3Calls, tempoS3Calls } from "../../../../platform/observability/store-calls";
import { tempoConfig } from "../../../../platform/observability/traces-values";
import { ACCOUNT, BACKUPS_BUCKET_ARN, CLUSTER, KEY_ARN, REGION, decideCall, namedActions, refusedCalls, resolvedCall, unknownActions, type RenderedRole } from "./simulator";

const bucketArn = (purpose: string) => `arn:aws:s3:::${CLUSTER}-${purpose}-${ACCOUNT}`;
const LOGS = bucketArn("logs");
const TRACES = bucketArn("traces");
const ISSUER = `https://oidc.eks.${REGION}.amazonaws.com/id/5E1A2B3C4D5E6F708192A3B4C5D6E7F8`;
const OIDC_PROVIDER = `arn:aws:iam::${ACCOUNT}:oidc-provider/${ISSUER.replace("https://", "")}`;
const target = (bucket: string): S3Target => ({ bucketArn: bucket, keyArn: KEY_ARN, region: REGION, accountId: ACCOUNT });
const keyOfCluster = keyPolicy(ACCOUNT, "aws", REGION, CLUSTER);

/** Tempo's S3 block exactly as strata renders it on EKS (the platform layer's s3ObjectStore). */
const tempoS3 = (() => {
  const rendered = tempoConfig({ replicas: 3, namespace: "monitoring", retentionDays: 14, prometheusUrls: ["http://prometheus-kube-prometheus-stack-prometheus-0.prometheus-operated.monitoring.svc.cluster.local:9090"], bucket: { endpoint: `https://s3.${REGION}.amazonaws.com`, region: REGION, forcePathStyle: false, bucket: `${CLUSTER}-traces-${ACCOUNT}` } }).storage.trace;
  if (!("s3" in rendered)) throw new Error("Tempo is not configured for S3");
  return rendered.s3;
})();

const STORES = {
  Loki: {
    /** Loki storage docs (AWS): the actions its S3 client needs. */
    upstream: ["s3:ListBucket", "s3:PutObject", "s3:GetObject", "s3:DeleteObject"],
    /** Granted beyond the docs, from the client's source. */
    beyondDocs: [],
    /** Granted because the docs list them, for options strata leaves off. */
    unusedByStrata: [],
    actions: LOKI_S3_ACTIONS,
    bucket: LOGS,
    other: TRACES,
    subject: IRSA_SERVICE_ACCOUNTS.logs,
    calls: lokiS3Calls(target(LOGS)),
  },
  Tempo: {
    /** Tempo docs, "Amazon S3 permissions". */
    upstream: ["s3:PutObject", "s3:GetObject", "s3:ListBucket", "s3:DeleteObject", "s3:GetObjectTagging", "s3:PutObjectTagging"],
    beyondDocs: ["s3:AbortMultipartUpload"],
    // Tempo writes object tags only with its `tags` setting (PutObjectOptions.UserTags), which strata does not set.
    unusedByStrata: ["s3:PutObjectTagging"],
    actions: TEMPO_S3_ACTIONS,
    bucket: TRACES,
    other: LOGS,
    subject: IRSA_SERVICE_ACCOUNTS.traces,
    calls: tempoS3Calls(target(TRACES), tempoS3),
  },
} as const;

/** The same call on another bucket (the object key kept). */
const onBucket = (call: AwsCall, from: string, to: string): AwsCall => {
  const { resource } = resolvedCall(call);
  return { ...call, resource: resource.replace(from, to) };
};

for (const [store, spec] of Object.entries(STORES)) {
  describe(`IAM simulation: ${store} on its S3 bucket (IRSA)`, () => {
    const policy = telemetryStorePolicy(spec.bucket, KEY_ARN, spec.actions, REGION);
    const roleArn = `arn:aws:iam::${ACCOUNT}:role/${CLUSTER}-${spec.subject.serviceAccount}`;
    const role: RenderedRole = { arn: roleArn, trust: irsaTrust(OIDC_PROVIDER, ISSUER, spec.subject.namespace, spec.subject.serviceAccount), policies: [policy] };
    const reached = { bucketPolicy: tlsOnlyPolicy(spec.bucket), keyPolicy: keyOfCluster };
    const webIdentity = (namespace: string, serviceAccount: string) => assumeRoleWithWebIdentity(roleArn, { oidcProviderArn: OIDC_PROVIDER, issuerUrl: ISSUER, namespace, serviceAccount });

    it("grants the S3 actions the upstream docs list and what the client's source shows it calls, all known to IAM", async () => {
      expect(namedActions([policy]).filter((a) => a.startsWith("s3:"))).to.deep.equal([...spec.upstream, ...spec.beyondDocs].sort());
      expect(await unknownActions(policy)).to.deep.equal([]);
    });

    // Tempo's role lacked AbortMultipartUpload (issue #18); Loki's allowed its sequence already.
    it(`${store === "Tempo" ? "issue #18: " : ""}allows ${store}'s whole call sequence: its service account's web identity, then every S3 and KMS request in order`, async () => {
      const sequence = [webIdentity("monitoring", spec.subject.serviceAccount), ...spec.calls];
      expect(await refusedCalls(sequence, role, reached)).to.deep.equal([]);
    });

    it("grants no action the sequence does not use, but those the docs list for options strata leaves off", () => {
      const used = new Set(spec.calls.map((c) => c.action));
      expect(namedActions([policy]).filter((a) => !used.has(a))).to.deep.equal([...spec.unusedByStrata]);
    });

    it("lets only the store's service account assume the role", async () => {
      expect(await decideCall(resolvedCall(webIdentity("monitoring", spec.subject.serviceAccount)), role, reached)).to.equal("Allowed");
      for (const [namespace, serviceAccount] of [["monitoring", "default"], ["monitoring", store === "Loki" ? "tempo" : "loki"], ["apps", spec.subject.serviceAccount]] as const) {
        expect(await decideCall(resolvedCall(webIdentity(namespace, serviceAccount)), role, reached), `${namespace}/${serviceAccount}`).to.not.equal("Allowed");
      }
    });

    it("uses the cluster key only through S3", async () => {
      for (const action of ["kms:GenerateDataKey", "kms:Decrypt"]) {
        expect(await decideCall({ why: "call KMS directly", action, resource: KEY_ARN, context: { "kms:CallerAccount": ACCOUNT } }, role, reached), action).to.not.equal("Allowed");
      }
    });

    it("refuses the same calls on every other bucket: the other store's, backups, application objects", async () => {
      const s3Calls = spec.calls.filter((c) => c.action.startsWith("s3:"));
      for (const bucket of [spec.other, BACKUPS_BUCKET_ARN, bucketArn("objects")]) {
        for (const call of s3Calls.map((c) => resolvedCall(onBucket(c, spec.bucket, bucket)))) {
          expect(await decideCall(call, role, { bucketPolicy: tlsOnlyPolicy(bucket) }), `${call.action} on ${call.resource}`).to.not.equal("Allowed");
        }
      }
    });

    it("refuses to change the bucket itself or delete object versions", async () => {
      for (const action of ["s3:DeleteBucket", "s3:PutBucketPolicy", "s3:PutLifecycleConfiguration", "s3:PutBucketVersioning"]) {
        expect(await decideCall({ why: "bucket admin", action, resource: spec.bucket }, role, reached), action).to.not.equal("Allowed");
      }
      expect(await decideCall({ why: "erase history", action: "s3:DeleteObjectVersion", resource: `${spec.bucket}/x` }, role, reached)).to.not.equal("Allowed");
    });
  });
}

describe("Tempo's S3 client as strata configures it", () => {
  it("is given the region, so minio-go never asks for the bucket's location (which the role does not grant)", () => {
    expect(tempoS3.region).to.equal(REGION);
    expect(STORES.Tempo.calls.map((c) => c.action)).to.not.include("s3:GetBucketLocation");
    expect(tempoS3Calls(target(TRACES), { region: "" })[0]?.action).to.equal("s3:GetBucketLocation");
  });
});
