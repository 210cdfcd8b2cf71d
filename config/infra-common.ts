/** Settings every infra backend shares; each backend's variant spreads `infraCommon`. */
import { KUBERNETES_VERSION } from "../lib/catalog";
import { cidr, dnsLabel, dnsSubdomain, kubernetesVersion, port, strictObject } from "./common";

export const clusterNetwork = strictObject({
  /** Pod CIDR the CNI allocates from. */
  podCidr: cidr.default("10.244.0.0/16"),
  /** Service (ClusterIP) CIDR. */
  serviceCidr: cidr.default("10.96.0.0/12"),
  /** Cluster DNS domain. */
  dnsDomain: dnsSubdomain().default("cluster.local"),
  /** Port the API server listens on. */
  apiServerPort: port.default(6443),
});

/** Keys every backend variant carries. */
export const infraCommon = {
  /** Cluster name; prefixes cloud resources, so kept short. */
  clusterName: dnsLabel(40),
  kubernetesVersion: kubernetesVersion.default(KUBERNETES_VERSION),
  network: clusterNetwork.prefault({}),
};
