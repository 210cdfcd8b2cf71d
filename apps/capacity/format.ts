/** The capacity report as the plan prints it, and the messages a failing or warning check gives. */
import type { CapacityCheckMode } from "../../config/apps/capacity";
import type { CapacityReport, Overflow } from "./check";
import type { Resources } from "./types";

/** `12.35 CPU / 48.0 Gi` (cores to two decimals, GiB to one). */
export function formatResources(r: Resources): string {
  return `${(r.cpuMillis / 1000).toFixed(2)} CPU / ${(r.memoryMi / 1024).toFixed(1)} Gi`;
}

const HEADER = ["pool", "max nodes", "allocatable", "platform", "apps", "headroom", "verdict"] as const;

/** A fixed-width table, one row per pool, then a line per note (unknown pools, assumptions). */
export function capacityTable(report: CapacityReport, mode: CapacityCheckMode, notes: readonly string[]): string {
  const body = report.rows.map((row) => [row.pool, row.nodes, formatResources(row.allocatable), formatResources(row.platform), formatResources(row.apps), formatResources(row.headroom), row.fits ? "fits" : "OVER"]);
  const rows = [[...HEADER], ...body];
  const widths = HEADER.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  const lines = rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join("  "));
  const extra = [
    ...report.unplaced.map((u) => `no pool matches ${u.target} (${u.owner}); its requests are not counted`),
    ...notes,
  ];
  return [`Capacity at maximum size and HPA maximum (strata:apps.capacityCheck: ${mode})`, ...lines, ...extra.map((n) => `  note: ${n}`)].join("\n");
}

/** `strata:apps.capacityCheck: pool workers (6 nodes at most) cannot hold … (got …); …`. */
export function overflowMessage(o: Overflow): string {
  const which = o.pools.length === 1 ? `pool ${o.pools[0] ?? ""}` : `pools ${o.pools.join(" + ")}`;
  const need = { cpuMillis: o.platform.cpuMillis + o.apps.cpuMillis, memoryMi: o.platform.memoryMi + o.apps.memoryMi };
  const got = `${formatResources(need)} requested of ${formatResources(o.allocatable)} allocatable; platform ${formatResources(o.platform)}, apps ${formatResources(o.apps)}`;
  const grow = o.sizeKeys.length > 0 ? `add nodes (${o.sizeKeys.join(", ")})` : "add nodes to the pool in the infra stack";
  return `strata:apps.capacityCheck: ${which} (${o.nodes} nodes at most) cannot hold the requests at HPA maximum (got ${got}); ${grow}, lower autoscaling.maxReplicas or requests, or set strata:apps.capacityCheck to warn`;
}
