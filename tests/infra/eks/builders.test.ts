/** Pure parts of the EKS backend, tested without the engine. */
import { expect } from "chai";
import { parse } from "yaml";
import { ADDON_CONFIGURATION, stringifyConfigurationValues } from "../../../infra/eks/addons";
import { lifecycleRules, tlsOnlyPolicy } from "../../../infra/eks/buckets";
import { endpointAccess } from "../../../infra/eks/cluster";
import { interruptionQueuePolicy } from "../../../infra/eks/karpenter-aws";
import { keyPolicy } from "../../../infra/eks/kms";
import { renderKubeconfig } from "../../../infra/eks/kubeconfig";
import { subnetCidrs, subnetTags } from "../../../infra/eks/network";
import { eksTaints, METADATA_OPTIONS } from "../../../infra/eks/node-groups";
import { nodePoolOf } from "../../../infra/eks/node-pool";
import { ebsCsiKmsPolicy, karpenterControllerPolicy, loadBalancerControllerPolicy, veleroPolicy } from "../../../infra/eks/policies";
import { VELERO_VOLUME_SNAPSHOTS } from "../../../lib/bucket-layout";
import type { PolicyDocument } from "../../../infra/eks/types";
import { EKS_ADDON_NAMES, EKS_ADDONS } from "../../../lib/catalog";
import { INSTANCE_TYPES, poolCapacity } from "../../../lib/instance-types";
import { placementFor } from "../../../lib/placement";

const KEY = "arn:aws:kms:eu-central-1:123456789012:key/k";
const actions = (doc: PolicyDocument) => doc.Statement.flatMap((s) => (typeof s.Action === "string" ? [s.Action] : [...s.Action]));

describe("EKS builders", () => {
  describe("add-ons", () => {
    it("serialises configurationValues with sorted keys at every level", () => {
      expect(stringifyConfigurationValues({ b: { z: 1, a: [{ y: true, x: null }] }, a: "1" })).to.equal('{"a":"1","b":{"a":[{"x":null,"y":true}],"z":1}}');
    });
    it("turns on NetworkPolicy enforcement in the VPC CNI", () => {
      const cni = ADDON_CONFIGURATION["vpc-cni"];
      expect(cni).to.not.equal(undefined);
      expect(stringifyConfigurationValues(cni ?? null)).to.equal('{"enableNetworkPolicy":"true"}');
    });
    it("pins every add-on to an eksbuild of the catalog", () => {
      for (const addon of EKS_ADDON_NAMES) expect(EKS_ADDONS[addon], addon).to.match(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/);
      expect(EKS_ADDONS["kube-proxy"]).to.match(/^v1\.35\./);
    });
  });

  describe("network", () => {
    it("carves a /19 private and a /22 public subnet per zone out of a /16", () => {
      expect(subnetCidrs("10.20.0.0/16", 3)).to.deep.equal({
        private: ["10.20.0.0/19", "10.20.32.0/19", "10.20.64.0/19"],
        public: ["10.20.192.0/22", "10.20.196.0/22", "10.20.200.0/22"],
      });
    });
    it("tags subnets for load balancers and Karpenter discovery", () => {
      expect(subnetTags("c", "public")).to.deep.equal({ "kubernetes.io/role/elb": "1" });
      expect(subnetTags("c", "private")).to.deep.equal({ "kubernetes.io/role/internal-elb": "1", "karpenter.sh/discovery": "c" });
    });
    it("keeps the endpoint private unless CIDRs are listed", () => {
      expect(endpointAccess([])).to.deep.equal({ endpointPrivateAccess: true, endpointPublicAccess: false });
      expect(endpointAccess(["198.51.100.0/24"])).to.deep.equal({ endpointPrivateAccess: true, endpointPublicAccess: true, publicAccessCidrs: ["198.51.100.0/24"] });
    });
  });

  describe("nodes", () => {
    it("requires IMDSv2 with a hop limit of 1", () => {
      expect(METADATA_OPTIONS).to.include({ httpTokens: "required", httpPutResponseHopLimit: 1, httpEndpoint: "enabled" });
    });
    it("spells taint effects the EKS way", () => {
      expect(eksTaints([{ key: "a", value: "b", effect: "NoSchedule" }, { key: "c", effect: "PreferNoSchedule" }])).to.deep.equal([
        { key: "a", value: "b", effect: "NO_SCHEDULE" },
        { key: "c", effect: "PREFER_NO_SCHEDULE" },
      ]);
    });
    it("labels pools so the placement helper lands database pods on the tainted data group", () => {
      const data = nodePoolOf("data", {
        role: "database", instanceTypes: ["r6i.large"], minSize: 3, maxSize: 3, diskGi: 100, capacityType: "ON_DEMAND", labels: {},
        taints: [{ key: "node.strata.io/dedicated", value: "database", effect: "NoSchedule" }],
      });
      const apps = nodePoolOf("apps", { role: "worker", instanceTypes: ["t3.xlarge"], minSize: 3, maxSize: 10, diskGi: 100, capacityType: "ON_DEMAND", labels: {}, taints: [] });
      expect(placementFor([apps, data])("database")).to.deep.equal({
        nodeSelector: { "node.strata.io/pool": "data", "node.strata.io/role": "database" },
        tolerations: [{ key: "node.strata.io/dedicated", operator: "Equal", value: "database", effect: "NoSchedule" }],
      });
    });
    it("sizes a pool from the smallest instance type it may launch", () => {
      expect(INSTANCE_TYPES["t3.xlarge"]).to.deep.equal({ vcpu: 4, memoryGi: 16, architecture: "x86_64" });
      expect(poolCapacity(["m6i.xlarge", "c6i.xlarge"])).to.deep.equal({ cpuCores: 4, memoryGi: 8 });
      const pool = nodePoolOf("apps", { role: "worker", instanceTypes: ["t3.xlarge"], minSize: 3, maxSize: 10, diskGi: 100, capacityType: "ON_DEMAND", labels: {}, taints: [] });
      expect(pool).to.deep.include({ name: "apps", role: "worker", count: 3, maxCount: 10, cpuCores: 4, memoryGi: 16 });
      expect(pool.labels).to.deep.equal({ "node.strata.io/pool": "apps", "node.strata.io/role": "worker" });
    });
  });

  describe("policies", () => {
    it("lets the account use the key through EC2 and Logs only for the cluster log group, naming no service-linked role", () => {
      const policy = keyPolicy("123456789012", "aws", "eu-central-1", "c");
      const logs = policy.Statement.find((s) => s.Sid === "LogsEncryptClusterLogGroup");
      expect(logs?.Condition?.ArnEquals).to.deep.equal({ "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:eu-central-1:123456789012:log-group:/aws/eks/c/cluster" });
      const ec2 = policy.Statement.find((s) => s.Sid === "AccountUsesKeyThroughEc2");
      expect(ec2?.Condition).to.deep.equal({ StringEquals: { "kms:CallerAccount": "123456789012", "kms:ViaService": "ec2.eu-central-1.amazonaws.com" } });
      // Issue #9: naming AWSServiceRoleForAutoScaling fails key creation where that role does not exist yet.
      expect(JSON.stringify(policy)).to.not.include("aws-service-role");
    });
    it("scopes the EBS CSI key grants to AWS resources", () => {
      const grants = ebsCsiKmsPolicy(KEY).Statement[0];
      expect(grants?.Resource).to.equal(KEY);
      expect(grants?.Condition).to.deep.equal({ Bool: { "kms:GrantIsForAWSResource": "true" } });
    });
    it("lets the load balancer controller change only load balancers tagged for its cluster", () => {
      const doc = loadBalancerControllerPolicy({ partition: "aws", region: "eu-central-1", accountId: "123456789012", clusterName: "c" });
      const owned = doc.Statement.find((s) => s.Sid === "ManageOwnLoadBalancers");
      expect(owned?.Condition).to.deep.equal({ StringEquals: { "aws:ResourceTag/elbv2.k8s.aws/cluster": "c" } });
      expect(actions(doc)).to.not.include("*");
    });
    it("lets Karpenter terminate only its own instances, pass only the node role and use only the cluster key", () => {
      const doc = karpenterControllerPolicy({ partition: "aws", region: "eu-central-1", accountId: "123456789012", clusterName: "c", nodeRoleArn: "arn:aws:iam::123456789012:role/n", queueArn: "arn:aws:sqs:eu-central-1:123456789012:q", kmsKeyArn: KEY });
      // Root volumes are encrypted with the cluster key; RunInstances fails without these.
      const kms = doc.Statement.filter((s) => actions({ ...doc, Statement: [s] }).some((a) => a.startsWith("kms:")));
      expect(kms.map((s) => s.Resource)).to.deep.equal([KEY, KEY]);
      expect(actions({ ...doc, Statement: kms })).to.include.members(["kms:GenerateDataKeyWithoutPlaintext", "kms:Decrypt", "kms:CreateGrant", "kms:DescribeKey"]);
      expect(kms.find((s) => actions({ ...doc, Statement: [s] }).includes("kms:CreateGrant"))?.Condition).to.deep.equal({ Bool: { "kms:GrantIsForAWSResource": "true" } });
      const terminate = doc.Statement.find((s) => s.Sid === "DeleteOwned");
      expect(terminate?.Condition?.StringEquals).to.deep.equal({ "aws:ResourceTag/kubernetes.io/cluster/c": "owned" });
      expect(doc.Statement.find((s) => s.Sid === "PassNodeRole")?.Resource).to.equal("arn:aws:iam::123456789012:role/n");
      expect(doc.Statement.find((s) => s.Sid === "InterruptionQueue")?.Resource).to.equal("arn:aws:sqs:eu-central-1:123456789012:q");
    });
    it("confines Velero to its prefix of the backups bucket", () => {
      const doc = veleroPolicy("arn:aws:s3:::b", KEY, "velero/", { volumeSnapshots: false });
      expect(doc.Statement.filter((s) => actions({ ...doc, Statement: [s] }).some((a) => a.startsWith("s3:"))).map((s) => s.Resource)).to.deep.equal(["arn:aws:s3:::b/velero/*", "arn:aws:s3:::b", "arn:aws:s3:::b"]);
      expect(doc.Statement.find((s) => s.Sid === "ListBackups")?.Condition).to.deep.equal({ StringLike: { "s3:prefix": ["velero/*", "velero/"] } });
    });
    it("issue #22: grants Velero no EC2 snapshot action unless it takes volume snapshots", () => {
      const ec2 = (volumeSnapshots: boolean) => {
        const doc = veleroPolicy("arn:aws:s3:::b", KEY, "velero/", { volumeSnapshots });
        return actions(doc).filter((a) => a.startsWith("ec2:"));
      };
      expect(ec2(false)).to.deep.equal([]);
      expect(ec2(true)).to.include.members(["ec2:CreateSnapshot", "ec2:DeleteSnapshot", "ec2:CreateVolume"]);
      // strata's Velero backs volume data up with its node agent, so its role is built without them.
      expect(VELERO_VOLUME_SNAPSHOTS).to.equal(false);
    });
    it("refuses plain-HTTP access to buckets and the interruption queue", () => {
      const bucket = tlsOnlyPolicy("arn:aws:s3:::b");
      expect(bucket.Statement[0]).to.deep.include({ Effect: "Deny", Principal: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } });
      expect(bucket.Statement[0]?.Resource).to.deep.equal(["arn:aws:s3:::b", "arn:aws:s3:::b/*"]);
      expect(interruptionQueuePolicy("arn:q").Statement[1]).to.deep.include({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } });
    });
  });

  describe("buckets", () => {
    it("always aborts stale uploads and expires old versions; tiers and expires only when asked", () => {
      const base = lifecycleRules("objects", { enabled: true, noncurrentVersionExpirationDays: 7 });
      expect(base.map((r) => r.id)).to.deep.equal(["abort-incomplete-uploads", "expire-noncurrent-versions"]);
      expect(base[1]?.noncurrentVersionExpiration).to.deep.equal({ noncurrentDays: 7 });
      const full = lifecycleRules("objects", { enabled: true, noncurrentVersionExpirationDays: 30, transitionToInfrequentAccessDays: 90, expirationDays: 365 });
      expect(full.map((r) => r.id)).to.deep.equal(["abort-incomplete-uploads", "expire-noncurrent-versions", "transition-infrequent-access", "expire-current-objects"]);
      expect(full[3]?.expiration).to.deep.equal({ days: 365 });
    });
    it("issue #19: never expires current objects of the backups bucket, whose tools keep what they still reference", () => {
      // Velero's kopia repository keeps `kopia.repository` and packs of old snapshots for as long
      // as a snapshot refers to them; an expiry by age of the whole bucket (`filter: {}`) deleted them.
      const rules = lifecycleRules("backups", { enabled: true, noncurrentVersionExpirationDays: 7, transitionToInfrequentAccessDays: 30, expirationDays: 90 });
      expect(rules.map((r) => r.id)).to.deep.equal(["abort-incomplete-uploads", "expire-noncurrent-versions", "transition-infrequent-access"]);
      expect(rules.filter((r) => r.expiration !== undefined)).to.deep.equal([]);
      expect(rules[0]?.abortIncompleteMultipartUpload).to.deep.equal({ daysAfterInitiation: 7 });
      expect(rules[1]?.noncurrentVersionExpiration).to.deep.equal({ noncurrentDays: 7 });
    });
    it("lets logs and traces expire by age behind their compactors", () => {
      for (const purpose of ["logs", "traces"] as const) {
        expect(lifecycleRules(purpose, { enabled: true, noncurrentVersionExpirationDays: 1, expirationDays: 8 }).find((r) => r.id === "expire-current-objects")?.expiration).to.deep.equal({ days: 8 });
      }
    });
  });

  describe("kubeconfig", () => {
    it("authenticates with aws eks get-token and carries no credential", () => {
      const doc = parse(renderKubeconfig({ clusterName: "c", endpoint: "https://x.eks.amazonaws.com", certificateAuthorityData: "Q0E=", region: "eu-central-1" })) as {
        clusters: { cluster: Record<string, string> }[];
        users: { user: { exec: { command: string; args: string[]; apiVersion: string }; token?: string } }[];
        "current-context": string;
      };
      expect(doc["current-context"]).to.equal("c");
      expect(doc.clusters[0]?.cluster).to.deep.equal({ server: "https://x.eks.amazonaws.com", "certificate-authority-data": "Q0E=" });
      const user = doc.users[0]?.user;
      expect(user?.exec.command).to.equal("aws");
      expect(user?.exec.apiVersion).to.equal("client.authentication.k8s.io/v1beta1");
      expect(user?.exec.args).to.deep.equal(["--region", "eu-central-1", "eks", "get-token", "--cluster-name", "c", "--output", "json"]);
      expect(user?.token).to.equal(undefined);
    });
  });
});
