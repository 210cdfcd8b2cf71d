/**
 * Pure: values of the four Istio ambient charts and the mesh objects strata renders.
 *
 * Every chart takes `profile: ambient` (its `templates/zzz_profile.yaml` merges
 * `files/profile-ambient.yaml`: HBONE, `PILOT_ENABLE_AMBIENT`, `cni.ambient.enabled`; istio/istio
 * 1.30.3, manifests/helm-profiles/ambient.yaml) and `global.networkPolicy.enabled`, so istiod,
 * istio-cni and ztunnel run behind the charts' own NetworkPolicies (`templates/networkpolicy.yaml`:
 * istiod's webhook 15017 and xDS 15010-15012, ztunnel's 15008/15020/15021, CNI's 15014/8000).
 */
import { ISTIO_HUB, ISTIO_VERSION } from "../../lib/catalog";
import type { Placement } from "../../lib/contracts";
import type { AddonNamespace } from "../network-policies/addons";

/** Namespace Istio's control plane, CNI agent and ztunnel live in (the charts' `istioNamespace`). */
export const ISTIO_NAMESPACE = "istio-system";
export { AMBIENT_LABEL, HBONE_PORT, PROBE_SNAT_ADDRESS, peerAuthenticationManifest } from "../../lib/mesh";
/**
 * istio-system under strata's default-deny (cluster/network-policies): the API server calls
 * istiod's webhook on 15017; the charts' own NetworkPolicies open xDS, HBONE and all egress.
 */
export const MESH_ADDON_NAMESPACE: AddonNamespace = {
  namespace: ISTIO_NAMESPACE,
  webhookPorts: [15017],
  reason: "Istio ambient: istiod's webhook on 15017; istiod, ztunnel and istio-cni carry the charts' own policies (xDS, HBONE, metrics)",
};

/** ztunnel's Prometheus port (ztunnel values.yaml `podAnnotations`: `prometheus.io/port: "15020"`). */
export const ZTUNNEL_METRICS_PORT = 15020;

/** istiod replicas strata runs (the floor of its HPA), so one survives a node drain. */
export const ISTIOD_REPLICAS = 2;

const common = { profile: "ambient" } as const;

/**
 * Requests as the charts default them (istiod values.yaml "Resources for a small pilot install",
 * cni 100m/100Mi, ztunnel 200m/512Mi "enough for ~200k pod cluster"), which the capacity check
 * counts, plus the memory limits strata's policy requires on every pod: twice the request, so a
 * busy node's ztunnel or CNI agent is not killed under a traffic peak.
 */
export const MESH_RESOURCES = {
  istiod: { requests: { cpu: "500m", memory: "2048Mi" }, limits: { memory: "4096Mi" } },
  cni: { requests: { cpu: "100m", memory: "100Mi" }, limits: { memory: "200Mi" } },
  ztunnel: { requests: { cpu: "200m", memory: "512Mi" }, limits: { memory: "1024Mi" } },
} as const;

export function istioBaseValues() {
  return { ...common };
}

export interface IstiodOptions {
  readonly replicas: number;
  readonly placement: Placement;
}

/** istiod: at least `replicas` pods (the HPA's floor) on the system pool. */
export function istiodValues(options: IstiodOptions) {
  return {
    ...common,
    autoscaleMin: options.replicas,
    replicaCount: options.replicas,
    resources: MESH_RESOURCES.istiod,
    nodeSelector: { ...options.placement.nodeSelector },
    tolerations: options.placement.tolerations.map((t) => ({ ...t })),
    global: { hub: ISTIO_HUB, tag: ISTIO_VERSION, networkPolicy: { enabled: true } },
  };
}

/** istio-cni node agent (every node; chained after Calico or the VPC CNI at the default paths). */
export function istioCniValues() {
  return { ...common, resources: MESH_RESOURCES.cni, global: { hub: ISTIO_HUB, tag: ISTIO_VERSION, networkPolicy: { enabled: true } } };
}

/** ztunnel: one per node, the L4 proxy that carries every meshed pod's traffic. */
export function ztunnelValues() {
  return { ...common, hub: ISTIO_HUB, tag: ISTIO_VERSION, resources: MESH_RESOURCES.ztunnel, global: { networkPolicy: { enabled: true } } };
}
