/**
 * Issue #18: Velero's server and node agents reach the backups bucket on EKS through one Pod
 * Identity role. The role strata renders (trust, policy) is evaluated against their real call
 * sequences (platform/backups/connections.ts: the object store plugin's and kopia's calls, from
 * their source), and against what they must not reach: PostgreSQL's prefix of the same bucket,
 * other buckets, the bucket's administration, and other service accounts' sessions.
 */
import { expect } from "chai";
import { tlsOnlyPolicy } from "../../../../infra/eks/buckets";
import { keyPolicy } from "../../../../infra/eks/kms";
import { veleroPolicy } from "../../../../infra/eks/policies";
import { podIdentityAssume, podIdentityTrust, type PodIdentitySubject, type S3Target } from "../../../../lib/aws-calls";
import { BACKUP_PREFIXES, VELERO_VOLUME_SNAPSHOTS } from "../../../../lib/bucket-layout";
import type { AwsCall } from "../../../../lib/connections";
import { CONTROLLER_SERVICE_ACCOUNTS } from "../../../../lib/service-accounts";
import { kopiaCalls, veleroPluginCalls } from "../../../../platform/backups/connections";
import { locationSpec } from "../../../../platform/backups/values";
import { barmanCloudCalls } from "../../../../platform/postgres/backup-calls";
import { ACCOUNT, BACKUPS_BUCKET_ARN, CLUSTER, CLUSTER_ARN, KEY_ARN, OTHER_ACCOUNT, REGION, decideCall, refusedCalls, resolvedCall, type RenderedRole } from "./simulator";

const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/${CLUSTER}-velero`;
const subject: PodIdentitySubject = { clusterName: CLUSTER, accountId: ACCOUNT, clusterArn: CLUSTER_ARN, ...CONTROLLER_SERVICE_ACCOUNTS.velero };
const role: RenderedRole = { arn: ROLE_ARN, trust: podIdentityTrust(subject), policies: [veleroPolicy(BACKUPS_BUCKET_ARN, KEY_ARN, BACKUP_PREFIXES.velero, { volumeSnapshots: VELERO_VOLUME_SNAPSHOTS })] };
const reached = { bucketPolicy: tlsOnlyPolicy(BACKUPS_BUCKET_ARN), keyPolicy: keyPolicy(ACCOUNT, "aws", REGION, CLUSTER) };
const target: S3Target = { bucketArn: BACKUPS_BUCKET_ARN, keyArn: KEY_ARN, region: REGION, accountId: ACCOUNT };
/** The backup storage location exactly as strata renders it on EKS. */
const location = locationSpec({ bucket: `${CLUSTER}-backups-${ACCOUNT}`, region: REGION }) as { config: { region: string }; objectStorage: { prefix: string } };
const server = [...podIdentityAssume(ROLE_ARN, subject), ...veleroPluginCalls(target, location.config), ...kopiaCalls(target, "orders")];
const nodeAgent = [...podIdentityAssume(ROLE_ARN, subject), ...kopiaCalls(target, "orders")];

describe("IAM simulation: Velero on the backups bucket (EKS Pod Identity)", () => {
  it("writes where the role reaches: the location's prefix is the role's", () => {
    expect(`${location.objectStorage.prefix}/`).to.equal(BACKUP_PREFIXES.velero);
  });

  it("allows the server's whole call sequence: Pod Identity, then the plugin's and kopia's requests in order", async () => {
    expect(await refusedCalls(server, role, reached)).to.deep.equal([]);
  });

  it("allows the node agents' call sequence: Pod Identity, then kopia's uploads to a namespace's repository", async () => {
    expect(await refusedCalls(nodeAgent, role, reached)).to.deep.equal([]);
  });

  it("is given the region, so the plugin never asks for the bucket's (HeadBucket)", () => {
    const headBucket = (c: AwsCall) => c.action === "s3:ListBucket" && c.context?.["s3:prefix"] === undefined;
    expect(location.config.region).to.equal(REGION);
    expect(veleroPluginCalls(target, location.config).filter(headBucket)).to.deep.equal([]);
    expect(veleroPluginCalls(target, { region: "" }).filter(headBucket)).to.have.length(1);
  });

  it("issue #18: refuses PostgreSQL's prefix of the shared bucket: its WAL archive and base backups", async () => {
    // All of barman's S3 requests but HeadBucket, which any client of the bucket may send.
    const barman = barmanCloudCalls(target).filter((c) => c.action.startsWith("s3:") && !(c.action === "s3:ListBucket" && c.context?.["s3:prefix"] === undefined));
    expect(barman.map((c) => c.action)).to.include.members(["s3:ListBucket", "s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"]);
    for (const call of barman.map(resolvedCall)) {
      expect(await decideCall(call, role, reached), `${call.why}: ${call.action} on ${call.resource}`).to.not.equal("Allowed");
    }
  });

  it("refuses other buckets and the bucket's administration", async () => {
    const objects = `arn:aws:s3:::${CLUSTER}-objects-${ACCOUNT}`;
    for (const call of veleroPluginCalls({ ...target, bucketArn: objects }, location.config).filter((c) => c.action.startsWith("s3:")).map(resolvedCall)) {
      expect(await decideCall(call, role, { bucketPolicy: tlsOnlyPolicy(objects) }), `${call.action} on ${call.resource}`).to.not.equal("Allowed");
    }
    for (const action of ["s3:PutBucketPolicy", "s3:DeleteBucket", "s3:PutLifecycleConfiguration", "s3:PutBucketVersioning"]) {
      expect(await decideCall({ why: "administer the bucket", action, resource: BACKUPS_BUCKET_ARN }, role, reached), action).to.not.equal("Allowed");
    }
  });

  it("issue #18: the trust admits Pod Identity sessions of velero/velero on this cluster only", async () => {
    for (const call of podIdentityAssume(ROLE_ARN, subject).map(resolvedCall)) expect(await decideCall(call, role, reached), call.action).to.equal("Allowed");
    const others: PodIdentitySubject[] = [
      { ...subject, serviceAccount: "default" },
      { ...subject, namespace: "apps" },
      { ...subject, clusterName: "valueverse-staging" },
    ];
    for (const other of others) {
      for (const call of podIdentityAssume(ROLE_ARN, other).map(resolvedCall)) {
        expect(await decideCall(call, role, reached), `${call.action} for ${JSON.stringify(other)}`).to.not.equal("Allowed");
      }
    }
    const assume = resolvedCall(podIdentityAssume(ROLE_ARN, subject)[0] ?? { why: "", action: "", resource: "" });
    expect(await decideCall({ ...assume, principal: "ec2.amazonaws.com" }, role, reached)).to.not.equal("Allowed");
  });

  it("issue #20: the trust admits Pod Identity only on behalf of this account (aws:SourceAccount) and for this cluster (its eks-cluster-arn tag)", async () => {
    const trust = role.trust.Statement[0]?.Condition;
    expect(trust?.StringEquals?.["aws:SourceAccount"]).to.equal(ACCOUNT);
    expect(trust?.StringEquals?.["aws:RequestTag/eks-cluster-arn"]).to.equal(CLUSTER_ARN);
    // No aws:SourceArn: EKS documents no value for it, and the association-ARN guess refused
    // credentials on a live cluster (awslabs/mountpoint-s3-csi-driver#781).
    expect(trust).to.not.have.property("ArnLike");
    // A cluster of the same name in another account, or in another region of this one: every session tag but the cluster ARN matches.
    const elsewhere: PodIdentitySubject[] = [
      { ...subject, accountId: OTHER_ACCOUNT, clusterArn: CLUSTER_ARN.replace(ACCOUNT, OTHER_ACCOUNT) },
      { ...subject, clusterArn: CLUSTER_ARN.replace(REGION, "us-east-1") },
    ];
    for (const other of elsewhere) {
      for (const call of podIdentityAssume(ROLE_ARN, other).map(resolvedCall)) {
        expect(await decideCall(call, role, reached), `${call.action} for ${other.clusterArn}`).to.not.equal("Allowed");
      }
    }
    // The source account alone decides too, and the cluster tag alone: the right tags otherwise.
    const assume = resolvedCall(podIdentityAssume(ROLE_ARN, subject)[0] ?? { why: "", action: "", resource: "" });
    const forged: Record<string, string>[] = [
      { "aws:SourceAccount": OTHER_ACCOUNT },
      { "aws:RequestTag/eks-cluster-arn": CLUSTER_ARN.replace(CLUSTER, "valueverse-staging") },
    ];
    for (const context of forged) {
      expect(await decideCall({ ...assume, context: { ...assume.context, ...context } }, role, reached), JSON.stringify(context)).to.not.equal("Allowed");
    }
  });
});
