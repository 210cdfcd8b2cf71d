/**
 * Who may reach the private API endpoint besides the control plane and the nodes: one tcp/443
 * ingress rule on the EKS cluster security group per configured network or security group. EKS
 * creates that group with one inbound rule, all traffic from itself (EKS user guide,
 * networking/sec-group-reqs.adoc, "Default cluster security group"); for access to a private
 * endpoint from a connected network or a bastion the guide says the control plane security group
 * must allow ingress on port 443 from it (clusters/cluster-endpoint.adoc, "Accessing a private
 * only API server"). `config/infra/eks.ts` explains when the parser requires one.
 */
import * as aws from "../../lib/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { ChildOptions } from "./types";

/** The port the EKS API server listens on at its endpoint. */
export const API_SERVER_PORT = 443;

export interface EndpointAccessArgs {
  /** Security group EKS created for the cluster (`vpcConfig.clusterSecurityGroupId`). */
  readonly clusterSecurityGroupId: pulumi.Output<string>;
  /** IPv4 networks admitted to the private endpoint. */
  readonly cidrs: readonly string[];
  /** Security groups whose members are admitted to the private endpoint. */
  readonly securityGroupIds: readonly string[];
}

/** A resource-name suffix from a CIDR or group id, so reordering the list replaces nothing. */
export function ruleSuffix(source: string): string {
  return source.replace(/[./]/g, "-");
}

export function createEndpointAccess(name: string, args: EndpointAccessArgs, opts: ChildOptions): aws.vpc.SecurityGroupIngressRule[] {
  const rule = (source: string, from: { cidrIpv4: string } | { referencedSecurityGroupId: string }) =>
    new aws.vpc.SecurityGroupIngressRule(`${name}-api-from-${ruleSuffix(source)}`, {
      securityGroupId: args.clusterSecurityGroupId,
      description: `Kubernetes API (private endpoint) from ${source}`,
      ipProtocol: "tcp",
      fromPort: API_SERVER_PORT,
      toPort: API_SERVER_PORT,
      ...from,
    }, opts);
  return [
    ...args.cidrs.map((cidr) => rule(cidr, { cidrIpv4: cidr })),
    ...args.securityGroupIds.map((group) => rule(group, { referencedSecurityGroupId: group })),
  ];
}
