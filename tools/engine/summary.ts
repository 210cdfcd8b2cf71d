/** The human-readable plan: resources per layer and type, deployment order, outputs. */
import { stringify } from "yaml";
import { layerOf, type LayerName } from "./layers";
import { deploymentOrder } from "./order";
import type { PlanDocument } from "./plan-document";

const LAYER_ORDER: readonly LayerName[] = ["upstream", "infra", "cluster", "platform", "apps"];

export function planSummary(plan: PlanDocument): string {
  const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
  const lines: string[] = [`strata plan: stack ${plan.stack} (project ${plan.project})`, ""];
  for (const layer of LAYER_ORDER) {
    const inLayer = plan.resources.filter((r) => layerOf(r, byUrn) === layer);
    if (inLayer.length === 0) continue;
    lines.push(`${layer}: ${inLayer.length} resource${inLayer.length === 1 ? "" : "s"}`);
    const counts = new Map<string, number>();
    for (const r of inLayer) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
    for (const [type, n] of [...counts].sort(([a], [b]) => a.localeCompare(b))) lines.push(`  ${type.padEnd(64)} ${String(n).padStart(4)}`);
  }
  const custom = plan.resources.filter((r) => r.custom).length;
  const protectedCount = plan.resources.filter((r) => r.protect).length;
  lines.push("", `total: ${plan.resources.length} resources (${custom} provider-managed, ${plan.resources.length - custom} components, ${protectedCount} protected)`);

  const order = deploymentOrder(plan.resources);
  lines.push("", `deployment order: ${order.levels.length} dependency levels; critical path of ${order.criticalPath.length} steps:`);
  order.criticalPath.forEach((urn, i) => {
    const r = byUrn.get(urn);
    lines.push(`  ${String(i + 1).padStart(3)}. ${r?.type ?? "?"} ${r?.name ?? urn}`);
  });
  lines.push("", "outputs:", ...stringify(plan.outputs, { sortMapEntries: true, lineWidth: 0 }).trimEnd().split("\n").map((l) => `  ${l}`));
  return lines.join("\n");
}
