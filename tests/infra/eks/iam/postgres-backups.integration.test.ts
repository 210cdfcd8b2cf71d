/**
 * Issue #18: the Barman Cloud plugin reaches the backups bucket on EKS through the
 * `postgresBackups` IRSA role. The role strata renders (trust, policy) is evaluated against the
 * calls the plugin's barman-cloud-* commands make, in order, the first one included
 * (platform/postgres/backup-calls.ts), and against the requests it must refuse.
 */
import { expect } from "chai";
import { tlsOnlyPolicy } from "../../../../infra/eks/buckets";
import { irsaTrust, prefixBackupPolicy } from "../../../../infra/eks/irsa-roles";
import { keyPolicy } from "../../../../infra/eks/kms";
import { assumeRoleWithWebIdentity } from "../../../../lib/aws-calls";
import { BACKUP_PREFIXES } from "../../../../lib/bucket-layout";
import { IRSA_SERVICE_ACCOUNTS } from "../../../../lib/service-accounts";
import { barmanCloudCalls } from "../../../../platform/postgres/backup-calls";
import { ACCOUNT, BACKUPS_BUCKET_ARN, CLUSTER, KEY_ARN, REGION, actionsOf, decide, decideCall, refusedCalls, resolvedCall, sessionOf, type RenderedRole, type SimRequest } from "./simulator";

const ROLE = `${CLUSTER}-postgres-backups`;
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/${ROLE}`;
const ISSUER = `https://oidc.eks.${REGION}.amazonaws.com/id/5E1A2B3C4D5E6F708192A3B4C5D6E7F8`;
const OIDC_PROVIDER = `arn:aws:iam::${ACCOUNT}:oidc-provider/${ISSUER.replace("https://", "")}`;
const subject = IRSA_SERVICE_ACCOUNTS.postgresBackups;
const policy = prefixBackupPolicy(BACKUPS_BUCKET_ARN, BACKUP_PREFIXES.postgres, KEY_ARN, REGION);
const role: RenderedRole = { arn: ROLE_ARN, trust: irsaTrust(OIDC_PROVIDER, ISSUER, subject.namespace, subject.serviceAccount), policies: [policy] };
const reached = { bucketPolicy: tlsOnlyPolicy(BACKUPS_BUCKET_ARN), keyPolicy: keyPolicy(ACCOUNT, "aws", REGION, CLUSTER) };
const calls = barmanCloudCalls({ bucketArn: BACKUPS_BUCKET_ARN, keyArn: KEY_ARN, region: REGION, accountId: ACCOUNT });
const asBarman = (request: Omit<SimRequest, "principal">) => decide({ ...request, principal: sessionOf(ROLE), context: { "aws:SecureTransport": "true", ...request.context } }, [policy], reached.bucketPolicy);
const webIdentity = (namespace: string, serviceAccount: string) => assumeRoleWithWebIdentity(ROLE_ARN, { oidcProviderArn: OIDC_PROVIDER, issuerUrl: ISSUER, namespace, serviceAccount });

describe("IAM simulation: Barman Cloud on the backups bucket (IRSA role postgresBackups)", () => {
  it("issue #18: allows HeadBucket, which barman-cloud-check-wal-archive sends before the first WAL is archived (s3:ListBucket with no s3:prefix)", async () => {
    // barman/cloud_providers/aws_s3.py `_check_bucket_existence`; refused, the plugin never archives
    // a WAL segment, base backups wait for the archive, and WAL fills the primary's volume.
    expect(calls[0]?.action).to.equal("s3:ListBucket");
    expect(calls[0]?.context).to.not.have.property("s3:prefix");
    expect(await asBarman({ why: "HeadBucket", action: "s3:ListBucket", resource: BACKUPS_BUCKET_ARN })).to.equal("Allowed");
  });

  it("allows the plugin's whole call sequence: web identity, then every S3 and KMS request in order", async () => {
    // The client's service account: CloudNativePG names it after the cluster, in the data namespace.
    const sequence = [webIdentity("data", "postgres"), ...calls];
    expect(await refusedCalls(sequence, role, reached)).to.deep.equal([]);
  });

  it("grants nothing the sequence does not use", async () => {
    const used = new Set(calls.map((c) => c.action));
    expect((await actionsOf(policy)).filter((a) => !used.has(a))).to.deep.equal([]);
  });

  it("lets only the cluster's service account assume the role, with the STS audience", async () => {
    expect(await decideCall(resolvedCall(webIdentity("data", "postgres")), role, reached)).to.equal("Allowed");
    for (const [namespace, serviceAccount] of [["data", "default"], ["data", "postgres-pooler-rw"], ["apps", "postgres"], ["monitoring", "loki"]] as const) {
      expect(await decideCall(resolvedCall(webIdentity(namespace, serviceAccount)), role, reached), `${namespace}/${serviceAccount}`).to.not.equal("Allowed");
    }
    const otherAudience = resolvedCall(webIdentity("data", "postgres"));
    const context = Object.fromEntries(Object.entries(otherAudience.context ?? {}).map(([k, v]) => [k, k.endsWith(":aud") ? "vault" : v]));
    expect(await decideCall({ ...otherAudience, context }, role, reached)).to.not.equal("Allowed");
  });

  it("uses the bucket's key only through S3", async () => {
    for (const action of ["kms:Decrypt", "kms:GenerateDataKey"]) {
      const direct = { why: "call KMS directly", action, resource: KEY_ARN, context: { "kms:CallerAccount": ACCOUNT } };
      expect(await decideCall(direct, role, reached), action).to.not.equal("Allowed");
    }
  });

  it("refuses listings of another writer's prefix and objects outside postgres/", async () => {
    for (const prefix of [BACKUP_PREFIXES.velero, "velero/backups/", "", "postgresql/"]) {
      expect(await asBarman({ why: "list another prefix", action: "s3:ListBucket", resource: BACKUPS_BUCKET_ARN, context: { "s3:prefix": prefix } }), prefix).to.not.equal("Allowed");
    }
    for (const action of ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]) {
      const resource = `${BACKUPS_BUCKET_ARN}/velero/backups/daily-apps-20261127020000/velero-backup.json`;
      expect(await asBarman({ why: "Velero's objects", action, resource }), action).to.not.equal("Allowed");
    }
  });

  it("refuses other buckets and the bucket's administration", async () => {
    for (const bucket of [`arn:aws:s3:::${CLUSTER}-objects-${ACCOUNT}`, `arn:aws:s3:::${CLUSTER}-logs-${ACCOUNT}`]) {
      expect(await asBarman({ why: "list another bucket", action: "s3:ListBucket", resource: bucket }), bucket).to.not.equal("Allowed");
      expect(await asBarman({ why: "write another bucket", action: "s3:PutObject", resource: `${bucket}/postgres/x` }), bucket).to.not.equal("Allowed");
    }
    for (const action of ["s3:PutBucketPolicy", "s3:DeleteBucket", "s3:PutLifecycleConfiguration", "s3:PutBucketVersioning"]) {
      expect(await asBarman({ why: "administer the bucket", action, resource: BACKUPS_BUCKET_ARN }), action).to.not.equal("Allowed");
    }
    expect(await asBarman({ why: "erase history", action: "s3:DeleteObjectVersion", resource: `${BACKUPS_BUCKET_ARN}/postgres/postgres/base/x` })).to.not.equal("Allowed");
  });
});
