/**
 * Issues #13 and #18: an app's IAM role (`awsAccess`, `uses: objectStore` on EKS), evaluated with
 * the offline IAM simulator: only EKS Pod Identity may assume it, for the app's own service
 * account; its policy allows what the spec asks for and the calls an S3 client makes on the apps'
 * bucket (apps/service/aws-connections.ts), and nothing else.
 */
import { expect } from "chai";
import { appObjectStoreCalls } from "../../apps/service/aws-connections";
import { APP_OBJECT_ACTIONS, appRolePolicy, appRoleTrust, type IamPolicy } from "../../apps/service/cloud-identity";
import { AwsAccessConfig } from "../../config/apps/runtime";
import { keyPolicy } from "../../infra/eks/kms";
import { tlsOnlyPolicy } from "../../infra/eks/buckets";
import type { PolicyDocument } from "../../infra/eks/types";
import { podIdentityAssume, type PodIdentitySubject } from "../../lib/aws-calls";
import { ACCOUNT, BACKUPS_BUCKET_ARN, CLUSTER, CLUSTER_ARN, KEY_ARN, OTHER_ACCOUNT, REGION, actionsOf, decide, decideCall, refusedCalls, resolvedCall, sessionOf, unknownActions, type RenderedRole } from "../infra/eks/iam/simulator";

const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/${CLUSTER}-orders-aws`;
const OBJECTS_BUCKET_ARN = `arn:aws:s3:::${CLUSTER}-objects-${ACCOUNT}`;
const QUEUE = `arn:aws:sqs:${REGION}:${ACCOUNT}:orders`;
const app = sessionOf(`${CLUSTER}-orders-aws`);
const ORDERS: PodIdentitySubject = { clusterName: CLUSTER, namespace: "shop", serviceAccount: "orders", accountId: ACCOUNT, clusterArn: CLUSTER_ARN };
const doc = (policy: IamPolicy | undefined): PolicyDocument => {
  if (policy === undefined) throw new Error("no policy");
  return policy;
};

describe("IAM simulation: app roles (EKS Pod Identity)", () => {
  describe("trust policy", () => {
    const trust = doc(appRoleTrust(ORDERS));
    const role: RenderedRole = { arn: ROLE_ARN, trust, policies: [] };
    const assume = (principal: string, action = "sts:AssumeRole") => decide({ why: `${principal} assumes the app role`, principal, action, resource: ROLE_ARN }, [], trust);

    it("lets the EKS Pod Identity service assume the role and tag the session for the app's service account", async () => {
      for (const call of podIdentityAssume(ROLE_ARN, ORDERS).map(resolvedCall)) expect(await decideCall(call, role, {}), call.action).to.equal("Allowed");
    });

    it("issue #18: admits Pod Identity sessions of no other service account, namespace or cluster", async () => {
      const others: PodIdentitySubject[] = [{ ...ORDERS, serviceAccount: "payments" }, { ...ORDERS, namespace: "other-tenant" }, { ...ORDERS, clusterName: "valueverse-staging" }];
      for (const other of others) {
        for (const call of podIdentityAssume(ROLE_ARN, other).map(resolvedCall)) expect(await decideCall(call, role, {}), `${call.action} ${JSON.stringify(other)}`).to.not.equal("Allowed");
      }
    });

    it("admits no other service, user or role, in this account or another", async () => {
      for (const principal of ["ec2.amazonaws.com", "eks.amazonaws.com", `arn:aws:iam::${ACCOUNT}:user/developer`, `arn:aws:iam::${OTHER_ACCOUNT}:role/admin`, sessionOf("other-app")]) {
        expect(await assume(principal), principal).to.not.equal("Allowed");
      }
    });
  });

  describe("permissions", () => {
    const access = AwsAccessConfig.parse({
      statements: [
        { actions: ["sqs:SendMessage", "sqs:GetQueueUrl"], resources: [QUEUE] },
        { effect: "Deny", actions: ["sqs:SendMessage"], resources: [`arn:aws:sqs:${REGION}:${ACCOUNT}:orders-dlq`] },
      ],
    });
    const bucket = { bucketArn: OBJECTS_BUCKET_ARN, keyArn: KEY_ARN, region: REGION };
    const policy = doc(appRolePolicy(access, bucket));
    // KMS also asks the key policy: the cluster key's, which delegates to the account's IAM policies.
    const key = keyPolicy(ACCOUNT, "aws", REGION, CLUSTER);
    const run = (action: string, resource: string, context: Record<string, string> = {}) =>
      decide({ why: `the app calls ${action}`, principal: app, action, resource, context }, [policy], resource === KEY_ARN ? key : undefined);

    it("allows the statements the spec lists, on their resources", async () => {
      expect(await run("sqs:SendMessage", QUEUE)).to.equal("Allowed");
      expect(await run("sqs:GetQueueUrl", QUEUE)).to.equal("Allowed");
    });

    it("allows nothing beyond them: other queues, other actions, the Deny wins", async () => {
      expect(await run("sqs:SendMessage", `arn:aws:sqs:${REGION}:${ACCOUNT}:payments`)).to.equal("ImplicitlyDenied");
      expect(await run("sqs:DeleteQueue", QUEUE)).to.equal("ImplicitlyDenied");
      expect(await run("sqs:ReceiveMessage", QUEUE)).to.equal("ImplicitlyDenied");
      expect(await run("sqs:SendMessage", `arn:aws:sqs:${REGION}:${ACCOUNT}:orders-dlq`)).to.equal("ExplicitlyDenied");
    });

    it("issue #18: allows an S3 client's call sequence on the apps' bucket, GetBucketLocation first (MinIO SDKs without a region)", async () => {
      const target = { bucketArn: OBJECTS_BUCKET_ARN, keyArn: KEY_ARN, region: REGION, accountId: ACCOUNT };
      const role: RenderedRole = { arn: ROLE_ARN, trust: doc(appRoleTrust(ORDERS)), policies: [policy] };
      const calls = [...podIdentityAssume(ROLE_ARN, ORDERS), ...appObjectStoreCalls(target, "orders")];
      expect(await refusedCalls(calls, role, { bucketPolicy: tlsOnlyPolicy(OBJECTS_BUCKET_ARN), keyPolicy: key })).to.deep.equal([]);
    });

    it("reads and writes objects of the apps' bucket, with its key only through S3", async () => {
      expect(await run("s3:ListBucket", OBJECTS_BUCKET_ARN)).to.equal("Allowed");
      for (const action of APP_OBJECT_ACTIONS) expect(await run(action, `${OBJECTS_BUCKET_ARN}/orders/1.pdf`), action).to.equal("Allowed");
      expect(await run("kms:GenerateDataKey", KEY_ARN, { "kms:ViaService": `s3.${REGION}.amazonaws.com` })).to.equal("Allowed");
      expect(await run("kms:Decrypt", KEY_ARN, { "kms:ViaService": `s3.${REGION}.amazonaws.com` })).to.equal("Allowed");
    });

    it("cannot touch the backups bucket, change the bucket, or use the key outside S3", async () => {
      expect(await run("s3:GetObject", `${BACKUPS_BUCKET_ARN}/velero/backup.tar.gz`)).to.equal("ImplicitlyDenied");
      expect(await run("s3:ListBucket", BACKUPS_BUCKET_ARN)).to.equal("ImplicitlyDenied");
      expect(await run("s3:DeleteBucket", OBJECTS_BUCKET_ARN)).to.equal("ImplicitlyDenied");
      expect(await run("s3:PutBucketPolicy", OBJECTS_BUCKET_ARN)).to.equal("ImplicitlyDenied");
      expect(await run("kms:Decrypt", KEY_ARN, { "kms:ViaService": `ec2.${REGION}.amazonaws.com` })).to.equal("ImplicitlyDenied");
      expect(await run("kms:Decrypt", KEY_ARN)).to.equal("ImplicitlyDenied");
    });

    it("names exactly the asked actions plus the bucket's, all known to IAM", async () => {
      expect(await actionsOf(policy)).to.deep.equal(
        [...new Set(["sqs:SendMessage", "sqs:GetQueueUrl", "s3:ListBucket", "s3:GetBucketLocation", ...APP_OBJECT_ACTIONS, "kms:Decrypt", "kms:GenerateDataKey"])].sort(),
      );
      expect(await unknownActions(policy)).to.deep.equal([]);
    });

    it("has no inline policy when only managed policies are asked for", () => {
      expect(appRolePolicy(AwsAccessConfig.parse({ policyArns: ["arn:aws:iam::aws:policy/AmazonSQSReadOnlyAccess"] }), undefined)).to.equal(undefined);
    });
  });
});
