/**
 * The cluster layer's own requests that sit on the pools, from the chart defaults strata keeps
 * (`../shared/reference/charts/<chart>/values.yaml`) and Envoy Gateway's proxy defaults. Add-ons
 * whose charts set no requests (cert-manager, Karpenter, kubelet-csr-approver) count as nothing.
 */
import type { ClusterConfig } from "../../config/cluster";
import type { Demand } from "./types";

/** One contributor per cluster add-on that requests resources. */
export const CLUSTER_DEMAND: readonly ((cluster: ClusterConfig) => Demand)[] = [
  // gateway-helm values.yaml: deployment.envoyGateway.resources.requests 100m/256Mi; Envoy proxies
  // DefaultDeploymentCPUResourceRequests 100m / DefaultDeploymentMemoryResourceRequests 512Mi
  // (envoyproxy/gateway api/v1alpha1/shared_types.go). Both run `gateway.replicas` pods on the system pool.
  (cluster) =>
    !cluster.gateway.enabled
      ? { workloads: [], daemonSets: [] }
      : {
          workloads: [
            { owner: "envoy gateway controller", target: { role: "system" }, pods: cluster.gateway.replicas, perPod: { cpuMillis: 100, memoryMi: 256 } },
            { owner: "envoy proxies", target: { role: "system" }, pods: cluster.gateway.replicas, perPod: { cpuMillis: 100, memoryMi: 512 } },
          ],
          daemonSets: [],
        },
  // metrics-server values.yaml: resources.requests 100m/200Mi; cluster/metrics-server runs 2 replicas.
  () => ({ workloads: [{ owner: "metrics-server", target: { role: "system" }, pods: 2, perPod: { cpuMillis: 100, memoryMi: 200 } }], daemonSets: [] }),
];

export function clusterDemand(cluster: ClusterConfig): Demand {
  const parts = CLUSTER_DEMAND.map((contribute) => contribute(cluster));
  return { workloads: parts.flatMap((p) => p.workloads), daemonSets: parts.flatMap((p) => p.daemonSets) };
}
