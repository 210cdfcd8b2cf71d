/**
 * Issue #12: Loki and Tempo reach their S3 buckets on EKS through IRSA roles. The roles' policies
 * are evaluated against the requests each store's S3 client makes (the actions in Loki's storage
 * docs and Tempo's "Amazon S3 permissions" page), and against requests on every other bucket.
 */
import { expect } from "chai";
import { irsaTrust } from "../../../../infra/eks/irsa-roles";
import { keyPolicy } from "../../../../infra/eks/kms";
import { LOKI_S3_ACTIONS, telemetryStorePolicy, TEMPO_S3_ACTIONS } from "../../../../infra/eks/policies";
import { ACCOUNT, BACKUPS_BUCKET_ARN, CLUSTER, KEY_ARN, REGION, decide, namedActions, unknownActions, type SimRequest } from "./simulator";

const bucketArn = (purpose: string) => `arn:aws:s3:::${CLUSTER}-${purpose}-${ACCOUNT}`;
const LOGS = bucketArn("logs");
const TRACES = bucketArn("traces");
const webIdentity = (serviceAccount: string) => `arn:aws:sts::${ACCOUNT}:assumed-role/${CLUSTER}-${serviceAccount}/${serviceAccount}-session`;
const viaS3 = { "kms:ViaService": `s3.${REGION}.amazonaws.com`, "kms:CallerAccount": ACCOUNT };

/** What each store's client does in its own bucket, by S3 action. */
const STORES = {
  Loki: {
    upstream: ["s3:ListBucket", "s3:PutObject", "s3:GetObject", "s3:DeleteObject"],
    actions: LOKI_S3_ACTIONS,
    bucket: LOGS,
    other: TRACES,
    principal: webIdentity("loki"),
    requests: [
      { why: "list the day's index tables", action: "s3:ListBucket", resource: LOGS, context: { "s3:prefix": "index/index_20420/" } },
      { why: "flush a chunk", action: "s3:PutObject", resource: `${LOGS}/strata/6d2f1a0b3c4e5f60/18c1a2b3c4d:18c1a2b3c4e:1a2b3c4d` },
      { why: "upload a TSDB index table", action: "s3:PutObject", resource: `${LOGS}/index/index_20420/loki-0-1764201600.tsdb.gz` },
      { why: "read a chunk for a query", action: "s3:GetObject", resource: `${LOGS}/strata/6d2f1a0b3c4e5f60/18c1a2b3c4d:18c1a2b3c4e:1a2b3c4d` },
      { why: "compactor deletes an expired chunk", action: "s3:DeleteObject", resource: `${LOGS}/strata/6d2f1a0b3c4e5f60/18c1a2b3c4d:18c1a2b3c4e:1a2b3c4d` },
      { why: "compactor records a delete request", action: "s3:PutObject", resource: `${LOGS}/index/delete_requests/delete_requests.gz` },
    ],
  },
  Tempo: {
    upstream: ["s3:PutObject", "s3:GetObject", "s3:ListBucket", "s3:DeleteObject", "s3:GetObjectTagging", "s3:PutObjectTagging"],
    actions: TEMPO_S3_ACTIONS,
    bucket: TRACES,
    other: LOGS,
    principal: webIdentity("tempo"),
    requests: [
      { why: "poll the blocklist", action: "s3:ListBucket", resource: TRACES, context: { "s3:prefix": "single-tenant/" } },
      { why: "write a block", action: "s3:PutObject", resource: `${TRACES}/single-tenant/4f3c2b1a-0d9e-4c8b-a7f6-e5d4c3b2a190/data.parquet` },
      { why: "write the tenant index", action: "s3:PutObject", resource: `${TRACES}/single-tenant/index.json.gz` },
      { why: "read a block for a trace lookup", action: "s3:GetObject", resource: `${TRACES}/single-tenant/4f3c2b1a-0d9e-4c8b-a7f6-e5d4c3b2a190/bloom-0` },
      { why: "compactor deletes a block past retention", action: "s3:DeleteObject", resource: `${TRACES}/single-tenant/4f3c2b1a-0d9e-4c8b-a7f6-e5d4c3b2a190/meta.json` },
      { why: "read a block's tags", action: "s3:GetObjectTagging", resource: `${TRACES}/single-tenant/4f3c2b1a-0d9e-4c8b-a7f6-e5d4c3b2a190/meta.json` },
      { why: "tag a block", action: "s3:PutObjectTagging", resource: `${TRACES}/single-tenant/4f3c2b1a-0d9e-4c8b-a7f6-e5d4c3b2a190/meta.json` },
    ],
  },
} as const;

for (const [store, spec] of Object.entries(STORES)) {
  describe(`IAM simulation: ${store} on its S3 bucket (IRSA)`, () => {
    const policy = telemetryStorePolicy(spec.bucket, KEY_ARN, spec.actions);
    const at = (request: Omit<SimRequest, "principal">): SimRequest => ({ ...request, principal: spec.principal });

    it("grants exactly the S3 actions the upstream docs list, all of them known to IAM", async () => {
      expect(namedActions([policy]).filter((a) => a.startsWith("s3:"))).to.deep.equal([...spec.upstream].sort());
      expect(await unknownActions(policy)).to.deep.equal([]);
    });
    for (const request of spec.requests) {
      it(`allows: ${request.why} (${request.action})`, async () => {
        expect(await decide(at(request), [policy])).to.equal("Allowed");
      });
    }
    it("exercises every granted S3 action", () => {
      const exercised = new Set<string>(spec.requests.map((r) => r.action));
      expect(spec.upstream.filter((a) => !exercised.has(a))).to.deep.equal([]);
    });
    it("writes and reads objects encrypted with the cluster key through S3", async () => {
      const key = keyPolicy(ACCOUNT, "aws", REGION, CLUSTER);
      for (const action of ["kms:GenerateDataKey", "kms:Decrypt"]) {
        expect(await decide(at({ why: "SSE-KMS", action, resource: KEY_ARN, context: viaS3 }), [policy], key), action).to.equal("Allowed");
      }
    });
    it("refuses every other bucket: the other store's, backups, application objects", async () => {
      for (const bucket of [spec.other, BACKUPS_BUCKET_ARN, bucketArn("objects")]) {
        for (const request of spec.requests) {
          const resource = request.resource === spec.bucket ? bucket : `${bucket}/${request.resource.split("/").slice(1).join("/")}`;
          expect(await decide(at({ ...request, resource }), [policy]), `${request.action} on ${resource}`).to.not.equal("Allowed");
        }
      }
    });
    it("refuses to change the bucket itself or delete object versions", async () => {
      for (const action of ["s3:DeleteBucket", "s3:PutBucketPolicy", "s3:PutLifecycleConfiguration", "s3:PutBucketVersioning"]) {
        expect(await decide(at({ why: "bucket admin", action, resource: spec.bucket }), [policy]), action).to.not.equal("Allowed");
      }
      expect(await decide(at({ why: "erase history", action: "s3:DeleteObjectVersion", resource: `${spec.bucket}/x` }), [policy])).to.not.equal("Allowed");
    });
  });
}

describe("IRSA trust of the telemetry roles", () => {
  it("lets only the store's own service account assume its role", () => {
    const trust = irsaTrust(`arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.eks.${REGION}.amazonaws.com/id/EXAMPLE`, `https://oidc.eks.${REGION}.amazonaws.com/id/EXAMPLE`, "monitoring", "loki");
    expect(trust.Statement[0]?.Condition).to.deep.equal({
      StringEquals: { [`oidc.eks.${REGION}.amazonaws.com/id/EXAMPLE:sub`]: "system:serviceaccount:monitoring:loki", [`oidc.eks.${REGION}.amazonaws.com/id/EXAMPLE:aud`]: "sts.amazonaws.com" },
    });
  });
});
