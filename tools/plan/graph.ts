/**
 * The plan's dependency graph in Graphviz DOT: provider-managed resources as nodes grouped by
 * layer, edges from each resource to what it waits for (as `deploymentOrder` computes it), the
 * critical path drawn bold and red. `.svg` files are rendered with Graphviz's `dot`.
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { layerOf, type LayerName } from "../engine/layers";
import { deploymentOrder, waitsFor } from "../engine/order";
import type { PlanDocument } from "../engine/plan-document";

const LAYERS: readonly LayerName[] = ["upstream", "infra", "cluster", "platform", "apps"];
const CRITICAL = 'color="#c0392b", penwidth=2.5';

/** A DOT string; `\n` inside labels is DOT's line break, so backslashes are kept as written. */
function quote(text: string): string {
  return `"${text.replace(/"/g, '\\"')}"`;
}

/** The short type (`eks/cluster:Cluster` → `Cluster`) and the resource name, as the node label. */
function label(type: string, name: string): string {
  return `${type.split(":").pop() ?? type}\\n${name}`;
}

export function toDot(plan: PlanDocument): string {
  const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
  const custom = plan.resources.filter((r) => r.custom);
  const ids = new Map(custom.map((r, i) => [r.urn, `n${i}`]));
  const order = deploymentOrder(plan.resources);
  const critical = new Set(order.criticalPath);
  const criticalEdges = new Set(order.criticalPath.slice(1).map((urn, i) => `${order.criticalPath[i] ?? ""}->${urn}`));
  const lines = [
    `digraph ${quote(`strata ${plan.stack}`)} {`,
    "  rankdir=LR;",
    '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="Helvetica", fontsize=10];',
    '  edge [color="#7f8c8d"];',
    `  label=${quote(`strata plan: stack ${plan.stack}; critical path (${order.criticalPath.length} steps) in red`)};`,
  ];
  for (const layer of LAYERS) {
    const members = custom.filter((r) => layerOf(r, byUrn) === layer);
    if (members.length === 0) continue;
    lines.push(`  subgraph ${quote(`cluster_${layer}`)} {`, `    label=${quote(layer)};`, '    style="rounded"; color="#95a5a6";');
    for (const r of members) {
      const style = critical.has(r.urn) ? `, ${CRITICAL}, fillcolor="#fdecea"` : "";
      lines.push(`    ${ids.get(r.urn) ?? ""} [label=${quote(label(r.type, r.name))}, tooltip=${quote(r.urn)}${style}];`);
    }
    lines.push("  }");
  }
  for (const [urn, deps] of waitsFor(plan.resources)) {
    for (const dep of deps) {
      const style = criticalEdges.has(`${dep}->${urn}`) ? ` [${CRITICAL}]` : "";
      lines.push(`  ${ids.get(dep) ?? ""} -> ${ids.get(urn) ?? ""}${style};`);
    }
  }
  lines.push("}");
  return `${lines.join("\n")}\n`;
}

/** Writes `file`: DOT as is for `.dot`, rendered by Graphviz for `.svg`. */
export function writeGraph(plan: PlanDocument, file: string): void {
  const dot = toDot(plan);
  if (file.endsWith(".dot")) {
    writeFileSync(file, dot);
    return;
  }
  if (!file.endsWith(".svg")) throw new Error(`--graph: ${file} must end in .svg or .dot`);
  let svg: Buffer;
  try {
    svg = execFileSync("dot", ["-Tsvg"], { input: dot, maxBuffer: 1 << 28 });
  } catch (error) {
    throw new Error(`--graph: Graphviz's dot failed or is missing (apt-get install graphviz), or write .dot instead: ${error instanceof Error ? error.message : String(error)}`);
  }
  writeFileSync(file, svg);
}
