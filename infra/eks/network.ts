/**
 * The VPC the cluster runs in: a private and a public subnet per zone, an Internet gateway, NAT
 * (one, or one per zone), route tables and an S3 gateway endpoint; or the ids of an existing VPC
 * passed through.
 */
import * as aws from "../../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import { intToIp, ipToInt } from "../../config/common";
import type { NatMode } from "../../config/infra/eks";
import type { ChildOptions } from "./types";

export interface NetworkArgs {
  /** Cluster name, used in subnet discovery tags. */
  readonly clusterName: string;
  /** Zones to spread subnets over (2 or 3), pinned in config: subnet i sits in zone i. */
  readonly zones: readonly string[];
  /** Region the VPC is in, for the S3 endpoint's service name. */
  readonly region: string;
  /** CIDR of the VPC to create. */
  readonly vpcCidr: string;
  /** One NAT gateway or one per zone. */
  readonly natMode: NatMode;
  /** Use this VPC instead of creating one. @default - create a VPC */
  readonly existing?: { readonly vpcId: string; readonly privateSubnetIds: readonly string[]; readonly publicSubnetIds: readonly string[] };
}

export interface Network {
  /** VPC the cluster runs in. */
  readonly vpcId: pulumi.Output<string>;
  /** One private subnet per zone: nodes, control-plane interfaces, internal load balancers. */
  readonly privateSubnetIds: pulumi.Output<string[]>;
  /** One public subnet per zone: NAT gateways and Internet-facing load balancers. */
  readonly publicSubnetIds: pulumi.Output<string[]>;
  /** CIDR of the VPC when strata created it. */
  readonly vpcCidr?: string;
}

/**
 * Private subnets take the first eighths of the VPC (a /19 each in a /16); public subnets are
 * small blocks (/22 in a /16) from the seventh eighth, leaving the rest free for later use.
 */
export function subnetCidrs(vpcCidr: string, zones: number): { readonly private: string[]; readonly public: string[] } {
  const [address, bits] = vpcCidr.split("/");
  const prefix = Number(bits);
  const base = ipToInt(address ?? "0.0.0.0");
  const block = (newPrefix: number, index: number) => `${intToIp(base + index * 2 ** (32 - newPrefix))}/${newPrefix}`;
  const zoneIndexes = [...Array(zones).keys()];
  return {
    private: zoneIndexes.map((i) => block(prefix + 3, i)),
    public: zoneIndexes.map((i) => block(prefix + 6, 48 + i)),
  };
}

/** Tags load balancer controllers and Karpenter use to find subnets. */
export function subnetTags(clusterName: string, tier: "private" | "public"): Record<string, string> {
  return tier === "public"
    ? { "kubernetes.io/role/elb": "1" }
    : { "kubernetes.io/role/internal-elb": "1", "karpenter.sh/discovery": clusterName };
}

export function createNetwork(name: string, args: NetworkArgs, opts: ChildOptions): Network {
  if (args.existing) {
    return {
      vpcId: pulumi.output(args.existing.vpcId),
      privateSubnetIds: pulumi.output([...args.existing.privateSubnetIds]),
      publicSubnetIds: pulumi.output([...args.existing.publicSubnetIds]),
    };
  }
  const vpc = new aws.ec2.Vpc(`${name}-vpc`, {
    cidrBlock: args.vpcCidr,
    enableDnsHostnames: true,
    enableDnsSupport: true,
    tags: { Name: args.clusterName },
  }, opts);
  // Adopt the default security group with no rules, so nothing lands in an open group by accident.
  new aws.ec2.DefaultSecurityGroup(`${name}-default-sg`, { vpcId: vpc.id, ingress: [], egress: [], tags: { Name: `${args.clusterName}-default` } }, opts);
  const igw = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: { Name: args.clusterName } }, opts);

  const zoneCount = args.zones.length;
  const cidrs = subnetCidrs(args.vpcCidr, zoneCount);
  const zones = [...Array(zoneCount).keys()];
  const zoneOf = (i: number) => args.zones[i] ?? "";
  const publicSubnets = zones.map((i) => new aws.ec2.Subnet(`${name}-public-${i}`, {
    vpcId: vpc.id,
    cidrBlock: cidrs.public[i],
    availabilityZone: zoneOf(i),
    mapPublicIpOnLaunch: false,
    tags: { Name: `${args.clusterName}-public-${i}`, ...subnetTags(args.clusterName, "public") },
  }, opts));
  const privateSubnets = zones.map((i) => new aws.ec2.Subnet(`${name}-private-${i}`, {
    vpcId: vpc.id,
    cidrBlock: cidrs.private[i],
    availabilityZone: zoneOf(i),
    tags: { Name: `${args.clusterName}-private-${i}`, ...subnetTags(args.clusterName, "private") },
  }, opts));

  const publicRoutes = new aws.ec2.RouteTable(`${name}-public-rt`, {
    vpcId: vpc.id,
    routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }],
    tags: { Name: `${args.clusterName}-public` },
  }, opts);
  publicSubnets.forEach((subnet, i) => new aws.ec2.RouteTableAssociation(`${name}-public-${i}`, { subnetId: subnet.id, routeTableId: publicRoutes.id }, opts));

  const natCount = args.natMode === "perAz" ? zoneCount : 1;
  const nats = publicSubnets.slice(0, natCount).map((publicSubnet, i) => {
    const eip = new aws.ec2.Eip(`${name}-nat-${i}`, { domain: "vpc", tags: { Name: `${args.clusterName}-nat-${i}` } }, { ...opts, dependsOn: [igw] });
    return new aws.ec2.NatGateway(`${name}-nat-${i}`, {
      allocationId: eip.id,
      subnetId: publicSubnet.id,
      tags: { Name: `${args.clusterName}-nat-${i}` },
    }, { ...opts, dependsOn: [igw] });
  });
  const privateTables = privateSubnets.map((subnet, i) => {
    const nat = nats[i % natCount];
    const table = new aws.ec2.RouteTable(`${name}-private-rt-${i}`, {
      vpcId: vpc.id,
      routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: nat?.id }],
      tags: { Name: `${args.clusterName}-private-${i}` },
    }, opts);
    new aws.ec2.RouteTableAssociation(`${name}-private-${i}`, { subnetId: subnet.id, routeTableId: table.id }, opts);
    return table;
  });
  createS3GatewayEndpoint(name, { vpcId: vpc.id, region: args.region, clusterName: args.clusterName, routeTableIds: privateTables.map((t) => t.id) }, opts);

  return {
    vpcId: vpc.id,
    privateSubnetIds: pulumi.all(privateSubnets.map((s) => s.id)),
    publicSubnetIds: pulumi.all(publicSubnets.map((s) => s.id)),
    vpcCidr: args.vpcCidr,
  };
}

/** The service name of a region's S3 endpoint. */
export function s3ServiceName(region: string): string {
  return `com.amazonaws.${region}.s3`;
}

/**
 * S3 traffic from the private subnets (backups, logs, traces, image layers ECR serves from S3)
 * goes through a gateway endpoint instead of the NAT gateways, which bill per GB processed; a
 * gateway endpoint adds a route to S3's prefix list in each route table it is given and costs
 * nothing (VPC user guide, "Gateway endpoints for Amazon S3"). No endpoint policy: the default
 * allows every S3 call, so IAM and bucket policies alone decide, as before. For the connection
 * check S3 stays an external name: pods' NetworkPolicies see its public prefix either way.
 */
function createS3GatewayEndpoint(
  name: string,
  args: { readonly vpcId: pulumi.Input<string>; readonly region: string; readonly clusterName: string; readonly routeTableIds: pulumi.Input<string>[] },
  opts: ChildOptions,
): aws.ec2.VpcEndpoint {
  return new aws.ec2.VpcEndpoint(`${name}-s3`, {
    vpcId: args.vpcId,
    serviceName: s3ServiceName(args.region),
    vpcEndpointType: "Gateway",
    routeTableIds: args.routeTableIds,
    tags: { Name: `${args.clusterName}-s3` },
  }, opts);
}

