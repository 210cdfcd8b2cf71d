/**
 * Pure: the address ranges strata's NetworkPolicies are written against, per backend. What is
 * "outside the cluster", where the API server answers, where its webhook calls come from.
 */
import type { Backend, ClusterNetwork } from "../../lib/contracts";
import { firstHost } from "../../lib/cidr";

/** A range and the TCP ports allowed to it. */
export interface PortRange {
  readonly cidr: string;
  readonly ports: readonly number[];
}

export interface ClusterAddresses {
  /** Ranges that are never "outside the cluster": pods, Services, nodes (the VPC on EKS), link-local. */
  readonly internal: readonly string[];
  /** Where the API server answers: its Service address (443) and the control-plane addresses. */
  readonly apiServer: readonly PortRange[];
  /** Where the API server's calls to admission webhooks come from. */
  readonly controlPlane: readonly string[];
  /** The node network (kubelets, node exporters, load-balancer nodes); absent when unknown. */
  readonly nodes?: string;
  /** Pod and Service ranges (excluded where a peer may be on the node network or beyond, e.g. vCenter). */
  readonly podsAndServices: readonly string[];
}

/** Link-local: instance metadata (169.254.169.254) and agents such as EKS Pod Identity (169.254.170.23). */
export const LINK_LOCAL = "169.254.0.0/16";
/** Where the EKS Pod Identity agent answers (host network, every node). */
export const POD_IDENTITY_AGENT: PortRange = { cidr: "169.254.170.23/32", ports: [80] };
/** API server ports when the control-plane addresses are unknown (Service 443, kubeadm 6443). */
export const API_SERVER_PORTS = [443, 6443] as const;
const ANYWHERE = "0.0.0.0/0";

/**
 * The addresses for one cluster. vSphere: the API server listens on the control-plane nodes'
 * `apiServerPort` (and the VIP on the same network), its webhook calls come from those nodes.
 * EKS: the control-plane ENIs live in the VPC and serve 443; pods and nodes share the VPC CIDR.
 * Elsewhere, without a node range, the API server is allowed anywhere on its ports.
 */
export function clusterAddresses(backend: Backend, network: ClusterNetwork): ClusterAddresses {
  const { podCidr, serviceCidr, nodeCidr } = network;
  const service: PortRange[] = serviceCidr === undefined ? [] : [{ cidr: `${firstHost(serviceCidr)}/32`, ports: [443] }];
  const podsAndServices = [podCidr, serviceCidr].filter((c): c is string => c !== undefined);
  const internal = [...podsAndServices, ...(nodeCidr === undefined ? [] : [nodeCidr]), LINK_LOCAL];
  if (nodeCidr === undefined) {
    return { internal, apiServer: [...service, { cidr: ANYWHERE, ports: [...API_SERVER_PORTS] }], controlPlane: [ANYWHERE], podsAndServices };
  }
  const controlPlanePort = backend === "eks" ? 443 : (network.apiServerPort ?? 6443);
  return { internal, apiServer: [...service, { cidr: nodeCidr, ports: [controlPlanePort] }], controlPlane: [nodeCidr], nodes: nodeCidr, podsAndServices };
}
