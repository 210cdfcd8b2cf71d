/**
 * Issue #9: the cluster key's policy, simulated for the principals that must use it and for some
 * that must not; and every action in every policy strata renders exists in the IAM reference data.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import { tlsOnlyPolicy } from "../../../../infra/eks/buckets";
import { clusterEncryptionPolicy } from "../../../../infra/eks/cluster";
import { interruptionQueuePolicy } from "../../../../infra/eks/karpenter-aws";
import { keyPolicy } from "../../../../infra/eks/kms";
import { ebsCsiKmsPolicy, karpenterControllerPolicy, loadBalancerControllerPolicy, veleroPolicy } from "../../../../infra/eks/policies";
import { serviceTrust } from "../../../../infra/eks/types";
import { podIdentityTrust } from "../../../../lib/aws-calls";
import {
  ACCOUNT, BACKUPS_BUCKET_ARN, CLUSTER, CLUSTER_ARN, KEY_ARN, NODE_ROLE_ARN, OTHER_ACCOUNT, QUEUE_ARN, REGION, SCOPE, decide, sessionOf, unknownActions, type SimRequest,
} from "./simulator";

const key = keyPolicy(ACCOUNT, "aws", REGION, CLUSTER);
const viaEc2 = (account = ACCOUNT) => ({ "kms:ViaService": `ec2.${REGION}.amazonaws.com`, "kms:CallerAccount": account });
const serviceLinked = (service: string, role: string) => `arn:aws:iam::${ACCOUNT}:role/aws-service-role/${service}/${role}`;

describe("IAM simulation: cluster KMS key policy", () => {
  const volumeUsers = [
    ["EC2 Auto Scaling (managed node groups)", serviceLinked("autoscaling.amazonaws.com", "AWSServiceRoleForAutoScaling")],
    ["EC2 Fleet (Karpenter's instant fleets)", serviceLinked("ec2fleet.amazonaws.com", "AWSServiceRoleForEC2Fleet")],
    ["EC2 Spot (spot capacity)", serviceLinked("spot.amazonaws.com", "AWSServiceRoleForEC2Spot")],
    ["the Karpenter controller", sessionOf(`${CLUSTER}-karpenter`)],
  ] as const;
  for (const [who, principal] of volumeUsers) {
    it(`lets ${who} encrypt node volumes through EC2`, async () => {
      for (const action of ["kms:GenerateDataKeyWithoutPlaintext", "kms:Decrypt", "kms:ReEncryptFrom", "kms:DescribeKey"]) {
        expect(await decide({ why: who, principal, action, resource: KEY_ARN, context: viaEc2() }, [], key), action).to.equal("Allowed");
      }
      const grant: SimRequest = { why: who, principal, action: "kms:CreateGrant", resource: KEY_ARN, context: { ...viaEc2(), "kms:GrantIsForAWSResource": "true" } };
      expect(await decide(grant, [], key)).to.equal("Allowed");
    });
  }

  // CloudWatch Logs' grant is conditioned on kms:EncryptionContext:aws:logs:arn, a key whose name
  // holds colons that the simulator's input validation rejects; tests/infra/eks/builders.test.ts
  // asserts that statement's condition instead.

  it("lets the control plane envelope-encrypt Secrets through its role's policy (the account delegates to IAM)", async () => {
    const principal = sessionOf(`${CLUSTER}-cluster`);
    for (const action of ["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey"]) {
      expect(await decide({ why: "Secrets", principal, action, resource: KEY_ARN, context: { "kms:CallerAccount": ACCOUNT } }, [clusterEncryptionPolicy(KEY_ARN)], key), action).to.equal("Allowed");
    }
  });

  it("refuses another account's principals, even through EC2", async () => {
    const principal = `arn:aws:iam::${OTHER_ACCOUNT}:role/ec2-admin`;
    const wideOpen = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "kms:*", Resource: "*" }] } as const;
    for (const action of ["kms:Decrypt", "kms:CreateGrant"]) {
      const grant: Record<string, string> = action === "kms:CreateGrant" ? { "kms:GrantIsForAWSResource": "true" } : {};
      const request = { why: "foreign account", principal, action, resource: KEY_ARN, context: { ...viaEc2(OTHER_ACCOUNT), ...grant } };
      expect(await decide(request, [wideOpen], key), action).to.not.equal("Allowed");
    }
  });

  it("refuses direct use (outside EC2) by an account principal without an IAM grant", async () => {
    const principal = `arn:aws:iam::${ACCOUNT}:role/ci-deploy`;
    expect(await decide({ why: "direct decrypt", principal, action: "kms:Decrypt", resource: KEY_ARN, context: { "kms:CallerAccount": ACCOUNT } }, [], key)).to.not.equal("Allowed");
  });
});

describe("IAM reference data: every action strata renders exists", () => {
  const documents = {
    "cluster key policy": keyPolicy(ACCOUNT, "aws", REGION, CLUSTER),
    "control-plane encryption": clusterEncryptionPolicy(KEY_ARN),
    "load balancer controller": loadBalancerControllerPolicy(SCOPE),
    karpenter: karpenterControllerPolicy({ ...SCOPE, nodeRoleArn: NODE_ROLE_ARN, queueArn: QUEUE_ARN, kmsKeyArn: KEY_ARN }),
    "EBS CSI key use": ebsCsiKmsPolicy(KEY_ARN),
    velero: veleroPolicy(BACKUPS_BUCKET_ARN, KEY_ARN, "velero/", { volumeSnapshots: true }),
    "interruption queue": interruptionQueuePolicy(QUEUE_ARN),
    "bucket TLS-only": tlsOnlyPolicy(BACKUPS_BUCKET_ARN),
    "Pod Identity trust": podIdentityTrust({ clusterName: CLUSTER, namespace: "velero", serviceAccount: "velero", accountId: ACCOUNT, clusterArn: CLUSTER_ARN }),
    "service trust": serviceTrust("eks.amazonaws.com", ["sts:AssumeRole", "sts:TagSession"]),
  };
  for (const [name, doc] of Object.entries(documents)) {
    it(`${name}: no unknown or retired action`, async () => {
      expect(await unknownActions(doc)).to.deep.equal([]);
    });
  }
  it("the check would catch a typo", async () => {
    const typo = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["ec2:DescribeInstance", "ec2:Describe*", "ec2:Frobnicate*"], Resource: "*" }] } as const;
    expect(await unknownActions(typo)).to.deep.equal(["ec2:DescribeInstance", "ec2:Frobnicate*"]);
  });
});

describe("IAM simulator stays test tooling", () => {
  it("no program source imports @cloud-copilot/* (AGPL-3.0): only tests/ and tools/ may", () => {
    const root = join(__dirname, "..", "..", "..", "..");
    const skip = new Set(["node_modules", "tests", "tools", ".git", ".ci", "docs", "plan-out"]);
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir)) {
        if (skip.has(entry)) continue;
        const path = join(dir, entry);
        if (statSync(path).isDirectory()) walk(path);
        else if (/\.(ts|js|mjs|cjs)$/.test(entry) && entry !== "eslint.config.mjs" && readFileSync(path, "utf8").includes("@cloud-copilot/")) offenders.push(path);
      }
    };
    walk(root);
    expect(offenders).to.deep.equal([]);
  });
});
