/**
 * The cluster layer's own requests that sit on the pools, from the chart defaults strata keeps
 * (`../shared/reference/charts/<chart>/values.yaml`), Envoy Gateway's proxy defaults and the
 * requests strata sets. Add-ons whose charts set no requests (cert-manager, kubelet-csr-approver)
 * count as nothing.
 */
import { KARPENTER_CONTROLLER_SIZE } from "../../cluster/karpenter/values";
import { ISTIOD_REPLICAS } from "../../cluster/mesh/values";
import { RECOMMENDER_SIZE } from "../../cluster/vpa/values";
import type { ClusterConfig } from "../../config/cluster";
import type { Demand } from "./types";

/** What the cluster layer deploys beyond its config: facts of the infra contract. */
export interface ClusterDemandFacts {
  /** The EKS backend built Karpenter's AWS side, so the cluster layer runs its controller. */
  readonly karpenter: boolean;
}

/** One contributor per cluster add-on that requests resources. */
export const CLUSTER_DEMAND: readonly ((cluster: ClusterConfig, facts: ClusterDemandFacts) => Demand)[] = [
  // gateway-helm values.yaml: deployment.envoyGateway.resources.requests 100m/256Mi; Envoy proxies
  // DefaultDeploymentCPUResourceRequests 100m / DefaultDeploymentMemoryResourceRequests 512Mi
  // (envoyproxy/gateway api/v1alpha1/shared_types.go). Both run `gateway.replicas` pods on the system pool.
  (cluster) =>
    !cluster.gateway.enabled
      ? { workloads: [], daemonSets: [] }
      : {
          workloads: [
            { owner: "envoy gateway controller", target: { role: "system" }, pods: cluster.gateway.replicas, perPod: { cpuMillis: 100, memoryMi: 256 } },
            {
              owner: "envoy proxies",
              target: { role: "system" },
              pods: cluster.gateway.replicas,
              perPod: { cpuMillis: 100, memoryMi: 512 },
              // cluster/gateway/values.ts: podDisruptionBudget minAvailable 1 from two replicas on.
              ...(cluster.gateway.replicas > 1 ? { placement: { onePerNode: false, minAvailable: 1, key: "strata:cluster.gateway.replicas" } } : {}),
            },
            // Global rate limiting: the controller's rate-limit service (one pod, the same deployment
            // defaults as the proxies) and strata's Redis (cluster/gateway/global-rate-limit.ts).
            ...(cluster.gateway.globalRateLimit.enabled
              ? [
                  { owner: "envoy rate-limit service", target: { role: "system" as const }, pods: 1, perPod: { cpuMillis: 100, memoryMi: 512 } },
                  { owner: "rate-limit redis", target: { role: "system" as const }, pods: 1, perPod: { cpuMillis: 100, memoryMi: 256 } },
                ]
              : []),
          ],
          daemonSets: [],
        },
  // metrics-server values.yaml: resources.requests 100m/200Mi; cluster/metrics-server runs 2 replicas.
  () => ({ workloads: [{ owner: "metrics-server", target: { role: "system" }, pods: 2, perPod: { cpuMillis: 100, memoryMi: 200 } }], daemonSets: [] }),
  // cluster/karpenter/values.ts sets the controller's requests (upstream's 1 CPU / 1Gi) on the system pool.
  (cluster, facts) =>
    !facts.karpenter
      ? { workloads: [], daemonSets: [] }
      : {
          workloads: [{ owner: "karpenter controller", target: { role: "system" }, pods: cluster.eks.karpenter.controllerReplicas, perPod: { ...KARPENTER_CONTROLLER_SIZE } }],
          daemonSets: [],
        },
  // Istio ambient (cluster/mesh, chart values.yaml at 1.30.3): istiod resources.requests 500m/2048Mi
  // on the system pool (cluster/mesh runs 2); ztunnel 200m/512Mi and istio-cni 100m/100Mi on every
  // node (both tolerate every NoSchedule/NoExecute taint).
  (cluster) =>
    !cluster.mesh.enabled
      ? { workloads: [], daemonSets: [] }
      : {
          workloads: [{ owner: "istiod", target: { role: "system" }, pods: ISTIOD_REPLICAS, perPod: { cpuMillis: 500, memoryMi: 2048 } }],
          daemonSets: [
            { owner: "ztunnel", perNode: { cpuMillis: 200, memoryMi: 512 }, runsOn: "all" },
            { owner: "istio-cni node agent", perNode: { cpuMillis: 100, memoryMi: 100 }, runsOn: "all" },
          ],
        },
  // cluster/vpa/values.ts sets the recommender's requests; only the recommender runs (no updater, no admission controller).
  (cluster) =>
    !cluster.vpa.enabled
      ? { workloads: [], daemonSets: [] }
      : {
          workloads: [{ owner: "vpa recommender", target: { role: "system" }, pods: cluster.vpa.recommenderReplicas, perPod: { cpuMillis: RECOMMENDER_SIZE.cpuMillis, memoryMi: RECOMMENDER_SIZE.memoryMi } }],
          daemonSets: [],
        },
];

/** The cluster layer's requests; `facts` @default - no Karpenter */
export function clusterDemand(cluster: ClusterConfig, facts: ClusterDemandFacts = { karpenter: false }): Demand {
  const parts = CLUSTER_DEMAND.map((contribute) => contribute(cluster, facts));
  return { workloads: parts.flatMap((p) => p.workloads), daemonSets: parts.flatMap((p) => p.daemonSets) };
}
