/**
 * The capacity check as the program and the plan run it: the pools of the infra contract at
 * their maximum size against the platform's and the apps' requests at their most, and the
 * backups' estimated size against the in-cluster object store. `pulumi up` runs it before any
 * workload is declared; `npm run plan` prints its tables.
 */
import * as pulumi from "@pulumi/pulumi";
import { type CapacityCheckMode, capacityCheckMode, poolBounds } from "../../config/apps/capacity";
import { ConfigError } from "../../config/errors";
import { isInstanceType, type InstanceType } from "../../lib/instance-types";
import type { Backend, NodePool } from "../../lib/contracts";
import type { StrataConfig } from "../../config/schema";
import { appDemand } from "./app-demand";
import { backupStorageEstimate, backupStorageProblem, backupStorageTable } from "./backup-storage";
import { clusterDemand } from "./cluster-demand";
import { type CapacityReport, evaluate } from "./check";
import { capacityTable, overflowMessage } from "./format";
import { platformDemand } from "./platform-demand";
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
  /** One message per set of pools that cannot hold its requests. */
  readonly problems: readonly string[];
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
  if (infra.nodePools.length === 0) notes.push("the infra contract lists no node pools: nothing can be checked");
  if (!ownsPlatform) notes.push("the platform layer is in another stack: its requests are not known and not counted");
  if (!ownsCluster) notes.push("the cluster layer is in another stack: its add-ons' requests (gateway, metrics-server, Karpenter) are not counted");
  const platformOwn = ownsPlatform ? platformDemand(config.platform, { environment: config.environment, backend: infra.backend }) : NO_DEMAND;
  const clusterOwn = ownsCluster ? clusterDemand(config.cluster, { karpenter: karpenter !== undefined }) : NO_DEMAND;
  const platform = { workloads: [...clusterOwn.workloads, ...platformOwn.workloads], daemonSets: [...clusterOwn.daemonSets, ...platformOwn.daemonSets] };
  const report = evaluate(pools, platform, appDemand(config.apps.services, config.cluster.mesh.enabled));
  const problems = report.overflows.map(overflowMessage);
  const table = capacityTable(report, mode, notes);
  if (!ownsPlatform) return { mode, report, notes, problems, table };
  // Backups that outgrow the in-cluster store fail prod; elsewhere the table shows the estimate.
  const backups = backupStorageEstimate(config.platform, infra.backend);
  const backupProblem = config.environment === "prod" ? backupStorageProblem(backups) : undefined;
  return { mode, report, notes, problems: backupProblem === undefined ? problems : [...problems, backupProblem], table: `${table}\n\n${backupStorageTable(backups)}` };
}

/** In the program: `fail` throws the overflow messages as a ConfigError, `warn` logs them, `off` does nothing. */
export function enforceCapacity(result: CapacityResult): void {
  if (result.mode === "off" || result.problems.length === 0) return;
  if (result.mode === "fail") throw new ConfigError(result.problems);
  for (const problem of result.problems) void pulumi.log.warn(problem);
}
