/** Settings every infra backend shares; each backend's variant spreads `infraCommon`. */
import { KUBERNETES_VERSION } from "../../lib/catalog";
import { cidr, dnsLabel, dnsSubdomain, kubernetesVersion, port, strictObject } from "../common";

export const clusterNetwork = strictObject({
  podCidr: cidr.default("10.244.0.0/16").describe("Pod CIDR the CNI allocates from."),
  serviceCidr: cidr.default("10.96.0.0/12").describe("Service (ClusterIP) CIDR."),
  dnsDomain: dnsSubdomain().default("cluster.local").describe("Cluster DNS domain."),
  apiServerPort: port.default(6443).describe("Port the API server listens on."),
});

/** Keys every backend variant carries. */
export const infraCommon = {
  clusterName: dnsLabel(40).describe("Cluster name; prefixes cloud resources, so kept short."),
  kubernetesVersion: kubernetesVersion.default(KUBERNETES_VERSION).describe("Kubernetes version, 1.<minor> or 1.<minor>.<patch>."),
  network: clusterNetwork.prefault({}).describe("Cluster network ranges and ports."),
};
