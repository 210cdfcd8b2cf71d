/** `strata:infra.eks`: an AWS EKS cluster with its VPC, node groups, add-ons and buckets. */
import { z } from "zod";
import { POOL_ROLES } from "../../lib/contracts";
import { samePrincipal } from "../../lib/iam-principal";
import { INSTANCE_TYPES, isInstanceType } from "../../lib/instance-types";
import { cidr, cidrRange, cidrsOverlap, count, labels, namedMap, strictObject, taint } from "../common";
import { infraCommon } from "./common";

export const NAT_MODES = ["single", "perAz"] as const;
export type NatMode = (typeof NAT_MODES)[number];
export const CAPACITY_TYPES = ["ON_DEMAND", "SPOT"] as const;
/** CPU credit modes of burstable (T) instances. */
export const CPU_CREDIT_MODES = ["standard", "unlimited"] as const;
/** Burstable performance families (t3, t3a, t4g): they earn and spend CPU credits. */
export const isBurstable = (instanceType: string): boolean => /^t\d/.test(instanceType);
export const UPGRADE_SUPPORT_TYPES = ["STANDARD", "EXTENDED"] as const;
/** Retention periods CloudWatch Logs accepts. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;
/** Roles an EKS node group may take; AWS runs the control plane and load balancers. */
export const EKS_POOL_ROLES = POOL_ROLES.filter((role) => role !== "control-plane" && role !== "load-balancer");

const IAM_PRINCIPAL_ARN = /^arn:aws(-cn|-us-gov)?:iam::\d{12}:(role|user)\/[\w+=,.@/-]{1,512}$/;
const VPC_ID = /^vpc-[0-9a-f]{8,17}$/;
const SUBNET_ID = /^subnet-[0-9a-f]{8,17}$/;
const SECURITY_GROUP_ID = /^sg-[0-9a-f]{8,17}$/;
const AVAILABILITY_ZONE = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d[a-z]$/;

const instanceType = z.string().refine(isInstanceType, {
  error: "is not an instance type strata knows; use one listed in lib/instance-types.ts, such as t3.large, m7i.xlarge or r7i.large",
});

export const eksNodeGroup = strictObject({
  role: z.enum(EKS_POOL_ROLES).describe("What the group is for; nodes carry it as the label node.strata.io/role, which workloads are placed by."),
  instanceTypes: z.array(instanceType).min(1).default(["t3.large"]).describe("Instance types the group may launch, all of one CPU architecture."),
  minSize: count(0).default(1).describe("Smallest size the group may be set to."),
  desiredSize: count(0).optional().describe("Nodes the group runs; every `up` applies it (strata runs no Cluster Autoscaler, and Karpenter adds its own nodes without resizing groups), and the apps capacity check counts it. Default: minSize."),
  maxSize: count(1).default(3).describe("Largest size desiredSize may be set to; for worker groups, maxSize − desiredSize is also Karpenter's default node headroom."),
  diskGi: count(20).default(50).describe("Root volume (gp3, KMS-encrypted) size in GiB."),
  capacityType: z.enum(CAPACITY_TYPES).default("ON_DEMAND").describe("ON_DEMAND or SPOT capacity."),
  cpuCredits: z.enum(CPU_CREDIT_MODES).optional().describe("CPU credit mode of burstable (t3/t3a) types, set in the launch template: standard throttles to the baseline when credits run out; unlimited keeps bursting and bills the surplus (EC2's own default for T3). Ignored for other families. Default: standard."),
  labels: labels.default({}).describe("Node labels besides node.strata.io/pool and node.strata.io/role."),
  taints: z.array(taint).default([]).describe("Node taints, e.g. to keep a data pool for databases."),
}).superRefine((group, ctx) => {
  if (group.minSize > group.maxSize) {
    ctx.addIssue({ code: "custom", path: ["minSize"], message: `is larger than maxSize (${group.maxSize}); lower minSize or raise maxSize` });
  }
  const desired = group.desiredSize;
  if (desired !== undefined && (desired < group.minSize || desired > group.maxSize)) {
    ctx.addIssue({ code: "custom", path: ["desiredSize"], message: `is outside minSize..maxSize (${group.minSize}..${group.maxSize}); choose a size within that range` });
  }
  if (new Set(group.instanceTypes.map(isBurstable)).size > 1) {
    ctx.addIssue({ code: "custom", path: ["instanceTypes"], message: "mixes burstable (t3/t3a) and fixed-performance types; the launch template's CPU credit mode applies to T types only, so split them into two groups" });
  }
  const architectures = new Set(group.instanceTypes.filter(isInstanceType).map((type) => INSTANCE_TYPES[type].architecture));
  if (architectures.size > 1) {
    ctx.addIssue({ code: "custom", path: ["instanceTypes"], message: "mixes x86_64 and arm64 types; one node group runs one AMI, so split them into two groups" });
  }
});
export type EksNodeGroupConfig = z.infer<typeof eksNodeGroup>;

/**
 * Why the backups bucket never expires current objects by age: every tool writing there keeps
 * objects it still needs for as long as it likes and deletes them itself. Velero's kopia
 * repository writes `kopia.repository` once and keeps referring to pack blobs of old snapshots
 * (kopia deletes unreferenced blobs in its own maintenance); Barman Cloud, PBM and xtrabackup
 * delete expired backups by their retention.
 */
export const BACKUPS_EXPIRY_REFUSAL =
  "must stay unset: expiry by age deletes objects the backup tools still reference (Velero's kopia repository keeps kopia.repository and old packs; Barman, PBM and xtrabackup delete by their own retention); remove it and set strata:platform.backups.retention or the data service's backup.retention instead";

/** Settings of one bucket; the default for old versions differs by purpose. */
const eksBucket = (noncurrentDays: number, expiryDefault = "unset keeps them. Default: never", options: { readonly toolManagedRetention?: boolean } = {}) => strictObject({
  enabled: z.boolean().default(true).describe("Create this bucket."),
  noncurrentVersionExpirationDays: count(1).default(noncurrentDays).describe("Days before replaced or deleted object versions are removed."),
  transitionToInfrequentAccessDays: count(30).optional().describe("Days before current objects move to STANDARD_IA (30 or more); unset keeps them in STANDARD. Default: never."),
  expirationDays: count(1).optional().describe(`Days before current objects expire; ${expiryDefault}.`),
}).superRefine((bucket, ctx) => {
  const { transitionToInfrequentAccessDays: transition, expirationDays: expiry } = bucket;
  if (options.toolManagedRetention === true && expiry !== undefined) {
    ctx.addIssue({ code: "custom", path: ["expirationDays"], message: BACKUPS_EXPIRY_REFUSAL });
  } else if (transition !== undefined && expiry !== undefined && expiry <= transition) {
    ctx.addIssue({ code: "custom", path: ["expirationDays"], message: `is not after transitionToInfrequentAccessDays (${transition}); expire objects later than they move` });
  }
});
export type EksBucketConfig = z.infer<ReturnType<typeof eksBucket>>;

export const existingVpc = strictObject({
  vpcId: z.string().regex(VPC_ID, { error: "must be a VPC id such as vpc-0a1b2c3d4e5f60718" }).describe("Id of the VPC the cluster joins."),
  privateSubnetIds: z.array(z.string().regex(SUBNET_ID, { error: "must be a subnet id such as subnet-0a1b2c3d4e5f60718" })).min(2).describe("Private subnets (one per zone) for nodes and internal load balancers."),
  publicSubnetIds: z.array(z.string().regex(SUBNET_ID, { error: "must be a subnet id such as subnet-0a1b2c3d4e5f60718" })).default([]).describe("Public subnets for Internet-facing load balancers."),
});

export const eksEndpoint = strictObject({
  publicAccess: z.boolean().default(false).describe("Open the API server on a public address as well as inside the VPC."),
  publicAccessCidrs: z.array(cidr).default([]).describe("Networks allowed to reach the public endpoint; required when publicAccess is on."),
  deployerInVpc: z.boolean().default(false).describe("`pulumi up` runs where the private endpoint is reachable (a runner in the VPC, VPN or peering); lets one stack own infra and cluster with a private-only endpoint."),
  privateAccessCidrs: z.array(cidr).default([]).describe("Networks (the CI runners' subnet, a VPN or peered range) allowed to reach the private endpoint on tcp/443, through ingress rules on the EKS cluster security group; required with deployerInVpc or a private-only endpoint."),
  privateAccessSecurityGroupIds: z.array(z.string().regex(SECURITY_GROUP_ID, { error: "must be a security group id such as sg-0a1b2c3d4e5f60718" })).default([]).describe("Security groups (e.g. the CI runners') whose members may reach the private endpoint on tcp/443; an alternative or addition to privateAccessCidrs."),
}).superRefine((endpoint, ctx) => {
  const unreachable = privateEndpointUnreachable(endpoint);
  if (unreachable !== undefined) ctx.addIssue({ code: "custom", path: ["privateAccessCidrs"], message: unreachable });
  if (endpoint.publicAccess && endpoint.publicAccessCidrs.length === 0) {
    ctx.addIssue({ code: "custom", path: ["publicAccess"], message: "is on but publicAccessCidrs is empty; list the networks (e.g. office or CI egress /32s) allowed to reach the API" });
  }
  if (!endpoint.publicAccess && endpoint.publicAccessCidrs.length > 0) {
    ctx.addIssue({ code: "custom", path: ["publicAccessCidrs"], message: "is set while publicAccess is off; set publicAccess: true or remove the list" });
  }
  endpoint.publicAccessCidrs.forEach((range, i) => {
    if (range.endsWith("/0")) {
      ctx.addIssue({ code: "custom", path: ["publicAccessCidrs", i], message: "opens the API server to the whole Internet; list specific networks instead" });
    }
  });
});

export const eksSettings = strictObject({
  availabilityZones: z.array(z.string().regex(AVAILABILITY_ZONE, { error: "must be an availability zone name such as eu-central-1a" })).min(2).max(3).optional()
    .describe("Availability zones (2 or 3, by name, in aws:region) the VPC's subnets and the node groups span; pinned so the subnets never move when the region's zone list changes. Default: <region>a, <region>b and <region>c. Ignored with existingVpc, whose subnets fix the zones."),
  vpcCidr: cidr.default("10.0.0.0/16").describe("CIDR of the VPC strata creates (/16 to /22); ignored with existingVpc."),
  existingVpc: existingVpc.optional().describe("Use this VPC and its subnets instead of creating one. Default: strata creates a VPC."),
  natMode: z.enum(NAT_MODES).optional().describe("One NAT gateway for the VPC or one per zone. Default: ENVIRONMENT_DEFAULTS (dev single, prod perAz)."),
  endpoint: eksEndpoint.prefault({}).describe("API server endpoint exposure; the private endpoint is always on."),
  adminPrincipals: namedMap(z.string().regex(IAM_PRINCIPAL_ARN, { error: "must be an IAM role or user ARN such as arn:aws:iam::123456789012:role/platform-admin" })).default({}).describe("IAM roles or users granted cluster admin through access entries, keyed by a short name."),
  enableDeployerAdmin: z.boolean().optional().describe("Grant cluster admin to the identity running `pulumi up` through an access entry. Default: on where this stack also owns the cluster layer (it calls Kubernetes), off in an infra-only stack, where it is refused."),
  deployerPrincipal: z.string().regex(IAM_PRINCIPAL_ARN, { error: "must be an IAM role or user ARN such as arn:aws:iam::123456789012:role/ci-deploy" }).optional().describe("IAM role or user the deployer access entry is for. Default: the role of the first identity that runs `pulumi up` (recorded in the stack output eksDeployerPrincipal), kept when another identity runs it later. No entry is created when an adminPrincipals entry is the same principal."),
  auditLogRetentionDays: z.number().default(90).refine((days) => (LOG_RETENTION_DAYS as readonly number[]).includes(days), {
    error: `is not a CloudWatch Logs retention period; use one of ${LOG_RETENTION_DAYS.join(", ")}`,
  }).describe("Days CloudWatch keeps the control-plane logs (api, audit, authenticator); billed per GB stored."),
  deletionProtection: z.boolean().optional().describe("Refuse cluster deletion through the EKS API. Default: ENVIRONMENT_DEFAULTS (prod on)."),
  upgradePolicy: z.enum(UPGRADE_SUPPORT_TYPES).optional().describe(
    "EKS upgrade policy (`upgradePolicy.supportType`) once kubernetesVersion leaves standard support. STANDARD: EKS upgrades the control plane to the next minor itself; the next `up` then fails trying to downgrade it unless kubernetesVersion (and the pins of lib/kubernetes-versions.ts) moved first. EXTENDED: the version stays for up to 12 more months at the extended-support price. Required outside dev; dev default: STANDARD.",
  ),
  nodeGroups: namedMap(eksNodeGroup).default({
    system: { role: "system", instanceTypes: ["t3.large"], minSize: 2, maxSize: 3, diskGi: 50, capacityType: "ON_DEMAND", labels: {}, taints: [] },
  }).describe("Managed node groups keyed by name."),
  createSpotServiceLinkedRole: z.boolean().default(false).describe("Create the account's AWSServiceRoleForEC2Spot, which spot launches (node groups or Karpenter) need; leave off when the account already has it (creation fails then). It is kept on destroy."),
  enableKarpenter: z.boolean().default(true).describe("Create the AWS side of Karpenter (controller role, node role, interruption queue)."),
  buckets: strictObject({
    objects: eksBucket(30).prefault({}).describe("Bucket for application objects."),
    backups: eksBucket(7, "not allowed here: Velero, Barman, PBM and xtrabackup each delete their own expired backups", { toolManagedRetention: true }).prefault({}).describe("Bucket the backup writers share, each under its own prefix (Velero, PostgreSQL's Barman Cloud, MongoDB's PBM); current objects never expire by age, old versions and stale uploads do."),
    logs: eksBucket(1, "default: one day after the store's retention where this stack also owns the platform layer (a smaller value is rejected there), else never").prefault({}).describe("Bucket Loki keeps log chunks and its index in (through IRSA); Loki's compactor deletes what is past its retention."),
    traces: eksBucket(1, "default: one day after the store's retention where this stack also owns the platform layer (a smaller value is rejected there), else never").prefault({}).describe("Bucket Tempo keeps trace blocks in (through IRSA); Tempo's compactor deletes what is past its retention."),
  }).prefault({}).describe("S3 buckets for application objects, backups, logs and traces."),
}).superRefine((eks, ctx) => {
  if (eks.enableDeployerAdmin !== false && "deployer" in eks.adminPrincipals) {
    ctx.addIssue({ code: "custom", path: ["adminPrincipals", "deployer"], message: "is the name of the deploying identity's access entry; rename this principal" });
  }
  const deployer = eks.deployerPrincipal;
  const listed = deployer === undefined ? undefined : Object.entries(eks.adminPrincipals).find(([, arn]) => samePrincipal(arn, deployer));
  if (eks.enableDeployerAdmin !== false && listed !== undefined) {
    ctx.addIssue({ code: "custom", path: ["deployerPrincipal"], message: `is also adminPrincipals.${listed[0]}; EKS allows one access entry per principal, so remove one of them` });
  }
  if (Object.keys(eks.nodeGroups).length === 0) {
    ctx.addIssue({ code: "custom", path: ["nodeGroups"], message: "is empty; declare at least one node group for system pods" });
  }
  const [, bits] = eks.vpcCidr.split("/");
  const prefix = Number(bits);
  if (eks.existingVpc === undefined && (prefix < 16 || prefix > 22)) {
    ctx.addIssue({ code: "custom", path: ["vpcCidr"], message: "must have a prefix from /16 to /22; strata carves a private and a public subnet per zone from it" });
  }
});
export type EksSettings = z.infer<typeof eksSettings>;

export const eksInfra = strictObject({
  backend: z.literal("eks"),
  ...infraCommon,
  eks: eksSettings.prefault({}).describe("EKS settings: VPC, endpoint, access, node groups, add-on roles and buckets."),
}).superRefine((infra, ctx) => {
  const { podCidr, serviceCidr } = infra.network;
  if (infra.eks.existingVpc === undefined) {
    for (const [key, range] of [["podCidr", podCidr], ["serviceCidr", serviceCidr]] as const) {
      if (cidrsOverlap(infra.eks.vpcCidr, range)) {
        ctx.addIssue({ code: "custom", path: ["eks", "vpcCidr"], message: `overlaps network.${key} ${range}; pick a VPC range disjoint from the pod and service ranges` });
      }
    }
  }
  if (!eksServiceCidrAllowed(serviceCidr)) {
    ctx.addIssue({
      code: "custom",
      path: ["network", "serviceCidr"],
      message: "is not a range EKS accepts; use a /12 to /24 inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16",
    });
  }
});
export type EksInfraConfig = z.infer<typeof eksInfra>;

/**
 * Why a private endpoint needs `privateAccessCidrs` or `privateAccessSecurityGroupIds`: EKS puts
 * the control plane's network interfaces in the cluster security group it creates, and that group
 * admits only its own members (the control plane and the nodes, which join it). A deployer in the
 * VPC, over VPN or peering is none of those, so without an ingress rule on tcp/443 its connection
 * to the private endpoint times out. strata adds one rule per listed network or group
 * (`infra/eks/endpoint-access.ts`). Required when the deployer says it is in the VPC, and when the
 * endpoint is private only: then every deploy of the cluster, platform and apps layers (here or
 * in a split stack) goes through the private endpoint.
 */
function privateEndpointUnreachable(endpoint: { readonly publicAccess: boolean; readonly deployerInVpc: boolean; readonly privateAccessCidrs: readonly string[]; readonly privateAccessSecurityGroupIds: readonly string[] }): string | undefined {
  if (endpoint.privateAccessCidrs.length > 0 || endpoint.privateAccessSecurityGroupIds.length > 0) return undefined;
  if (!endpoint.deployerInVpc && endpoint.publicAccess) return undefined;
  const reason = endpoint.deployerInVpc
    ? "deployerInVpc is on, so `pulumi up` reaches the API server through the private endpoint"
    : "the endpoint is private only (publicAccess off), so whatever deploys the cluster, platform and apps layers reaches it from inside the VPC";
  return (
    `is empty while ${reason}; the EKS cluster security group admits only the control plane and the nodes, so any other client times out on tcp/443; ` +
    "list the deployer's network (e.g. the CI runners' subnet or the VPN range) here, or its security group in privateAccessSecurityGroupIds"
  );
}

/**
 * A stack that creates the cluster and then deploys into it in the same `up` must reach the API
 * server: through the public endpoint (limited to listed networks) or from inside the VPC, where
 * `privateAccessCidrs`/`privateAccessSecurityGroupIds` open tcp/443 on the cluster security
 * group for it (`privateEndpointUnreachable` above).
 */
export function endpointReachabilityProblem(infra: EksInfraConfig, ownsCluster: boolean): string | undefined {
  const { publicAccess, deployerInVpc } = infra.eks.endpoint;
  if (!ownsCluster || publicAccess || deployerInVpc) return undefined;
  return (
    `strata:infra.eks.endpoint: is private only while this stack also owns the cluster layer, which \`pulumi up\` deploys through that endpoint (got ${JSON.stringify({ publicAccess, deployerInVpc })}); ` +
    "set publicAccess: true with publicAccessCidrs listing the networks you deploy from, set deployerInVpc: true with privateAccessCidrs if pulumi runs inside the VPC, " +
    "or split the stack: strata:layers [infra] here and [cluster, platform, apps] in a stack run from inside the VPC"
  );
}

/**
 * The deployer's cluster-admin entry exists only where this stack talks to Kubernetes: a stack
 * that owns the infra layer alone calls AWS APIs only (split stacks, `strata:layers [infra]`), so
 * its deployer needs no access to the cluster. Returns the settings with the flag decided.
 */
export function resolveDeployerAdmin(infra: EksInfraConfig, ownsCluster: boolean, problems: string[]): EksInfraConfig {
  const { enableDeployerAdmin, deployerPrincipal } = infra.eks;
  if (enableDeployerAdmin === true && !ownsCluster) {
    problems.push(
      "strata:infra.eks.enableDeployerAdmin: would give cluster admin to the identity running `pulumi up`, but this stack owns only the infra layer and never calls Kubernetes (got true); " +
        "remove it (off by default here) and list the people and runners that need the cluster under adminPrincipals",
    );
  }
  const enabled = enableDeployerAdmin ?? ownsCluster;
  if (!enabled && deployerPrincipal !== undefined) {
    const why = ownsCluster ? "enableDeployerAdmin is false" : "this stack owns only the infra layer, so it creates no deployer entry";
    problems.push(`strata:infra.eks.deployerPrincipal: is set but ${why} (got ${JSON.stringify(deployerPrincipal)}); remove it, or list the principal under adminPrincipals if it needs the cluster`);
  }
  return { ...infra, eks: { ...infra.eks, enableDeployerAdmin: enabled } };
}

/** The zone letters a region's default zones take, in order. */
const DEFAULT_ZONE_LETTERS = ["a", "b", "c"];

/**
 * Settings that need `aws:region` or the environment: the zones (checked against the region, or
 * defaulted from it once, deterministically, instead of read from the account on every `up`, where
 * a changed answer would replace subnets) and the upgrade policy, which must be a decision
 * outside dev. Returns the settings with both decided.
 */
export function resolveEksPlacement(infra: EksInfraConfig, region: string | undefined, environment: string | undefined, problems: string[]): EksInfraConfig {
  const zones = infra.eks.availabilityZones;
  if (zones !== undefined && region !== undefined) {
    zones.forEach((zone, i) => {
      if (!zone.startsWith(region) || zone.length !== region.length + 1) {
        problems.push(`strata:infra.eks.availabilityZones[${i}]: is not a zone of aws:region ${region} (got ${JSON.stringify(zone)}); use ${region}a, ${region}b, …`);
      }
    });
    if (new Set(zones).size !== zones.length) problems.push(`strata:infra.eks.availabilityZones: lists a zone twice (got ${JSON.stringify(zones)}); list 2 or 3 different zones`);
  }
  let upgradePolicy = infra.eks.upgradePolicy;
  if (upgradePolicy === undefined && environment !== undefined && environment !== "dev") {
    problems.push(
      `strata:infra.eks.upgradePolicy: is required outside dev (got nothing); STANDARD lets EKS upgrade the control plane itself when the version's standard support ends (the next \`up\` then fails trying to downgrade it unless kubernetesVersion moved first), ` +
        "EXTENDED keeps the version up to 12 more months at the extended-support price: set STANDARD or EXTENDED",
    );
  }
  upgradePolicy ??= "STANDARD";
  const defaultZones = region === undefined ? [] : DEFAULT_ZONE_LETTERS.map((letter) => `${region}${letter}`);
  return { ...infra, eks: { ...infra.eks, availabilityZones: zones ?? defaultZones, upgradePolicy } };
}

const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];

/** EKS takes a service range of /12 to /24 inside the RFC 1918 blocks. */
export function eksServiceCidrAllowed(range: string): boolean {
  const prefix = Number(range.split("/")[1]);
  if (prefix < 12 || prefix > 24) return false;
  const { first, last } = cidrRange(range);
  return PRIVATE_RANGES.some((block) => {
    const outer = cidrRange(block);
    return first >= outer.first && last <= outer.last;
  });
}
