/** Bad EKS config is rejected while parsing, with the key, the value and the fix named. */
import { expect } from "chai";
import { isConfigError } from "../../../config/errors";
import { parseConfig } from "../../../config/schema";
import { BACKUPS_EXPIRY_REFUSAL } from "../../../config/infra/eks";

/** A runner subnet admitted to the private endpoint, which a private-only endpoint requires. */
const RUNNER_ACCESS = { privateAccessCidrs: ["10.50.0.0/24"] };

/** A stack that runs inside the VPC and owns every layer, so it calls Kubernetes. */
const IN_VPC = { deployerInVpc: true, ...RUNNER_ACCESS };
const ALL_LAYERS = ["infra", "cluster", "platform", "apps"];

/**
 * Parses an EKS stack that owns only the infra layer (so the endpoint rule stays out of the way
 * unless `layers` says otherwise) whose `strata:infra.eks` is `eks`; an `eks` without `endpoint`
 * gets a runner network admitted to its private endpoint. Returns the problems, or [] if valid.
 */
function problems(eks: Record<string, unknown>, extra: { network?: Record<string, unknown>; awsRegion?: unknown; layers?: string[] } = {}): string[] {
  try {
    parseConfig({
      environment: "dev",
      layers: extra.layers ?? ["infra"],
      hasKubeconfig: false,
      awsRegion: "awsRegion" in extra ? extra.awsRegion : "eu-central-1",
      infra: { backend: "eks", clusterName: "strata-dev", ...(extra.network ? { network: extra.network } : {}), eks: { endpoint: RUNNER_ACCESS, ...eks } },
    });
    return [];
  } catch (error) {
    if (isConfigError(error)) return [...error.problems];
    throw error;
  }
}

const group = (overrides: Record<string, unknown>) => ({ nodeGroups: { system: { role: "system", ...overrides } } });

describe("EKS config", () => {
  it("accepts an empty eks block and fills production defaults", () => {
    const config = parseConfig({ environment: "dev", layers: ["infra"], hasKubeconfig: false, awsRegion: "eu-central-1", infra: { backend: "eks", clusterName: "strata-dev", eks: { endpoint: RUNNER_ACCESS } } });
    expect(config.awsRegion).to.equal("eu-central-1");
    if (config.infra?.backend !== "eks") throw new Error("expected the eks backend");
    expect(config.infra.eks.availabilityZones).to.deep.equal(["eu-central-1a", "eu-central-1b", "eu-central-1c"]);
    expect(config.infra.eks.upgradePolicy).to.equal("STANDARD");
    expect(config.infra.eks.auditLogRetentionDays).to.equal(90);
    expect(config.infra.eks.endpoint).to.deep.equal({ publicAccess: false, publicAccessCidrs: [], deployerInVpc: false, ...RUNNER_ACCESS, privateAccessSecurityGroupIds: [] });
    expect(config.infra.eks.nodeGroups.system?.minSize).to.equal(2);
  });

  it("issue #22: pins the zones in config and refuses zones outside aws:region or listed twice", () => {
    expect(problems({ availabilityZones: ["eu-central-1a", "eu-west-1b"] })).to.deep.equal([
      'strata:infra.eks.availabilityZones[1]: is not a zone of aws:region eu-central-1 (got "eu-west-1b"); use eu-central-1a, eu-central-1b, …',
    ]);
    expect(problems({ availabilityZones: ["eu-central-1a", "eu-central-1a"] })).to.deep.equal([
      'strata:infra.eks.availabilityZones: lists a zone twice (got ["eu-central-1a","eu-central-1a"]); list 2 or 3 different zones',
    ]);
    expect(problems({ availabilityZones: ["eu-central-1a"] })).to.have.length(1);
    expect(problems({ availabilityZones: ["eu-central-1a", "eu-central-1b"] })).to.deep.equal([]);
  });

  it("rejects a VPC CIDR overlapping the service range", () => {
    expect(problems({ vpcCidr: "10.96.0.0/16" })).to.deep.equal([
      'strata:infra.eks.vpcCidr: overlaps network.serviceCidr 10.96.0.0/12; pick a VPC range disjoint from the pod and service ranges (got "10.96.0.0/16")',
    ]);
  });

  it("rejects a VPC CIDR overlapping the pod range", () => {
    expect(problems({ vpcCidr: "10.244.0.0/16" })).to.deep.equal([
      'strata:infra.eks.vpcCidr: overlaps network.podCidr 10.244.0.0/16; pick a VPC range disjoint from the pod and service ranges (got "10.244.0.0/16")',
    ]);
  });

  it("rejects a VPC too large or too small to carve subnets from", () => {
    expect(problems({ vpcCidr: "10.0.0.0/24" })).to.deep.equal([
      'strata:infra.eks.vpcCidr: must have a prefix from /16 to /22; strata carves a private and a public subnet per zone from it (got "10.0.0.0/24")',
    ]);
  });

  it("rejects a service range EKS does not accept", () => {
    expect(problems({}, { network: { serviceCidr: "100.64.0.0/16" } })).to.deep.equal([
      'strata:infra.network.serviceCidr: is not a range EKS accepts; use a /12 to /24 inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16 (got "100.64.0.0/16")',
    ]);
  });

  it("rejects a public endpoint without CIDRs", () => {
    expect(problems({ endpoint: { publicAccess: true } })).to.deep.equal([
      "strata:infra.eks.endpoint.publicAccess: is on but publicAccessCidrs is empty; list the networks (e.g. office or CI egress /32s) allowed to reach the API (got true)",
    ]);
  });

  it("rejects a public endpoint open to 0.0.0.0/0", () => {
    expect(problems({ endpoint: { publicAccess: true, publicAccessCidrs: ["203.0.113.0/24", "0.0.0.0/0"] } })).to.deep.equal([
      'strata:infra.eks.endpoint.publicAccessCidrs[1]: opens the API server to the whole Internet; list specific networks instead (got "0.0.0.0/0")',
    ]);
  });

  it("rejects public CIDRs while the public endpoint is off", () => {
    expect(problems({ endpoint: { ...RUNNER_ACCESS, publicAccessCidrs: ["203.0.113.0/24"] } })).to.deep.equal([
      'strata:infra.eks.endpoint.publicAccessCidrs: is set while publicAccess is off; set publicAccess: true or remove the list (got ["203.0.113.0/24"])',
    ]);
  });

  it("rejects a node group whose minSize is above maxSize", () => {
    expect(problems(group({ minSize: 4, maxSize: 3 }))).to.deep.equal([
      "strata:infra.eks.nodeGroups.system.minSize: is larger than maxSize (3); lower minSize or raise maxSize (got 4)",
    ]);
  });

  it("rejects a desired size outside minSize..maxSize", () => {
    expect(problems(group({ minSize: 2, desiredSize: 5, maxSize: 4 }))).to.deep.equal([
      "strata:infra.eks.nodeGroups.system.desiredSize: is outside minSize..maxSize (2..4); choose a size within that range (got 5)",
    ]);
  });

  it("rejects an unknown instance type", () => {
    expect(problems(group({ instanceTypes: ["t3.huge"] }))).to.deep.equal([
      'strata:infra.eks.nodeGroups.system.instanceTypes[0]: is not an instance type strata knows; use one listed in lib/instance-types.ts, such as t3.large, m7i.xlarge or r7i.large (got "t3.huge")',
    ]);
  });

  it("rejects x86 and arm types in one group", () => {
    expect(problems(group({ instanceTypes: ["m6i.large", "m7g.large"] }))).to.deep.equal([
      'strata:infra.eks.nodeGroups.system.instanceTypes: mixes x86_64 and arm64 types; one node group runs one AMI, so split them into two groups (got ["m6i.large","m7g.large"])',
    ]);
  });

  it("rejects a control-plane node group", () => {
    expect(problems(group({ role: "control-plane" }))).to.deep.equal([
      'strata:infra.eks.nodeGroups.system.role: must be one of "system", "worker", "storage", "database" (got "control-plane")',
    ]);
  });

  it("rejects an invalid admin principal ARN", () => {
    expect(problems({ adminPrincipals: { ops: "arn:aws:iam::12345:role/ops" } })).to.deep.equal([
      'strata:infra.eks.adminPrincipals.ops: must be an IAM role or user ARN such as arn:aws:iam::123456789012:role/platform-admin (got "arn:aws:iam::12345:role/ops")',
    ]);
  });

  it("rejects an admin principal named like the deployer's entry", () => {
    expect(problems({ adminPrincipals: { deployer: "arn:aws:iam::123456789012:role/ops" } })).to.deep.equal([
      'strata:infra.eks.adminPrincipals.deployer: is the name of the deploying identity\'s access entry; rename this principal (got "arn:aws:iam::123456789012:role/ops")',
    ]);
  });

  it("rejects a retention CloudWatch does not offer", () => {
    expect(problems({ auditLogRetentionDays: 45 })).to.deep.equal([
      "strata:infra.eks.auditLogRetentionDays: is not a CloudWatch Logs retention period; use one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 (got 45)",
    ]);
  });

  it("rejects bucket expiry before the move to infrequent access", () => {
    expect(problems({ buckets: { objects: { transitionToInfrequentAccessDays: 60, expirationDays: 30 } } })).to.deep.equal([
      "strata:infra.eks.buckets.objects.expirationDays: is not after transitionToInfrequentAccessDays (60); expire objects later than they move (got 30)",
    ]);
  });

  it("issue #19: refuses expiry by age on the backups bucket, whose tools delete their own expired backups", () => {
    expect(problems({ buckets: { backups: { expirationDays: 90 } } })).to.deep.equal([`strata:infra.eks.buckets.backups.expirationDays: ${BACKUPS_EXPIRY_REFUSAL} (got 90)`]);
    expect(BACKUPS_EXPIRY_REFUSAL).to.match(/^must stay unset: expiry by age deletes objects the backup tools still reference/);
    expect(problems({ buckets: { backups: { noncurrentVersionExpirationDays: 7, transitionToInfrequentAccessDays: 30 } } })).to.deep.equal([]);
  });

  it("rejects an existing VPC with malformed ids", () => {
    expect(problems({ existingVpc: { vpcId: "vpc-1", privateSubnetIds: ["subnet-0a1b2c3d4e5f60718", "subnet-0a1b2c3d4e5f60719"] } })).to.deep.equal([
      'strata:infra.eks.existingVpc.vpcId: must be a VPC id such as vpc-0a1b2c3d4e5f60718 (got "vpc-1")',
    ]);
  });

  it("requires aws:region for the eks backend", () => {
    expect(problems({}, { awsRegion: undefined })).to.deep.equal([
      "aws:region: is required for the eks backend (got nothing); set it with `pulumi config set aws:region eu-central-1`",
    ]);
  });

  it("rejects an unknown key, pointing at the reference when no allowed key is close", () => {
    expect(problems({ natGateways: "one" })).to.deep.equal([
      'strata:infra.eks.natGateways: unknown key; none of the 15 keys allowed here is close (they are listed in docs/config.md) (got "natGateways")',
    ]);
  });

  it("rejects a deployer principal also listed as an admin (issue #9)", () => {
    const arn = "arn:aws:iam::123456789012:role/ci-deploy";
    expect(problems({ deployerPrincipal: arn, adminPrincipals: { ci: arn }, endpoint: IN_VPC }, { layers: ALL_LAYERS })).to.deep.equal([
      `strata:infra.eks.deployerPrincipal: is also adminPrincipals.ci; EKS allows one access entry per principal, so remove one of them (got "${arn}")`,
    ]);
  });

  describe("issue #22: access entries never name one principal twice; an infra-only deployer gets none", () => {
    it("issue #22: refuses a deployer principal that is an admin principal under another path", () => {
      expect(problems({ deployerPrincipal: "arn:aws:iam::123456789012:role/ci/ci-deploy", adminPrincipals: { ci: "arn:aws:iam::123456789012:role/ci-deploy" }, endpoint: IN_VPC }, { layers: ALL_LAYERS })).to.deep.equal([
        'strata:infra.eks.deployerPrincipal: is also adminPrincipals.ci; EKS allows one access entry per principal, so remove one of them (got "arn:aws:iam::123456789012:role/ci/ci-deploy")',
      ]);
    });

    it("issue #22: gives the deployer of an infra-only stack no cluster-admin entry, and refuses one asked for", () => {
      const parsed = parseConfig({ environment: "dev", layers: ["infra"], hasKubeconfig: false, awsRegion: "eu-central-1", infra: { backend: "eks", clusterName: "strata-dev", eks: { endpoint: RUNNER_ACCESS } } });
      expect(parsed.infra?.backend === "eks" && parsed.infra.eks.enableDeployerAdmin).to.equal(false);
      expect(problems({ enableDeployerAdmin: true })).to.deep.equal([
        "strata:infra.eks.enableDeployerAdmin: would give cluster admin to the identity running `pulumi up`, but this stack owns only the infra layer and never calls Kubernetes (got true); " +
          "remove it (off by default here) and list the people and runners that need the cluster under adminPrincipals",
      ]);
      expect(problems({ deployerPrincipal: "arn:aws:iam::123456789012:role/infra-deploy" })).to.deep.equal([
        'strata:infra.eks.deployerPrincipal: is set but this stack owns only the infra layer, so it creates no deployer entry (got "arn:aws:iam::123456789012:role/infra-deploy"); remove it, or list the principal under adminPrincipals if it needs the cluster',
      ]);
    });

    it("keeps the deployer entry on by default where the stack owns the cluster layer", () => {
      const parsed = parseConfig({ environment: "dev", hasKubeconfig: false, awsRegion: "eu-central-1", infra: { backend: "eks", clusterName: "strata-dev", eks: { endpoint: IN_VPC } } });
      expect(parsed.infra?.backend === "eks" && parsed.infra.eks.enableDeployerAdmin).to.equal(true);
    });
  });

  it("refuses a node group mixing burstable and fixed-performance types (the credit mode is per launch template)", () => {
    expect(problems(group({ instanceTypes: ["t3.large", "m6i.large"] }))).to.deep.equal([
      `strata:infra.eks.nodeGroups.system.instanceTypes: mixes burstable (t3/t3a) and fixed-performance types; the launch template's CPU credit mode applies to T types only, so split them into two groups (got ["t3.large","m6i.large"])`,
    ]);
    expect(problems(group({ instanceTypes: ["t3.large"], cpuCredits: "unlimited" }))).to.deep.equal([]);
  });

  it("issue #22: requires an explicit upgradePolicy outside dev, saying what each does", () => {
    const run = (eks: Record<string, unknown>) => {
      try {
        parseConfig({ environment: "prod", layers: ["infra"], hasKubeconfig: false, awsRegion: "eu-central-1", infra: { backend: "eks", clusterName: "strata-prod", eks: { endpoint: RUNNER_ACCESS, ...eks } } });
        return [];
      } catch (error) {
        if (isConfigError(error)) return [...error.problems];
        throw error;
      }
    };
    expect(run({})).to.deep.equal([
      "strata:infra.eks.upgradePolicy: is required outside dev (got nothing); STANDARD lets EKS upgrade the control plane itself when the version's standard support ends (the next `up` then fails trying to downgrade it unless kubernetesVersion moved first), " +
        "EXTENDED keeps the version up to 12 more months at the extended-support price: set STANDARD or EXTENDED",
    ]);
    expect(run({ upgradePolicy: "EXTENDED" })).to.deep.equal([]);
  });

  describe("endpoint reachability (issue #9)", () => {
    const unreachable =
      'strata:infra.eks.endpoint: is private only while this stack also owns the cluster layer, which `pulumi up` deploys through that endpoint (got {"publicAccess":false,"deployerInVpc":false}); ' +
      "set publicAccess: true with publicAccessCidrs listing the networks you deploy from, set deployerInVpc: true with privateAccessCidrs if pulumi runs inside the VPC, " +
      "or split the stack: strata:layers [infra] here and [cluster, platform, apps] in a stack run from inside the VPC";

    it("rejects a private-only endpoint in a stack that owns infra and cluster", () => {
      expect(problems({}, { layers: ["infra", "cluster", "platform", "apps"] })).to.deep.equal([unreachable]);
      expect(problems({}, { layers: ["infra", "cluster"] })).to.deep.equal([unreachable]);
    });

    it("accepts it when the stack declares it runs inside the VPC, opens the endpoint to listed networks, or owns only infra", () => {
      const all = ["infra", "cluster", "platform", "apps"];
      expect(problems({ endpoint: { deployerInVpc: true, privateAccessCidrs: ["10.50.0.0/24"] } }, { layers: all })).to.deep.equal([]);
      expect(problems({ endpoint: { publicAccess: true, publicAccessCidrs: ["198.51.100.0/24"] } }, { layers: all })).to.deep.equal([]);
      expect(problems({}, { layers: ["infra"] })).to.deep.equal([]);
    });
  });

  describe("issue #22: the private endpoint admits the deployer's network", () => {
    const fix = "list the deployer's network (e.g. the CI runners' subnet or the VPN range) here, or its security group in privateAccessSecurityGroupIds (got nothing)";
    const rule = "the EKS cluster security group admits only the control plane and the nodes, so any other client times out on tcp/443";

    it("issue #22: refuses a private-only endpoint without privateAccessCidrs or privateAccessSecurityGroupIds, giving the reason", () => {
      expect(problems({ endpoint: {} })).to.deep.equal([
        `strata:infra.eks.endpoint.privateAccessCidrs: is empty while the endpoint is private only (publicAccess off), so whatever deploys the cluster, platform and apps layers reaches it from inside the VPC; ${rule}; ${fix}`,
      ]);
    });

    it("issue #22: refuses deployerInVpc without them even when the endpoint is also public", () => {
      expect(problems({ endpoint: { deployerInVpc: true, publicAccess: true, publicAccessCidrs: ["198.51.100.0/24"] } })).to.deep.equal([
        `strata:infra.eks.endpoint.privateAccessCidrs: is empty while deployerInVpc is on, so \`pulumi up\` reaches the API server through the private endpoint; ${rule}; ${fix}`,
      ]);
    });

    it("accepts a runner CIDR or security group, and a public endpoint deployed from outside without either", () => {
      expect(problems({ endpoint: { privateAccessCidrs: ["10.50.0.0/24"] } })).to.deep.equal([]);
      expect(problems({ endpoint: { privateAccessSecurityGroupIds: ["sg-0a1b2c3d4e5f60718"] } })).to.deep.equal([]);
      expect(problems({ endpoint: { publicAccess: true, publicAccessCidrs: ["198.51.100.0/24"] } })).to.deep.equal([]);
    });

    it("rejects a malformed security group id", () => {
      expect(problems({ endpoint: { privateAccessSecurityGroupIds: ["runners"] } })).to.deep.equal([
        'strata:infra.eks.endpoint.privateAccessSecurityGroupIds[0]: must be a security group id such as sg-0a1b2c3d4e5f60718 (got "runners")',
      ]);
    });
  });

  describe("Karpenter AMI alias outside dev (issue #9)", () => {
    /** A prod stack owning every layer on EKS; returns the problems for a given strata:cluster.eks.karpenter. */
    const prodProblems = (karpenter: Record<string, unknown> | undefined, environment = "prod"): string[] => {
      try {
        parseConfig({
          environment,
          hasKubeconfig: false,
          awsRegion: "eu-central-1",
          infra: { backend: "eks", clusterName: "strata-prod", eks: { endpoint: { deployerInVpc: true, privateAccessCidrs: ["10.50.0.0/24"] }, upgradePolicy: "STANDARD" } },
          cluster: karpenter === undefined ? {} : { eks: { karpenter } },
        });
        return [];
      } catch (error) {
        if (isConfigError(error)) return [...error.problems];
        throw error;
      }
    };

    it("rejects @latest outside dev", () => {
      expect(prodProblems({ amiAlias: "al2023@latest" })).to.deep.equal([
        'strata:cluster.eks.karpenter.amiAlias: must be a dated alias outside dev; @latest rolls every Karpenter node to each new AMI release (got "al2023@latest"); pin a dated alias such as al2023@v20260801 and move it deliberately',
      ]);
      expect(prodProblems({ amiAlias: "al2023@latest" }, "staging")).to.have.length(1);
    });

    it("requires an alias outside dev, where the default would float", () => {
      expect(prodProblems(undefined)).to.deep.equal([
        "strata:cluster.eks.karpenter.amiAlias: is required outside dev, where the default al2023@latest would roll every Karpenter node to each new AMI release (got nothing); pin a dated alias such as al2023@v20260801 and move it deliberately",
      ]);
    });

    it("accepts a dated alias, and @latest in dev", () => {
      expect(prodProblems({ amiAlias: "al2023@v20260801" })).to.deep.equal([]);
      expect(prodProblems({ amiAlias: "al2023@latest" }, "dev")).to.deep.equal([]);
    });

    it("checks a cluster-only stack that configures strata:cluster.eks (its infra is another stack)", () => {
      const run = (amiAlias: string) => {
        try {
          parseConfig({ environment: "prod", layers: ["cluster", "platform", "apps"], upstreamStack: "eks-prod-infra", hasKubeconfig: false, cluster: { eks: { karpenter: { amiAlias } } } });
          return [];
        } catch (error) {
          if (isConfigError(error)) return [...error.problems];
          throw error;
        }
      };
      expect(run("al2023@latest")).to.have.length(1);
      expect(run("al2023@v20260801")).to.deep.equal([]);
    });
  });
});
