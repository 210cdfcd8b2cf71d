/**
 * The offline plan of the EKS dev and prod examples: what `pulumi up` would create, checked
 * against the production posture (encryption, private endpoint, IMDSv2, pinned add-ons, Pod
 * Identity, S3 posture, tags, protection, no secret in clear). One mocked run per scenario.
 */
import { expect } from "chai";
import type { CapturedRecord } from "../../../tools/engine/capture";
import { leaksIn } from "../../../tools/engine/leaks";
import { SECRET_PLACEHOLDER } from "../../../tools/engine/plan-document";
import { ConfigRejected, toPlanDocument, type RunResult } from "../../../tools/engine/run";
import { ofType, planStack } from "../../harness";
import { EKS_ADDONS } from "../../../lib/catalog";
import { CONTROLLER_SERVICE_ACCOUNTS } from "../../../lib/service-accounts";
import { keyPolicy } from "../../../infra/eks/kms";
import { loadBalancerControllerPolicy } from "../../../infra/eks/policies";
import { MOCK_ACCOUNT_ID } from "../../../tools/engine/mock-state/aws";

type Inputs = Record<string, unknown>;
const obj = (value: unknown): Inputs => (value ?? {}) as Inputs;
const list = (value: unknown): Inputs[] => (value ?? []) as Inputs[];

function scenario(stack: "dev" | "prod", configFile: string | undefined) {
  let result: RunResult;
  const all = (type: string): CapturedRecord[] => ofType(result, type);
  const one = (type: string): CapturedRecord => {
    const found = all(type);
    expect(found, type).to.have.length(1);
    return found[0] as CapturedRecord;
  };
  before(async function () {
    this.timeout(120_000);
    result = await planStack(configFile === undefined ? { stack } : { stack, configFile });
  });
  return { result: () => result, all, one };
}

for (const [stack, configFile] of [["dev", undefined], ["prod", "examples/eks-prod-infra.yaml"]] as const) {
  describe(`EKS offline plan: ${configFile ?? "Pulumi.dev.yaml"}`, () => {
    const s = scenario(stack, configFile);
    const prod = stack === "prod";
    /** The cluster key's ARN as the mocked provider returned it, read where the cluster uses it. */
    const keyArn = () => String(obj(obj(s.one("aws:eks/cluster:Cluster").inputs.encryptionConfig).provider).keyArn);

    it("encrypts Kubernetes Secrets with a rotated customer key", () => {
      const key = s.one("aws:kms/key:Key");
      expect(key.inputs).to.include({ enableKeyRotation: true, deletionWindowInDays: 30 });
      const cluster = s.one("aws:eks/cluster:Cluster");
      expect(keyArn()).to.match(/^arn:aws:kms:eu-central-1:123456789012:key\//);
      expect(obj(cluster.inputs.encryptionConfig).resources).to.deep.equal(["secrets"]);
      expect(cluster.dependencies).to.include(key.urn);
      expect(s.one("aws:kms/alias:Alias").inputs.name).to.match(/^alias\/strata\//);
    });

    it("ships api, audit and authenticator logs to a retained, encrypted log group created first", () => {
      const cluster = s.one("aws:eks/cluster:Cluster");
      expect(cluster.inputs.enabledClusterLogTypes).to.deep.equal(["api", "audit", "authenticator"]);
      const logs = s.one("aws:cloudwatch/logGroup:LogGroup");
      // Issue #22: 90 days by default (prod), dev keeps 30.
      expect(logs.inputs).to.include({ retentionInDays: prod ? 90 : 30, kmsKeyId: keyArn() });
      expect(logs.inputs.name).to.equal(`/aws/eks/${String(cluster.inputs.name)}/cluster`);
      expect(cluster.dependencies).to.include(logs.urn);
    });

    it("keeps the private endpoint on and never opens the public one to the Internet", () => {
      const vpc = obj(s.one("aws:eks/cluster:Cluster").inputs.vpcConfig);
      expect(vpc.endpointPrivateAccess).to.equal(true);
      if (prod) {
        // The prod infra stack deploys nothing into the cluster; the cluster stack runs inside the VPC.
        expect(vpc.endpointPublicAccess).to.equal(false);
        expect(vpc.publicAccessCidrs).to.equal(undefined);
      } else {
        // dev creates and deploys in one `up` from outside the VPC: public, limited to listed networks.
        expect(vpc.endpointPublicAccess).to.equal(true);
        expect(vpc.publicAccessCidrs).to.deep.equal(["203.0.113.0/24"]);
      }
      expect((vpc.publicAccessCidrs ?? [])).to.not.include("0.0.0.0/0");
    });

    it("issue #22: admits the cluster stack's runner to the private endpoint on tcp/443 through the EKS cluster security group", () => {
      const rules = s.all("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
      if (!prod) {
        // dev deploys from outside through the public endpoint, limited to its listed networks.
        expect(rules).to.deep.equal([]);
        return;
      }
      expect(rules.map((r) => r.inputs)).to.deep.equal([{
        securityGroupId: rules[0]?.inputs.securityGroupId,
        description: "Kubernetes API (private endpoint) from 10.50.0.0/24",
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        cidrIpv4: "10.50.0.0/24",
      }]);
      // The rule sits on the group EKS created for the cluster, read from the cluster's own state.
      expect(String(rules[0]?.inputs.securityGroupId)).to.match(/^sg-[0-9a-f]{17}$/);
      expect(rules[0]?.dependencies).to.include(s.one("aws:eks/cluster:Cluster").urn);
    });

    it("uses access entries only, pinned Kubernetes, standard support and deletion protection in prod", () => {
      const cluster = s.one("aws:eks/cluster:Cluster").inputs;
      expect(cluster.accessConfig).to.deep.equal({ authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false });
      expect(cluster).to.include({ version: "1.35", deletionProtection: prod, bootstrapSelfManagedAddons: false });
      expect(cluster.upgradePolicy).to.deep.equal({ supportType: prod ? "EXTENDED" : "STANDARD" });
      const admins = s.all("aws:eks/accessPolicyAssociation:AccessPolicyAssociation");
      expect(admins.map((a) => a.name).sort()).to.deep.equal(
        // Issue #22: the prod infra stack never calls Kubernetes, so its deployer gets no entry.
        (prod ? ["ci-deploy", "platform-team"] : ["deployer", "platform-team"]).map((k) => `${String(cluster.name)}-admin-${k}`),
      );
      for (const admin of admins) {
        expect(admin.inputs).to.deep.include({ policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy", accessScope: { type: "cluster" } });
      }
      // Issue #9: the deployer entry never moves to whoever runs `up` next.
      const deployer = s.all("aws:eks/accessEntry:AccessEntry").find((e) => e.name.endsWith("-admin-deployer"));
      if (prod) {
        expect(deployer).to.equal(undefined);
        expect(s.result().outputs).to.not.have.property("eksDeployerPrincipal");
      } else {
        expect(deployer?.inputs.principalArn).to.equal("arn:aws:iam::123456789012:role/strata-deployer");
        expect(deployer?.ignoreChanges).to.deep.equal(["principalArn"]);
        expect(s.result().outputs.eksDeployerPrincipal).to.equal("arn:aws:iam::123456789012:role/strata-deployer");
      }
    });

    it("builds NAT per environment: one in dev, one per zone in prod", () => {
      expect(s.all("aws:ec2/natGateway:NatGateway")).to.have.length(prod ? 3 : 1);
      const subnets = s.all("aws:ec2/subnet:Subnet");
      expect(subnets).to.have.length(prod ? 6 : 4);
      const tags = subnets.map((sub) => obj(sub.inputs.tags));
      expect(tags.filter((t) => t["kubernetes.io/role/elb"] === "1")).to.have.length(prod ? 3 : 2);
      expect(tags.filter((t) => t["kubernetes.io/role/internal-elb"] === "1" && t["karpenter.sh/discovery"])).to.have.length(prod ? 3 : 2);
      expect(subnets.every((sub) => sub.inputs.mapPublicIpOnLaunch !== true)).to.equal(true);
    });

    it("issue #22: places subnets in the zones config pins, never reading the account's zone list", () => {
      const zones = (prod ? ["a", "b", "c"] : ["a", "b"]).map((z) => `eu-central-1${z}`);
      const subnets = s.all("aws:ec2/subnet:Subnet");
      for (const tier of ["private", "public"]) {
        expect(subnets.filter((sub) => sub.name.includes(`-${tier}-`)).map((sub) => sub.inputs.availabilityZone)).to.deep.equal(zones);
      }
      expect(s.result().invokes.map((i) => i.token)).to.not.include("aws:index/getAvailabilityZones:getAvailabilityZones");
    });

    it("issue #22: routes S3 from the private subnets through a gateway endpoint, not NAT", () => {
      const endpoint = s.one("aws:ec2/vpcEndpoint:VpcEndpoint");
      expect(endpoint.inputs).to.include({ serviceName: "com.amazonaws.eu-central-1.s3", vpcEndpointType: "Gateway" });
      expect(endpoint.inputs.policy).to.equal(undefined);
      const privateTables = s.all("aws:ec2/routeTable:RouteTable").filter((t) => t.name.includes("-private-rt-"));
      expect(privateTables).to.have.length(prod ? 3 : 2);
      for (const table of privateTables) expect(endpoint.dependencies, table.name).to.include(table.urn);
    });

    it("issue #22: launches burstable nodes in standard credit mode, set explicitly", () => {
      const templates = s.all("aws:ec2/launchTemplate:LaunchTemplate");
      const burstable = templates.filter((t) => !t.name.endsWith("-data"));
      expect(burstable).to.have.length(prod ? 2 : 1);
      for (const template of burstable) expect(template.inputs.creditSpecification, template.name).to.deep.equal({ cpuCredits: "standard" });
      // r6i has no credits: no setting at all.
      for (const template of templates.filter((t) => t.name.endsWith("-data"))) expect(template.inputs.creditSpecification).to.equal(undefined);
    });

    it("launches nodes with IMDSv2 (hop 1) and encrypted gp3 root volumes", () => {
      const templates = s.all("aws:ec2/launchTemplate:LaunchTemplate");
      expect(templates).to.have.length(prod ? 3 : 1);
      for (const template of templates) {
        expect(template.inputs.metadataOptions).to.deep.include({ httpTokens: "required", httpPutResponseHopLimit: 1 });
        const ebs = obj(list(template.inputs.blockDeviceMappings)[0]?.ebs);
        expect(ebs).to.include({ encrypted: "true", volumeType: "gp3", kmsKeyId: keyArn() });
      }
    });

    it("runs managed node groups on AL2023 with 33% rolling updates, labels and taints", () => {
      const groups = s.all("aws:eks/nodeGroup:NodeGroup");
      expect(groups).to.have.length(prod ? 3 : 1);
      for (const group of groups) {
        expect(group.inputs).to.include({ amiType: "AL2023_x86_64_STANDARD", version: "1.35", capacityType: "ON_DEMAND" });
        expect(group.inputs.updateConfig).to.deep.equal({ maxUnavailablePercentage: 33 });
        expect(group.inputs.nodeRepairConfig).to.deep.equal({ enabled: true });
        expect(obj(group.inputs.labels)["node.strata.io/pool"]).to.be.a("string");
        expect(obj(group.inputs.labels)["node.strata.io/role"]).to.be.oneOf(["system", "worker", "database"]);
        // issue #22: no Cluster Autoscaler resizes the group, so config owns desiredSize and every up applies it.
        expect(group.ignoreChanges, "config owns the desired size").to.deep.equal([]);
      }
      if (prod) {
        const data = groups.find((g) => g.name.endsWith("-data"));
        expect(data?.inputs.taints).to.deep.equal([{ key: "node.strata.io/dedicated", value: "database", effect: "NO_SCHEDULE" }]);
        // ValueVerse baseline: 3 × t3.xlarge application nodes, autoscaled.
        const apps = groups.find((g) => g.name.endsWith("-apps"));
        expect(apps?.inputs.instanceTypes).to.deep.equal(["t3.xlarge"]);
        expect(apps?.inputs.scalingConfig).to.deep.equal({ minSize: 3, desiredSize: 3, maxSize: 10 });
      }
    });

    it("installs the pinned add-ons, networking before nodes and CoreDNS/EBS CSI after", () => {
      const addons = s.all("aws:eks/addon:Addon");
      expect(Object.fromEntries(addons.map((a) => [a.inputs.addonName, a.inputs.addonVersion]))).to.deep.equal(EKS_ADDONS);
      const byName = (n: string) => addons.find((a) => a.inputs.addonName === n) as CapturedRecord;
      expect(byName("vpc-cni").inputs.configurationValues).to.equal('{"enableNetworkPolicy":"true"}');
      for (const group of s.all("aws:eks/nodeGroup:NodeGroup")) {
        expect(group.dependencies).to.include.members([byName("vpc-cni").urn, byName("kube-proxy").urn, byName("eks-pod-identity-agent").urn]);
        expect(byName("coredns").dependencies).to.include(group.urn);
      }
    });

    it("issue #20: runs the VPC CNI on its own role, bound by the vpc-cni add-on, and takes the CNI policy off every node role", () => {
      const roles = s.all("aws:iam/role:Role");
      const attachments = s.all("aws:iam/rolePolicyAttachment:RolePolicyAttachment");
      const managedOf = (role: CapturedRecord) => attachments.filter((a) => a.dependencies.includes(role.urn)).map((a) => String(a.inputs.policyArn).split("/").pop());
      const nodeRoles = roles.filter((r) => JSON.stringify(r.inputs.assumeRolePolicy).includes("ec2.amazonaws.com"));
      expect(nodeRoles.length, "managed node groups' role (and Karpenter's nodes' when on)").to.be.greaterThan(0);
      for (const role of nodeRoles) expect(managedOf(role), role.name).to.not.include("AmazonEKS_CNI_Policy");
      const cniRole = roles.find((r) => r.name.endsWith("-vpc-cni")) as CapturedRecord;
      expect(managedOf(cniRole)).to.deep.equal(["AmazonEKS_CNI_Policy"]);
      const trust = JSON.parse(String(cniRole.inputs.assumeRolePolicy)) as { Statement: { Condition: { StringEquals: Record<string, string> } }[] };
      expect(trust.Statement[0]?.Condition.StringEquals["aws:RequestTag/kubernetes-namespace"]).to.equal("kube-system");
      expect(trust.Statement[0]?.Condition.StringEquals["aws:RequestTag/kubernetes-service-account"]).to.equal("aws-node");
      const addons = s.all("aws:eks/addon:Addon");
      const byName = (n: string) => addons.find((a) => a.inputs.addonName === n) as CapturedRecord;
      const cni = byName("vpc-cni");
      expect(list(cni.inputs.podIdentityAssociations).map((a) => a.serviceAccount)).to.deep.equal(["aws-node"]);
      // The add-on owns the association (EKS restarts aws-node when it changes); none made beside it.
      expect(s.all("aws:eks/podIdentityAssociation:PodIdentityAssociation").map((a) => a.inputs.serviceAccount)).to.not.include("aws-node");
      const cniPolicy = attachments.find((a) => a.dependencies.includes(cniRole.urn)) as CapturedRecord;
      expect(cni.dependencies, "the agent and the role's policy before aws-node starts").to.include.members([byName("eks-pod-identity-agent").urn, cniPolicy.urn, cniRole.urn]);
    });

    it("binds least-privilege roles through Pod Identity and keeps an OIDC provider for IRSA", () => {
      const associations = s.all("aws:eks/podIdentityAssociation:PodIdentityAssociation");
      const subjects = associations.map((a) => `${String(a.inputs.namespace)}/${String(a.inputs.serviceAccount)}`).sort();
      expect(subjects).to.deep.equal(Object.values(CONTROLLER_SERVICE_ACCOUNTS).map((r) => `${r.namespace}/${r.serviceAccount}`).sort());
      const roles = s.all("aws:iam/role:Role").filter((r) => associations.some((a) => a.name === r.name));
      expect(roles).to.have.length(associations.length);
      for (const role of roles) {
        // issue #18: each role trusts Pod Identity sessions of its own association's service account only.
        // issue #20: and only on behalf of an association of this cluster in this account.
        const association = associations.find((a) => a.name === role.name);
        const clusterName = String(s.one("aws:eks/cluster:Cluster").inputs.name);
        const region = String(s.one("pulumi:providers:aws").inputs.region);
        expect(JSON.parse(String(role.inputs.assumeRolePolicy))).to.deep.equal({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Principal: { Service: "pods.eks.amazonaws.com" },
              Action: ["sts:AssumeRole", "sts:TagSession"],
              Condition: {
                StringEquals: {
                  "aws:SourceAccount": MOCK_ACCOUNT_ID,
                  "aws:RequestTag/eks-cluster-arn": `arn:aws:eks:${region}:${MOCK_ACCOUNT_ID}:cluster/${clusterName}`,
                  "aws:RequestTag/eks-cluster-name": clusterName,
                  "aws:RequestTag/kubernetes-namespace": association?.inputs.namespace,
                  "aws:RequestTag/kubernetes-service-account": association?.inputs.serviceAccount,
                },
              },
            },
          ],
        });
      }
      for (const policy of s.all("aws:iam/rolePolicy:RolePolicy")) {
        const doc = JSON.parse(String(policy.inputs.policy)) as { Statement: { Action: string | string[] }[] };
        const granted = doc.Statement.flatMap((st) => st.Action);
        for (const wildcard of ["*", "s3:*", "iam:*", "ec2:*", "kms:*"]) expect(granted, policy.name).to.not.include(wildcard);
      }
      const oidc = s.one("aws:iam/openIdConnectProvider:OpenIdConnectProvider");
      expect(oidc.inputs.clientIdLists).to.deep.equal(["sts.amazonaws.com"]);
      expect(oidc.inputs.url).to.match(/^https:\/\/oidc\.eks\.eu-central-1\.amazonaws\.com\/id\//);
      expect(list(oidc.inputs.thumbprintLists)).to.have.length(1);
    });

    it("renders the policies the IAM simulation evaluates, for the stack's account and region (issue #9)", () => {
      const lb = s.all("aws:iam/rolePolicy:RolePolicy").find((p) => p.name.endsWith("-lb-controller"));
      const scope = { partition: "aws", region: "eu-central-1", accountId: MOCK_ACCOUNT_ID, clusterName: prefix(s) };
      expect(JSON.parse(String(lb?.inputs.policy))).to.deep.equal(loadBalancerControllerPolicy(scope));
      expect(JSON.parse(String(s.one("aws:kms/key:Key").inputs.policy))).to.deep.equal(keyPolicy(MOCK_ACCOUNT_ID, "aws", "eu-central-1", prefix(s)));
      const managed = s.all("aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.name.includes("-ebs-csi-")).map((a) => a.inputs.policyArn);
      expect(managed).to.deep.equal(["arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicyV2"]);
    });

    it("creates buckets encrypted with the key, versioned, private, TLS-only, with lifecycle rules", () => {
      const buckets = s.all("aws:s3/bucket:Bucket");
      expect(buckets.map((b) => b.name).sort()).to.deep.equal([`${prefix(s)}-backups`, `${prefix(s)}-logs`, `${prefix(s)}-objects`, `${prefix(s)}-traces`]);
      for (const bucket of buckets) {
        const part = (type: string) => s.all(type).find((r) => r.name === bucket.name)?.inputs ?? {};
        expect(list(part("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").rules)[0]).to.deep.equal({
          applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: keyArn() },
          bucketKeyEnabled: true,
        });
        expect(part("aws:s3/bucketVersioning:BucketVersioning").versioningConfiguration).to.deep.equal({ status: "Enabled" });
        expect(part("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")).to.include({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
        expect(part("aws:s3/bucketOwnershipControls:BucketOwnershipControls").rule).to.deep.equal({ objectOwnership: "BucketOwnerEnforced" });
        const policy = JSON.parse(String(part("aws:s3/bucketPolicy:BucketPolicy").policy)) as { Statement: { Effect: string; Condition: unknown }[] };
        expect(policy.Statement[0]).to.deep.include({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } });
        const rules = list(part("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").rules).map((r) => r.id);
        expect(rules).to.include.members(["abort-incomplete-uploads", "expire-noncurrent-versions"]);
      }
    });

    it("expires logs and traces one day after Loki's and Tempo's retention (issue #12)", () => {
      const expiry = (purpose: string) => {
        const lifecycle = s.all("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").find((r) => r.name === `${prefix(s)}-${purpose}`);
        return list(lifecycle?.inputs.rules).find((r) => r.id === "expire-current-objects")?.expiration;
      };
      // dev: retention 7 and 3 days in the same stack; prod: set in the infra example for the cluster stack's 7 and 14.
      expect([expiry("logs"), expiry("traces")]).to.deep.equal(prod ? [{ days: 8 }, { days: 15 }] : [{ days: 8 }, { days: 4 }]);
    });

    it("issue #19: keeps every current object of the backups bucket; only old versions and stale uploads go", () => {
      const lifecycle = s.all("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").find((r) => r.name === `${prefix(s)}-backups`);
      expect(list(lifecycle?.inputs.rules)).to.deep.equal([
        { id: "abort-incomplete-uploads", status: "Enabled", filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } },
        { id: "expire-noncurrent-versions", status: "Enabled", filter: {}, noncurrentVersionExpiration: { noncurrentDays: 7 } },
      ]);
    });

    it("gives Loki and Tempo IRSA roles that trust only their service accounts and reach only their buckets (issue #12)", () => {
      for (const [role, serviceAccount, purpose] of [["loki", "loki", "logs"], ["tempo", "tempo", "traces"]] as const) {
        const record = s.all("aws:iam/role:Role").find((r) => r.name === `${prefix(s)}-${role}`);
        const trust = JSON.parse(String(record?.inputs.assumeRolePolicy)) as { Statement: { Action: string; Condition: { StringEquals: Record<string, string> } }[] };
        expect(trust.Statement.map((st) => st.Action)).to.deep.equal(["sts:AssumeRoleWithWebIdentity"]);
        expect(Object.values(trust.Statement[0]?.Condition.StringEquals ?? {})).to.include(`system:serviceaccount:monitoring:${serviceAccount}`);
        const policy = s.all("aws:iam/rolePolicy:RolePolicy").find((p) => p.name === `${prefix(s)}-${role}`);
        const resources = (JSON.parse(String(policy?.inputs.policy)) as { Statement: { Resource: string }[] }).Statement.map((st) => st.Resource);
        const bucket = `arn:aws:s3:::${prefix(s)}-${purpose}-${MOCK_ACCOUNT_ID}`;
        expect(resources).to.deep.equal([bucket, `${bucket}/*`, keyArn()]);
      }
      const outputs = s.result().outputs.infra as { eks: { irsaRoles: Record<string, { namespace: string; serviceAccount: string }> } };
      expect(outputs.eks.irsaRoles["logs"]).to.deep.include({ namespace: "monitoring", serviceAccount: "loki" });
      expect(outputs.eks.irsaRoles["traces"]).to.deep.include({ namespace: "monitoring", serviceAccount: "tempo" });
    });

    it("creates every AWS resource through one provider that tags it for the cluster", () => {
      const provider = s.one("pulumi:providers:aws");
      // Provider inputs reach the engine JSON-encoded, as the real CLI sends them to the plugin.
      const defaultTags = JSON.parse(String(provider.inputs.defaultTags)) as { tags: Inputs };
      expect(defaultTags.tags).to.include({ "strata:cluster": prefix(s), "strata:environment": stack, "app.kubernetes.io/managed-by": "strata" });
      const awsResources = s.result().resources.filter((r) => r.type.startsWith("aws:"));
      const stray = awsResources.filter((r) => !r.provider.startsWith(`${provider.urn}::`)).map((r) => r.urn);
      expect(stray, "resources on the default provider").to.deep.equal([]);
      for (const template of s.all("aws:ec2/launchTemplate:LaunchTemplate")) {
        for (const spec of list(template.inputs.tagSpecifications)) expect(obj(spec.tags)).to.include({ "strata:cluster": prefix(s) });
      }
    });

    it(`protects the key and buckets ${prod ? "in prod" : "nowhere in dev"}`, () => {
      for (const type of ["aws:kms/key:Key", "aws:s3/bucket:Bucket"]) {
        for (const resource of s.all(type)) expect(resource.protect, resource.urn).to.equal(prod);
      }
    });

    it("exports the kubeconfig only as a secret and leaks no secret in clear", () => {
      expect(s.result().outputs.infraSecrets).to.equal(SECRET_PLACEHOLDER);
      expect(leaksIn(toPlanDocument(s.result()), s.result().secrets)).to.deep.equal([]);
      const kubeconfig = JSON.stringify((s.result().snapshot.outputs.infraSecrets ?? {}));
      expect(kubeconfig).to.contain("get-token");
      expect(s.result().snapshot.secretOutputNames).to.include("infraSecrets");
    });
  });
}

function prefix(s: { one: (type: string) => CapturedRecord }): string {
  return String(s.one("aws:eks/cluster:Cluster").inputs.name);
}

describe("issue #22: the deployer's access entry never duplicates an admin principal (mocked caller identity)", () => {
  const PLATFORM_ADMIN = "arn:aws:iam::123456789012:role/platform-admin";
  /** Cluster-admin entries (Karpenter's node role has an EC2_LINUX entry of its own) as [key, principal]. */
  const entries = (result: RunResult) =>
    ofType(result, "aws:eks/accessEntry:AccessEntry").filter((e) => e.inputs.type === "STANDARD").map((e) => [e.name.replace(/^.*-admin-/, ""), String(e.inputs.principalArn)]);

  it("issue #22: deploying dev as role/platform-admin (listed in adminPrincipals) creates one entry for it, not two", async function () {
    this.timeout(120_000);
    const result = await planStack({ stack: "dev", callerRole: "platform-admin" });
    expect(entries(result)).to.deep.equal([["platform-team", PLATFORM_ADMIN]]);
    // Recorded, so a later update by another identity neither adds nor moves an entry.
    expect(result.outputs.eksDeployerPrincipal).to.equal(PLATFORM_ADMIN);
  });

  it("keeps the entry with the recorded first deployer when another identity runs the next update", async function () {
    this.timeout(120_000);
    const first = "arn:aws:iam::123456789012:role/ci-deploy";
    const result = await planStack({ stack: "dev", callerRole: "platform-admin", previousOutputs: { outputs: { eksDeployerPrincipal: first }, secretOutputNames: [] } });
    expect(entries(result).sort()).to.deep.equal([["deployer", first], ["platform-team", PLATFORM_ADMIN]]);
    expect(result.outputs.eksDeployerPrincipal).to.equal(first);
  });
});

describe("issue #22: the Kubernetes version never goes down against the stack's last update", () => {
  it("issue #22: refuses dev at 1.35 after an update that ran 1.36 (e.g. after EKS upgraded the control plane itself)", async function () {
    this.timeout(120_000);
    const error = await planStack({ stack: "dev", previousOutputs: { outputs: { infra: { backend: "eks", clusterName: "strata-dev", kubernetesVersion: "1.36" } }, secretOutputNames: [] } }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(ConfigRejected);
    expect((error as ConfigRejected).problems).to.deep.equal([
      `strata:infra.kubernetesVersion: would downgrade the cluster from 1.36, which Kubernetes does not support (this stack's last update ran 1.36) (got "1.35"); keep 1.36 or move up one minor`,
    ]);
  });
});
