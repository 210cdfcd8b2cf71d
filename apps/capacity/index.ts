/**
 * The capacity check as the program and the plan run it: the pools of the infra contract at
 * their maximum size against the platform's and the apps' requests at their most, and the
 * backups' estimated size against the in-cluster object store. `pulumi up` runs it before any
 * workload is declared; `npm run plan` prints its tables.
 */
import { type CapacityCheckMode, capacityCheckMode, poolBounds } from "../../config/apps/capacity";
import { isInstanceType, type InstanceType } from "../../lib/instance-types";
import type { Backend, NodePool } from "../../lib/contracts";
import type { StrataConfig } from "../../config/schema";
import { appDemand } from "./app-demand";
import { loadTestDemand } from "./load-test-demand";
import { backupStorageEstimate, backupStorageProblem, backupStorageTable } from "./backup-storage";
import { clusterDemand } from "./cluster-demand";
import { type CapacityReport, evaluate, poolsOf } from "./check";
import { capacityTable, overflowMessage } from "./format";
import { type PlacementProblem, placementProblems } from "./placement";
import { platformDemand, telemetryBucketPurposes } from "./platform-demand";
import { capacityPools } from "./pools";
import { NO_DEMAND } from "./types";

/** What the infra contract tells the check: plain values, the same from this stack or another. */
export interface InfraFacts {
  readonly backend: Backend;
  readonly nodePools: readonly NodePool[];
  /** Whether the EKS backend built Karpenter's node role and queue (the cluster layer then declares its NodePool). */
  readonly karpenter: boolean;
}

export interface CapacityResult {
  readonly mode: CapacityCheckMode;
  readonly report: CapacityReport;
  /** What the check could not know or assumed. */
  readonly notes: readonly string[];
  /** One message per set of pools that cannot hold its requests, and per workload a drain cannot evict. */
  readonly problems: readonly string[];
  /**
   * Workloads the pools can never place (required anti-affinity on fewer nodes than pods): refused
   * in `fail` and `warn` alike, since `up` would wait for Pending pods and roll back.
   */
  readonly refusals: readonly string[];
  readonly placement: readonly PlacementProblem[];
  readonly table: string;
}

/** Runs the check over a parsed config and the infra contract's facts. */
export function capacityCheck(config: StrataConfig, infra: InfraFacts): CapacityResult {
  const mode = capacityCheckMode(config.environment, config.apps.capacityCheck);
  const ownsInfra = config.infra !== undefined;
  const ownsCluster = config.layers.includes("cluster");
  const ownsPlatform = config.layers.includes("platform");
  const notes: string[] = [];
  const instanceTypes =
    config.infra?.backend === "eks" ? Object.fromEntries(Object.entries(config.infra.eks.nodeGroups).map(([name, g]) => [name, g.instanceTypes.filter(isInstanceType)] as [string, InstanceType[]])) : undefined;
  const sizeKeys = Object.fromEntries((poolBounds(config.infra) ?? []).map((b) => [b.name, b.sizeKey]));
  const karpenter = infra.backend === "eks" && infra.karpenter ? (ownsCluster ? config.cluster.eks.karpenter : {}) : undefined;
  const pools = capacityPools({ backend: infra.backend, nodePools: infra.nodePools, ...(instanceTypes === undefined ? {} : { instanceTypes }), ...(karpenter === undefined ? {} : { karpenter }), sizeKeys });

  if (infra.backend === "eks") {
    notes.push("EKS node groups count at their desiredSize, which every `up` applies (no Cluster Autoscaler); Karpenter adds the nodes after the + (strata:cluster.eks.karpenter.maxNodes)");
    if (!ownsInfra) notes.push("instance types are in the infra stack: kube-reserved memory assumes 110 pods per node");
    if (karpenter !== undefined && !ownsCluster) notes.push("Karpenter's limits are in the cluster stack: its default limits (worker pools' maxCount) are assumed");
  }
  if (infra.backend === "existing") notes.push("kubelet reservations of an existing cluster are not known: only the default eviction threshold (100Mi) is subtracted");
  if (infra.nodePools.length === 0) {
    notes.push(
      infra.backend === "existing"
        ? "the existing cluster declares no node pools (strata:infra.existing.nodePools): neither requests nor placement (anti-affinity, disruption budgets) can be judged"
        : "the infra contract lists no node pools: nothing can be checked",
    );
  }
  if (!ownsPlatform) notes.push("the platform layer is in another stack: its requests are not known and not counted");
  if (!ownsCluster) notes.push("the cluster layer is in another stack: its add-ons' requests (gateway, metrics-server, Karpenter) are not counted");
  const storeBuckets = telemetryBucketPurposes(config.platform, infra.backend, config.infra?.backend === "eks" ? config.infra.eks.buckets : undefined);
  if (ownsPlatform && storeBuckets === undefined && config.platform.observability !== undefined) {
    const assumed = [...(config.platform.observability.logs.enabled ? ["Loki's"] : []), ...(config.platform.observability.traces.enabled ? ["Tempo's"] : [])];
    if (assumed.length > 0) notes.push(`the S3 buckets are in the infra stack: ${assumed.join(" and ")} bucket${assumed.length > 1 ? "s are" : " is"} assumed, with ${assumed.length > 1 ? "their" : "its"} prod replicas`);
  }
  const platformOwn = ownsPlatform ? platformDemand(config.platform, { environment: config.environment, backend: infra.backend, ...(storeBuckets === undefined ? {} : { storeBuckets }) }) : NO_DEMAND;
  const clusterOwn = ownsCluster ? clusterDemand(config.cluster, { karpenter: karpenter !== undefined }) : NO_DEMAND;
  const platform = { workloads: [...clusterOwn.workloads, ...platformOwn.workloads], daemonSets: [...clusterOwn.daemonSets, ...platformOwn.daemonSets] };
  const apps = appDemand(config.apps.services, config.cluster.mesh.enabled);
  const loadTests = loadTestDemand(config.apps);
  const appsAndTests = { workloads: [...apps.workloads, ...loadTests.workloads], daemonSets: [...apps.daemonSets, ...loadTests.daemonSets] };
  const report = evaluate(pools, platform, appsAndTests);
  const placement = placementProblems([...platform.workloads, ...appsAndTests.workloads], (w) => poolsOf(w.target, pools));
  const refusals = placement.filter((p) => p.kind === "unschedulable").map((p) => p.message);
  const problems = [...report.overflows.map(overflowMessage), ...placement.filter((p) => p.kind === "undrainable").map((p) => p.message)];
  const checked = [...platform.workloads, ...appsAndTests.workloads].filter((w) => w.placement !== undefined).length;
  const table = `${capacityTable(report, mode, notes)}\nPlacement: ${checked} workload(s) with required anti-affinity or a disruption budget checked against their pools' nodes (most and least): ${placement.length === 0 ? "all placeable and drainable" : `${placement.length} problem(s)`}`;
  if (!ownsPlatform) return { mode, report, notes, problems, refusals, placement, table };
  // Backups that outgrow the in-cluster store fail prod; elsewhere the table shows the estimate.
  const backups = backupStorageEstimate(config.platform, infra.backend);
  const backupProblem = config.environment === "prod" ? backupStorageProblem(backups) : undefined;
  return { mode, report, notes, problems: backupProblem === undefined ? problems : [...problems, backupProblem], refusals, placement, table: `${table}\n\n${backupStorageTable(backups)}` };
}
