/**
 * What the pods of the backend add-on namespaces strata creates need on the network, from the
 * upstream manifests of the pinned versions. Every such namespace gets default-deny, DNS,
 * monitoring scrapes and API server egress; the entries here add the rest.
 */
import { VSPHERE_SYSTEM_NAMESPACES } from "../vsphere";
import type { PolicyPort } from "./values";

/** An add-on namespace and the traffic its pods need beyond the common allows. */
export interface AddonNamespace {
  readonly namespace: string;
  /** Ports the API server calls admission webhooks on. @default [] */
  readonly webhookPorts?: readonly number[];
  /** Ports reached beyond the pod and Service networks (node network included). @default [] */
  readonly externalPorts?: readonly PolicyPort[];
  /** Why, for the README and the policy's reader. */
  readonly reason: string;
}

/**
 * vSphere add-ons:
 * - tigera-operator: the operator Deployment runs with `hostNetwork: true` (Calico's own pods go
 *   to `calico-system`, which the operator manages), so policies never apply to it; the
 *   default-deny only catches anything else started there.
 * - metallb-system: the speaker DaemonSet is host-networked; the controller is not: it serves
 *   the validating webhook on 9443 (`webhook-server` container port) and metrics on 9120.
 * - vmware-system-csi: `vsphere-csi-node` is host-networked; `vsphere-csi-controller` is not and
 *   talks to vCenter on 443 with `dnsPolicy: Default`, so it resolves vCenter through the node's
 *   resolvers (53); vCenter's address is a name, not a range, so 443 and 53 are open beyond the
 *   pod and Service networks. Metrics 2112/2113 (controller, syncer).
 * - local-path-storage: the provisioner only talks to the API server; its helper pods mount host
 *   paths and need no network.
 */
export const VSPHERE_ADDON_NAMESPACES: readonly AddonNamespace[] = [
  { namespace: VSPHERE_SYSTEM_NAMESPACES.calico, reason: "tigera-operator runs host-networked; nothing else should run here" },
  { namespace: VSPHERE_SYSTEM_NAMESPACES.metallb, webhookPorts: [9443], reason: "MetalLB controller: API server, validating webhook on 9443" },
  {
    namespace: VSPHERE_SYSTEM_NAMESPACES.csi,
    externalPorts: [
      { protocol: "TCP", port: 443 },
      { protocol: "UDP", port: 53 },
      { protocol: "TCP", port: 53 },
    ],
    reason: "vSphere CSI controller: API server, vCenter on 443 resolved through the node's DNS servers",
  },
  { namespace: VSPHERE_SYSTEM_NAMESPACES.localVolumes, reason: "local-path-provisioner: API server only" },
];
