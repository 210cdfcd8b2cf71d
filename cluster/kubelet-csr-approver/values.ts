/**
 * Pure: kubelet-csr-approver values. It approves a kubelet's serving-certificate request only when
 * the node name matches the cluster's naming and every IP in the request lies in the node network,
 * and denies the rest. Node names need not resolve in DNS (static addresses, no DNS records).
 */
import type { Placement } from "../../lib/contracts";

export interface CsrApproverOptions {
  /** Cluster name: node names are `<cluster>-<pool>-<n>`. */
  readonly clusterName: string;
  /** Node network CIDRs the requests' IP SANs must lie in. */
  readonly nodeCidrs: readonly string[];
  /** Where the controller runs. */
  readonly placement: Placement;
}

const escapeRegex = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export function csrApproverValues(options: CsrApproverOptions) {
  return {
    providerRegex: `^${escapeRegex(options.clusterName)}-[a-z0-9-]+$`,
    providerIpPrefixes: [...options.nodeCidrs],
    bypassDnsResolution: true,
    replicas: 2,
    priorityClassName: "platform-critical",
    nodeSelector: { ...options.placement.nodeSelector },
    tolerations: [{ key: "node-role.kubernetes.io/control-plane", operator: "Exists", effect: "NoSchedule" }, ...options.placement.tolerations.map((t) => ({ ...t }))],
  };
}
