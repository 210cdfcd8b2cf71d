/**
 * Facts of the Istio ambient mesh that the cluster layer (which installs it), the apps layer
 * (whose NetworkPolicies and AuthorizationPolicies must let meshed traffic through) and the
 * connection check share. Istio 1.30.3.
 */

/** The label a namespace or pod carries to join the ambient mesh (istio-cni values.yaml `ambient.enablementSelectors`). */
export const DATAPLANE_MODE_LABEL = "istio.io/dataplane-mode";
export const AMBIENT_LABEL = { [DATAPLANE_MODE_LABEL]: "ambient" } as const;
/** HBONE: between two meshed pods ztunnel tunnels each TCP connection to this port of the destination pod. */
export const HBONE_PORT = 15008;
/**
 * Source address of kubelet probes to a meshed pod: istio-cni SNATs them to this link-local
 * address so ztunnel lets them through (istio/istio 1.30.3, cni/pkg/iptables/iptables.go).
 */
export const PROBE_SNAT_ADDRESS = "169.254.7.127";

/** Namespace-wide `PeerAuthentication`: the mTLS mode every meshed pod of `namespace` accepts. */
export function peerAuthenticationManifest(namespace: string, mode: "STRICT" | "PERMISSIVE") {
  return {
    apiVersion: "security.istio.io/v1",
    kind: "PeerAuthentication",
    metadata: { name: "default", namespace },
    spec: { mtls: { mode } },
  };
}
