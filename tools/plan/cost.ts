/**
 * The estimated monthly cost `npm run plan` prints for an EKS stack: what its config declares,
 * priced from the pinned table in `aws-prices.ts`, at the nodes' desired size and at the most the
 * cluster may grow to (node groups at maxSize, Karpenter at its node limit). An estimate: list
 * prices, 730 hours, no data transfer, NAT/LB processing, requests or discounts.
 */
import { backupStorageEstimate } from "../../apps/capacity/backup-storage";
import { workerHeadroom } from "../../cluster/karpenter/values";
import { GP3_BASELINE } from "../../cluster/storage/values";
import { IO2_LIMITS } from "../../config/cluster/backends";
import type { StrataConfig } from "../../config/schema";
import { nodePoolOf } from "../../infra/eks/node-pool";
import { telemetryBucketPurposes } from "../../config/platform/telemetry-buckets";
import { resolveObservability } from "../../platform/observability/settings";
import { AWS_PRICES, HOURS_PER_MONTH, type RegionPrices } from "./aws-prices";

/** Control-plane log volume CloudWatch receives a day (audit logs dominate; a small cluster writes well under this). */
export const CONTROL_PLANE_LOG_GI_PER_DAY = 0.5;
/** Root volume of each Karpenter node (`cluster/karpenter/values.ts`, EC2NodeClass blockDeviceMappings). */
export const KARPENTER_ROOT_GI = 100;

export interface CostLine {
  readonly item: string;
  /** What was counted, e.g. `5 × t3.large`. */
  readonly detail: string;
  readonly desiredUsd: number;
  readonly maxUsd: number;
}

export interface CostEstimate {
  readonly label: string;
  readonly region: string;
  readonly pricesAsOf: string;
  readonly lines: readonly CostLine[];
  readonly totalDesiredUsd: number;
  readonly totalMaxUsd: number;
  /** What could not be priced or was assumed. */
  readonly notes: readonly string[];
}

/** A data volume a service's pods claim: purpose decides the class (gp3, or io2 for `database-io2`). */
interface Volume {
  readonly owner: string;
  readonly count: number;
  readonly sizeGi: number;
  readonly purpose: string;
}

function platformVolumes(config: StrataConfig): Volume[] {
  const p = config.platform;
  if (p === undefined) return [];
  const volumes: Volume[] = [];
  if (p.postgres.enabled) volumes.push({ owner: "postgres", count: p.postgres.instances, ...p.postgres.storage });
  if (p.mysql.enabled) volumes.push({ owner: "mysql", count: p.mysql.members, ...p.mysql.storage });
  if (p.mongodb.enabled) volumes.push({ owner: "mongodb", count: p.mongodb.members, ...p.mongodb.storage });
  if (p.redis.enabled) volumes.push({ owner: "redis", count: p.redis.replicas, ...p.redis.storage });
  if (p.rabbitmq.enabled) volumes.push({ owner: "rabbitmq", count: p.rabbitmq.replicas, ...p.rabbitmq.storage });
  if (p.kafka.enabled) for (const [name, pool] of Object.entries(p.kafka.nodePools)) volumes.push({ owner: `kafka ${name}`, count: pool.replicas, ...pool.storage });
  if (p.objectStore.enabled) volumes.push({ owner: "object store", count: p.objectStore.volumeServers, ...p.objectStore.storage });
  const o = p.observability;
  if (o !== undefined) {
    // Replica counts and sizes as the platform resolves them (environment defaults where config is silent).
    // The estimate is of EKS: its telemetry buckets are the infra layer's, assumed present when that is another stack (as the capacity check assumes).
    const buckets = telemetryBucketPurposes(p, "eks", config.infra?.backend === "eks" ? config.infra.eks.buckets : undefined);
    const hasBucket = (purpose: string) => buckets === undefined || buckets.includes(purpose);
    const resolved = resolveObservability(o, config.environment, "eks", { hasLogsBucket: hasBucket(o.logs.bucket), hasTracesBucket: hasBucket(o.traces.bucket), hasPostgres: p.postgres.enabled });
    volumes.push({ owner: "prometheus", count: resolved.metrics.replicas, sizeGi: resolved.metrics.storageGi, purpose: "default" });
    // Grafana on the shared PostgreSQL keeps no volume (its database is in the postgres volumes above).
    if (!resolved.grafana.sharedDatabase) volumes.push({ owner: "grafana", count: 1, sizeGi: resolved.grafana.storageGi, purpose: "default" });
    if (o.logs.enabled) volumes.push({ owner: "loki", count: resolved.logs.replicas, sizeGi: resolved.logs.storageGi, purpose: "default" });
    if (o.traces.enabled) volumes.push({ owner: "tempo", count: resolved.traces.replicas, sizeGi: resolved.traces.storageGi, purpose: "default" });
  }
  return volumes;
}

/** io2 IOPS of one volume: size × ratio within io2's limits, priced by tier. */
function io2IopsCost(iops: number, prices: RegionPrices): number {
  const [t1, t2, t3] = prices.io2IopsMonth;
  return Math.min(iops, 32_000) * t1.usd + Math.max(0, Math.min(iops, 64_000) - 32_000) * t2.usd + Math.max(0, iops - 64_000) * t3.usd;
}

function io2Iops(sizeGi: number, iopsPerGi: number): number {
  return Math.max(IO2_LIMITS.minIops, Math.min(sizeGi * iopsPerGi, IO2_LIMITS.maxIops));
}

const round = (usd: number) => Math.round(usd * 100) / 100;

/** The estimate of a stack's own resources; undefined for non-EKS stacks or a region without prices. */
export function estimateMonthlyCost(config: StrataConfig, region: string | undefined): CostEstimate | undefined {
  const infra = config.infra;
  const ownsCluster = config.layers.includes("cluster");
  if (infra !== undefined && infra.backend !== "eks") return undefined;
  if (infra === undefined && !(ownsCluster && config.cluster.eks !== undefined && region !== undefined)) return undefined;
  const regionName = region ?? "";
  const prices = AWS_PRICES[regionName];
  if (prices === undefined) return undefined;
  const lines: CostLine[] = [];
  const notes: string[] = [];
  const line = (item: string, detail: string, desired: number, max = desired) => lines.push({ item, detail, desiredUsd: round(desired), maxUsd: round(max) });
  const hourly = (usdPerHour: number, n = 1) => usdPerHour * HOURS_PER_MONTH * n;
  const gp3 = (gi: number) => gi * prices.gp3GbMonth.usd;

  if (infra !== undefined) {
    const eks = infra.eks;
    const extended = eks.upgradePolicy === "EXTENDED";
    line("EKS control plane", "1 cluster, standard support", hourly(prices.eksClusterHour.usd));
    if (extended) line("EKS extended support", "charged only once the version leaves standard support", 0, hourly(prices.eksExtendedSupportClusterHour.usd - prices.eksClusterHour.usd));
    const zones = eks.availabilityZones?.length ?? 3; // resolved to <region>a/b/c when unset (config/infra/eks.ts)
    const nats = eks.existingVpc !== undefined ? 0 : (eks.natMode ?? (config.environment === "prod" ? "perAz" : "single")) === "perAz" ? zones : 1;
    if (nats > 0) line("NAT gateways", `${nats} × hours (data processed not counted)`, hourly(prices.natGatewayHour.usd, nats));
    for (const [name, group] of Object.entries(eks.nodeGroups)) {
      const type = group.instanceTypes[0] ?? "";
      const price = prices.instanceHour[type];
      const desired = nodePoolOf(name, group).count;
      if (price === undefined) {
        notes.push(`node group ${name}: no pinned price for ${type} in ${regionName}; not counted (add it to tools/plan/aws-prices.ts)`);
      } else {
        line(`node group ${name}`, `${desired}–${group.maxSize} × ${type}${group.capacityType === "SPOT" ? " (on-demand price; spot costs less)" : ""}`, hourly(price.usd, desired), hourly(price.usd, group.maxSize));
      }
      line(`node group ${name} root volumes`, `${group.diskGi} GiB gp3 each`, gp3(group.diskGi) * desired, gp3(group.diskGi) * group.maxSize);
    }
    const retention = eks.auditLogRetentionDays;
    const logGi = CONTROL_PLANE_LOG_GI_PER_DAY * 30;
    line("control-plane logs (CloudWatch)", `${CONTROL_PLANE_LOG_GI_PER_DAY} GiB/day assumed, kept ${retention} days`, logGi * prices.logsIngestGb.usd + CONTROL_PLANE_LOG_GI_PER_DAY * retention * prices.logsStoreGbMonth.usd);
    notes.push(`control-plane logs assume ${CONTROL_PLANE_LOG_GI_PER_DAY} GiB a day; audit logs of a busy cluster can be several times that`);
  }

  if (ownsCluster) {
    if (config.cluster.gateway !== undefined) line("gateway load balancer", "1 NLB (LCUs not counted)", hourly(prices.nlbHour.usd));
    const karpenter = config.cluster.eks.karpenter;
    const pools = infra?.backend === "eks" ? Object.entries(infra.eks.nodeGroups).map(([name, g]) => nodePoolOf(name, g)) : [];
    const limits = workerHeadroom(pools, karpenter);
    const groups = infra?.backend === "eks" ? Object.values(infra.eks.nodeGroups) : [];
    const reference = (groups.find((g) => g.role === "worker") ?? groups[0])?.instanceTypes[0];
    const price = reference === undefined ? undefined : prices.instanceHour[reference];
    if (limits.nodes > 0 && (infra === undefined || infra.eks.enableKarpenter)) {
      if (price === undefined || reference === undefined) {
        notes.push(`Karpenter's up to ${limits.nodes} nodes are not counted: no node group in this stack to size them by`);
      } else {
        line("Karpenter nodes", `0–${limits.nodes} × ${reference}-sized (its NodePool picks the types)`, 0, hourly(price.usd, limits.nodes) + gp3(KARPENTER_ROOT_GI) * limits.nodes);
        notes.push(`Karpenter nodes are priced like ${reference} (the first worker group's type, else the first group's) at strata:cluster.eks.karpenter.maxNodes`);
      }
    }
  }

  const io2 = ownsCluster ? config.cluster.eks.io2 : undefined;
  for (const v of platformVolumes(config)) {
    const gi = v.sizeGi * v.count;
    if (v.purpose === "database-io2" && io2 !== undefined) {
      const iops = io2Iops(v.sizeGi, io2.iopsPerGi);
      line(`${v.owner} volumes`, `${v.count} × ${v.sizeGi} GiB io2, ${iops} IOPS each`, gi * prices.io2GbMonth.usd + io2IopsCost(iops, prices) * v.count);
    } else {
      line(`${v.owner} volumes`, `${v.count} × ${v.sizeGi} GiB gp3 (${GP3_BASELINE.iops} IOPS, ${GP3_BASELINE.throughputMiBps} MiB/s included)`, gp3(gi));
    }
  }
  if (config.platform !== undefined && config.platform.backups.enabled) {
    const backups = backupStorageEstimate(config.platform, "eks");
    if (backups.target.usableGi === undefined) line("backups (S3 Standard)", `${backups.totalGi} GiB estimated over the retention`, backups.totalGi * prices.s3StandardGbMonth.usd);
  }
  notes.push("logs and traces in S3 are not counted (their volume depends on the workloads); nor are data transfer, NAT/LB processing, S3 requests, KMS requests or discounts");

  const totalDesiredUsd = round(lines.reduce((sum, l) => sum + l.desiredUsd, 0));
  const totalMaxUsd = round(lines.reduce((sum, l) => sum + l.maxUsd, 0));
  return { label: "estimate", region: regionName, pricesAsOf: prices.eksClusterHour.asOf, lines, totalDesiredUsd, totalMaxUsd, notes };
}

const usd = (n: number) => `$${n.toFixed(2)}`;

/** The estimate as the plan prints it. */
export function formatCostEstimate(estimate: CostEstimate): string {
  const rows = [["item", "counted", "desired", "max"], ...estimate.lines.map((l) => [l.item, l.detail, usd(l.desiredUsd), usd(l.maxUsd)])];
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  const body = rows.map((r) => r.map((cell, i) => (i >= 2 ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0))).join("  "));
  return [
    `Estimated monthly cost (ESTIMATE: ${estimate.region} on-demand list prices as of ${estimate.pricesAsOf}, ${HOURS_PER_MONTH} h/month, tools/plan/aws-prices.ts)`,
    ...body,
    `  total: ${usd(estimate.totalDesiredUsd)} at desired size, ${usd(estimate.totalMaxUsd)} at maximum size`,
    ...estimate.notes.map((n) => `  note: ${n}`),
  ].join("\n");
}
