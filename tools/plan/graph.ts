/**
 * The plan's dependency graph in Graphviz DOT, layers as clusters, edges from what a resource
 * waits for to the resource (as `deploymentOrder` computes it), the critical path drawn bold and
 * red. By default one node per component (ComponentResource), its resources folded in, so a whole
 * stack stays readable; `resources` detail draws every provider-managed resource. With a subset
 * (`only`: the changes of `--diff` and what depends on them) the rest is left out. `.svg` and
 * `.png` are rendered with Graphviz's `dot`.
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { layerOf, type LayerName } from "../engine/layers";
import { deploymentOrder, waitsFor } from "../engine/order";
import type { PlanDocument, PlannedResource } from "../engine/plan-document";

const LAYERS: readonly LayerName[] = ["upstream", "infra", "cluster", "platform", "apps"];
const CRITICAL = 'color="#c0392b", penwidth=2.5';
const STACK_TYPE = "pulumi:pulumi:Stack";

export type GraphDetail = "components" | "resources";
export const GRAPH_DETAILS: readonly GraphDetail[] = ["components", "resources"];

export interface GraphOptions {
  /** @default "components" */
  readonly detail?: GraphDetail;
  /** URNs of the provider-managed resources to draw (with their components); @default - all */
  readonly only?: ReadonlySet<string>;
}

/** A DOT string; `\n` inside labels is DOT's line break, so backslashes are kept as written. */
function quote(text: string): string {
  return `"${text.replace(/"/g, '\\"')}"`;
}

/** The short type (`eks/cluster:Cluster` → `Cluster`) and the resource name, as the node label. */
function label(type: string, name: string): string {
  return `${type.split(":").pop() ?? type}\\n${name}`;
}

interface GraphNode {
  readonly id: string;
  readonly label: string;
  readonly tooltip: string;
  readonly layer: LayerName;
}

/** What a node stands for: the resource itself, or its nearest component (a per-layer node for resources outside any). */
function grouping(plan: PlanDocument, detail: GraphDetail): { readonly keyOf: (r: PlannedResource) => string; readonly nodeOf: (key: string, members: readonly PlannedResource[]) => Omit<GraphNode, "id"> } {
  const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
  if (detail === "resources") {
    return {
      keyOf: (r) => r.urn,
      nodeOf: (key) => {
        const r = byUrn.get(key);
        return { label: label(r?.type ?? key, r?.name ?? key), tooltip: key, layer: r === undefined ? "infra" : layerOf(r, byUrn) };
      },
    };
  }
  const componentOf = (r: PlannedResource): PlannedResource | undefined => {
    let current = r.parent ? byUrn.get(r.parent) : undefined;
    while (current !== undefined && (current.custom || current.type === STACK_TYPE)) current = current.parent ? byUrn.get(current.parent) : undefined;
    return current;
  };
  return {
    keyOf: (r) => componentOf(r)?.urn ?? `top-level:${layerOf(r, byUrn)}`,
    nodeOf: (key, members) => {
      const component = byUrn.get(key);
      const layer = component === undefined ? (key.slice("top-level:".length) as LayerName) : layerOf(component, byUrn);
      const title = component === undefined ? `(outside components)\\n${layer}` : label(component.type, component.name);
      return { label: `${title}\\n${members.length} resource${members.length === 1 ? "" : "s"}`, tooltip: component?.urn ?? key, layer };
    },
  };
}

/** Node and edge counts of a DOT graph as `toDot` writes it. */
export function graphSize(dot: string): { readonly nodes: number; readonly edges: number } {
  const lines = dot.split("\n");
  return { nodes: lines.filter((l) => /^\s+n\d+ \[label=/.test(l)).length, edges: lines.filter((l) => /^\s+n\d+ -> n\d+/.test(l)).length };
}

export function toDot(plan: PlanDocument, options: GraphOptions = {}): string {
  const detail = options.detail ?? "components";
  const custom = plan.resources.filter((r) => r.custom && (options.only === undefined || options.only.has(r.urn)));
  const { keyOf, nodeOf } = grouping(plan, detail);
  const members = new Map<string, PlannedResource[]>();
  for (const r of custom) members.set(keyOf(r), [...(members.get(keyOf(r)) ?? []), r]);
  const nodes = new Map<string, GraphNode>([...members].map(([key, list], i) => [key, { id: `n${i}`, ...nodeOf(key, list) }]));
  const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
  const keyOfUrn = (urn: string): string | undefined => {
    const r = byUrn.get(urn);
    return r === undefined || !members.has(keyOf(r)) || (options.only !== undefined && !options.only.has(urn)) ? undefined : keyOf(r);
  };

  const order = deploymentOrder(plan.resources);
  const criticalKeys = order.criticalPath.map(keyOfUrn);
  const critical = new Set(criticalKeys.filter((k): k is string => k !== undefined));
  const criticalEdges = new Set(criticalKeys.slice(1).map((key, i) => `${criticalKeys[i] ?? ""}->${key ?? ""}`));
  const lines = [
    `digraph ${quote(`strata ${plan.stack}`)} {`,
    "  rankdir=LR;",
    '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="Helvetica", fontsize=10];',
    '  edge [color="#7f8c8d"];',
    `  label=${quote(`strata plan: stack ${plan.stack}; one node per ${detail === "components" ? "component" : "resource"}${options.only === undefined ? "" : ", changed resources and what depends on them"}; critical path (${order.criticalPath.length} steps) in red`)};`,
  ];
  for (const layer of LAYERS) {
    const inLayer = [...nodes.values()].filter((n) => n.layer === layer);
    if (inLayer.length === 0) continue;
    lines.push(`  subgraph ${quote(`cluster_${layer}`)} {`, `    label=${quote(layer)};`, '    style="rounded"; color="#95a5a6";');
    for (const [key, n] of nodes) {
      if (n.layer !== layer) continue;
      const style = critical.has(key) ? `, ${CRITICAL}, fillcolor="#fdecea"` : "";
      lines.push(`    ${n.id} [label=${quote(n.label)}, tooltip=${quote(n.tooltip)}${style}];`);
    }
    lines.push("  }");
  }
  const edges = new Set<string>();
  for (const [urn, deps] of waitsFor(plan.resources)) {
    const to = keyOfUrn(urn);
    if (to === undefined) continue;
    for (const dep of deps) {
      const from = keyOfUrn(dep);
      if (from === undefined || from === to || edges.has(`${from}->${to}`)) continue;
      edges.add(`${from}->${to}`);
      const style = criticalEdges.has(`${from}->${to}`) ? ` [${CRITICAL}]` : "";
      lines.push(`  ${nodes.get(from)?.id ?? ""} -> ${nodes.get(to)?.id ?? ""}${style};`);
    }
  }
  lines.push("}");
  return `${lines.join("\n")}\n`;
}

/** The changed resources and, transitively, every resource that waits for one of them. */
export function changedAndDependents(plan: PlanDocument, changed: Iterable<string>): Set<string> {
  const dependents = new Map<string, string[]>();
  for (const [urn, deps] of waitsFor(plan.resources)) for (const dep of deps) dependents.set(dep, [...(dependents.get(dep) ?? []), urn]);
  const out = new Set<string>();
  const queue = [...changed];
  while (queue.length > 0) {
    const urn = queue.pop() as string;
    if (out.has(urn)) continue;
    out.add(urn);
    queue.push(...(dependents.get(urn) ?? []));
  }
  return out;
}

/** Writes `file`: DOT as is for `.dot`, rendered by Graphviz for `.svg` and `.png`; returns the graph's size. */
export function writeGraph(plan: PlanDocument, file: string, options: GraphOptions = {}): { readonly nodes: number; readonly edges: number } {
  const dot = toDot(plan, options);
  const format = /\.(dot|svg|png)$/.exec(file)?.[1];
  if (format === undefined) throw new Error(`--graph: ${file} must end in .svg, .png or .dot`);
  if (format === "dot") {
    writeFileSync(file, dot);
    return graphSize(dot);
  }
  let rendered: Buffer;
  try {
    rendered = execFileSync("dot", [`-T${format}`], { input: dot, maxBuffer: 1 << 28 });
  } catch (error) {
    throw new Error(`--graph: Graphviz's dot failed or is missing (apt-get install graphviz), or write .dot instead: ${error instanceof Error ? error.message : String(error)}`);
  }
  writeFileSync(file, rendered);
  return graphSize(dot);
}
