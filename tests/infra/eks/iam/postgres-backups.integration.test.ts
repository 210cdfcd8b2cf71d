/**
 * Issue #18: the Barman Cloud plugin reaches the backups bucket on EKS through the
 * `postgresBackups` IRSA role. Its policy is evaluated against the requests the barman-cloud-*
 * commands make, the first one included, and against the requests it must refuse.
 */
import { expect } from "chai";
import { prefixBackupPolicy } from "../../../../infra/eks/irsa-roles";
import { tlsOnlyPolicy } from "../../../../infra/eks/buckets";
import { BACKUP_PREFIXES } from "../../../../lib/bucket-layout";
import { ACCOUNT, BACKUPS_BUCKET_ARN, CLUSTER, KEY_ARN, decide, sessionOf, type SimRequest } from "./simulator";

const ROLE = `${CLUSTER}-postgres-backups`;
const policy = prefixBackupPolicy(BACKUPS_BUCKET_ARN, BACKUP_PREFIXES.postgres, KEY_ARN);
const bucketPolicy = tlsOnlyPolicy(BACKUPS_BUCKET_ARN);
const asBarman = (request: Omit<SimRequest, "principal">) => decide({ ...request, principal: sessionOf(ROLE), context: { "aws:SecureTransport": "true", ...request.context } }, [policy], bucketPolicy);

describe("IAM simulation: Barman Cloud on the backups bucket (IRSA role postgresBackups)", () => {
  it("issue #18: allows HeadBucket, which every barman-cloud-* command sends first (s3:ListBucket with no s3:prefix)", async () => {
    // barman/cloud_providers/aws_s3.py `_check_bucket_existence`: head_bucket before any upload,
    // listing or download; refused, WAL is never archived and fills the primary's volume.
    expect(await asBarman({ why: "HeadBucket", action: "s3:ListBucket", resource: BACKUPS_BUCKET_ARN })).to.equal("Allowed");
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
