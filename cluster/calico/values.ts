/** Pure: tigera-operator chart values and the Calico `Installation` spec. */
import type { Placement } from "../../lib/contracts";

export type CalicoEncapsulation = "VXLAN" | "VXLANCrossSubnet" | "IPIP" | "IPIPCrossSubnet" | "None";

/**
 * The chart's own Installation is disabled (its network settings are not chart values): strata
 * declares the Installation itself. CRDs come from the separate CRD chart release, so the
 * operator does not manage them and never fights Helm over ownership.
 */
export function tigeraOperatorValues(controlPlane: Placement) {
  return {
    installation: { enabled: false },
    manageCRDs: false,
    apiServer: { enabled: true },
    goldmane: { enabled: false },
    whisker: { enabled: false },
    nodeSelector: { "kubernetes.io/os": "linux", ...controlPlane.nodeSelector },
  };
}

export interface InstallationOptions {
  /** Pod CIDR kubeadm was initialised with (`infra.network.podCidr`). */
  readonly podCidr: string;
  readonly encapsulation: CalicoEncapsulation;
  /** Where Typha and calico-kube-controllers run. */
  readonly controlPlane: Placement;
}

/** `operator.tigera.io/v1` Installation `spec`: one IPv4 pool over the pod CIDR. */
export function installationSpec(options: InstallationOptions) {
  const bgp = options.encapsulation.startsWith("IPIP") ? "Enabled" : "Disabled";
  return {
    variant: "Calico",
    cni: { type: "Calico", ipam: { type: "Calico" } },
    calicoNetwork: {
      bgp,
      ipPools: [
        { name: "default-ipv4-ippool", cidr: options.podCidr, encapsulation: options.encapsulation, natOutgoing: "Enabled", nodeSelector: "all()", blockSize: 26 },
      ],
    },
    controlPlaneReplicas: 2,
    controlPlaneNodeSelector: { ...options.controlPlane.nodeSelector },
    controlPlaneTolerations: options.controlPlane.tolerations.map((t) => ({ ...t })),
  };
}
