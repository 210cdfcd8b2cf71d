/**
 * Issue #19: MongoDB's backups on EKS. The two IRSA roles strata renders (the PBM agents' and the
 * Percona operator's) are evaluated against the calls each client makes, in order
 * (platform/mongodb/backup-calls.ts), and against the requests they must refuse.
 */
import { expect } from "chai";
import { tlsOnlyPolicy } from "../../../../infra/eks/buckets";
import { BACKUP_ACCESS, irsaTrust, prefixBackupPolicy } from "../../../../infra/eks/irsa-roles";
import { keyPolicy } from "../../../../infra/eks/kms";
import { assumeRoleWithWebIdentity } from "../../../../lib/aws-calls";
import { BACKUP_PREFIXES } from "../../../../lib/bucket-layout";
import { IRSA_SERVICE_ACCOUNTS } from "../../../../lib/service-accounts";
import { pbmAgentCalls, pbmOperatorCalls } from "../../../../platform/mongodb/backup-calls";
import { ACCOUNT, BACKUPS_BUCKET_ARN, CLUSTER, KEY_ARN, REGION, actionsOf, decide, refusedCalls, resolvedCall, decideCall, sessionOf, type RenderedRole } from "./simulator";

const ISSUER = `https://oidc.eks.${REGION}.amazonaws.com/id/5E1A2B3C4D5E6F708192A3B4C5D6E7F8`;
const OIDC_PROVIDER = `arn:aws:iam::${ACCOUNT}:oidc-provider/${ISSUER.replace("https://", "")}`;
const target = { bucketArn: BACKUPS_BUCKET_ARN, keyArn: KEY_ARN, region: REGION, accountId: ACCOUNT };
const reached = { bucketPolicy: tlsOnlyPolicy(BACKUPS_BUCKET_ARN), keyPolicy: keyPolicy(ACCOUNT, "aws", REGION, CLUSTER) };

const CLIENTS = {
  agents: { workload: "mongodbBackups", role: `${CLUSTER}-mongodb-backups`, access: BACKUP_ACCESS.pbmAgent, calls: pbmAgentCalls(target, "mongodb") },
  operator: { workload: "mongodbOperator", role: `${CLUSTER}-mongodb-operator`, access: BACKUP_ACCESS.pbmOperator, calls: pbmOperatorCalls(target, "mongodb") },
} as const;

function rendered(client: (typeof CLIENTS)[keyof typeof CLIENTS]) {
  const subject = IRSA_SERVICE_ACCOUNTS[client.workload];
  const arn = `arn:aws:iam::${ACCOUNT}:role/${client.role}`;
  const policy = prefixBackupPolicy(BACKUPS_BUCKET_ARN, BACKUP_PREFIXES.mongodb, KEY_ARN, REGION, client.access);
  const role: RenderedRole = { arn, trust: irsaTrust(OIDC_PROVIDER, ISSUER, subject.namespace, subject.serviceAccount), policies: [policy] };
  const identity = (namespace: string, serviceAccount: string) => assumeRoleWithWebIdentity(arn, { oidcProviderArn: OIDC_PROVIDER, issuerUrl: ISSUER, namespace, serviceAccount });
  const asClient = (action: string, resource: string, context: Record<string, string> = {}) =>
    decide({ why: "probe", action, resource, principal: sessionOf(client.role), context: { "aws:SecureTransport": "true", ...context } }, [policy], reached.bucketPolicy);
  return { subject, policy, role, identity, asClient };
}

describe("IAM simulation: PBM on the backups bucket (IRSA roles mongodbBackups, mongodbOperator)", () => {
  for (const [name, client] of Object.entries(CLIENTS)) {
    const { subject, policy, role, identity } = rendered(client);

    it(`issue #19: ${name}: allows the whole call sequence, web identity first`, async () => {
      expect(subject.namespace).to.equal("data");
      expect(await refusedCalls([identity(subject.namespace, subject.serviceAccount), ...client.calls], role, reached)).to.deep.equal([]);
    });

    it(`${name}: grants nothing its sequence does not use`, async () => {
      const used = new Set(client.calls.map((c) => c.action));
      expect((await actionsOf(policy)).filter((a) => !used.has(a))).to.deep.equal([]);
    });

    it(`${name}: only its own service account assumes the role`, async () => {
      for (const [namespace, serviceAccount] of [["data", "default"], ["data", "postgres"], ["apps", subject.serviceAccount]] as const) {
        expect(await decideCall(resolvedCall(identity(namespace, serviceAccount)), role, reached), `${namespace}/${serviceAccount}`).to.not.equal("Allowed");
      }
    });
  }

  it("keeps both clients under mongodb/: no other writer's objects or listings", async () => {
    for (const client of Object.values(CLIENTS)) {
      const { asClient } = rendered(client);
      for (const prefix of [BACKUP_PREFIXES.postgres, BACKUP_PREFIXES.velero, ""]) {
        expect(await asClient("s3:ListBucket", BACKUPS_BUCKET_ARN, { "s3:prefix": prefix }), `${client.role} lists ${prefix || "(no prefix)"}`).to.not.equal("Allowed");
      }
      expect(await asClient("s3:ListBucket", BACKUPS_BUCKET_ARN), `${client.role}: HeadBucket`).to.not.equal("Allowed");
      for (const key of ["postgres/postgres/base/20261127T020000/data.tar.gz", "velero/kopia/data/kopia.repository"]) {
        expect(await asClient("s3:DeleteObject", `${BACKUPS_BUCKET_ARN}/${key}`), `${client.role} deletes ${key}`).to.not.equal("Allowed");
      }
    }
  });

  it("lets the operator only read and delete what the agents wrote", async () => {
    const { asClient } = rendered(CLIENTS.operator);
    expect(await asClient("s3:PutObject", `${BACKUPS_BUCKET_ARN}/mongodb/mongodb/x`)).to.not.equal("Allowed");
    expect(await asClient("s3:DeleteObject", `${BACKUPS_BUCKET_ARN}/mongodb/mongodb/2026-11-27T03:00:21Z.pbm.json`)).to.equal("Allowed");
  });
});
