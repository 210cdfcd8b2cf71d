/**
 * Compares two offline plans of a stack: what `pulumi up` would create, replace (and which inputs
 * force it), update and delete, per layer. Resources are matched by URN, as the engine matches them.
 */
import { layerOf, type LayerName } from "../engine/layers";
import type { PlanDocument, PlannedResource } from "../engine/plan-document";
import { replacingPaths } from "./replace-rules";

export type Change = "create" | "replace" | "update" | "delete";

export interface ResourceChange {
  readonly change: Change;
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly layer: LayerName;
  /** Input paths that differ (update) or that force the replacement (replace). */
  readonly paths: readonly string[];
}

export interface PlanDiff {
  readonly changes: readonly ResourceChange[];
  readonly unchanged: number;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Dotted paths (`spec.replicas`, `disks[1].size`) where two input trees differ. */
export function changedPaths(before: unknown, after: unknown, prefix = ""): string[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => changedPaths(before[key], after[key], prefix ? `${prefix}.${key}` : key));
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((item, i) => changedPaths(item, after[i], `${prefix}[${i}]`));
  }
  return [prefix || "(inputs)"];
}

/**
 * Whether `ignoreChanges` covers a changed input path. Pulumi ignores the named property and
 * everything under it; `*` stands for one key or index, and `*` alone for every input
 * (https://www.pulumi.com/docs/iac/concepts/options/ignorechanges/).
 */
export function isIgnored(path: string, ignoreChanges: readonly string[] | undefined): boolean {
  return (ignoreChanges ?? []).some((pattern) => pattern === "*" || patternRegExp(pattern).test(path));
}

/** `a.b[*].c` → /^a\.b\[\d+\]\.c($|[.[])/: the path itself or anything under it. */
function patternRegExp(pattern: string): RegExp {
  const source = pattern
    .split(/(\[\*\]|\.\*|\[\d+\])/)
    .map((part) => {
      if (part === "[*]") return "\\[\\d+\\]";
      if (part === ".*") return "\\.[^.[]+";
      return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("");
  return new RegExp(`^${source}($|[.[])`);
}

function providerOf(resource: PlannedResource): string {
  const at = resource.provider.lastIndexOf("::");
  return at > 0 ? resource.provider.slice(0, at) : resource.provider;
}

export function diffPlans(before: PlanDocument, after: PlanDocument): PlanDiff {
  const oldByUrn = new Map(before.resources.filter((r) => r.custom).map((r) => [r.urn, r]));
  const newByUrn = new Map(after.resources.filter((r) => r.custom).map((r) => [r.urn, r]));
  const oldIndex = new Map(before.resources.map((r) => [r.urn, r]));
  const newIndex = new Map(after.resources.map((r) => [r.urn, r]));
  const changes: ResourceChange[] = [];
  let unchanged = 0;
  const entry = (change: Change, r: PlannedResource, index: ReadonlyMap<string, PlannedResource>, paths: readonly string[]): ResourceChange => ({
    change,
    urn: r.urn,
    type: r.type,
    name: r.name,
    layer: layerOf(r, index),
    paths,
  });

  for (const [urn, next] of newByUrn) {
    const previous = oldByUrn.get(urn);
    if (previous === undefined) {
      changes.push(entry("create", next, newIndex, []));
      continue;
    }
    // The engine leaves inputs under the new program's ignoreChanges as they are: no update.
    const paths = changedPaths(previous.inputs, next.inputs).filter((path) => !isIgnored(path, next.ignoreChanges));
    const providerChanged = providerOf(previous) !== providerOf(next);
    if (paths.length === 0 && !providerChanged) {
      unchanged++;
      continue;
    }
    const forcing = [...(providerChanged ? ["(provider)"] : []), ...replacingPaths(next.type, paths)];
    changes.push(forcing.length > 0 ? entry("replace", next, newIndex, forcing) : entry("update", next, newIndex, paths));
  }
  for (const [urn, previous] of oldByUrn) if (!newByUrn.has(urn)) changes.push(entry("delete", previous, oldIndex, []));
  return { changes: pairMoves(changes), unchanged };
}

/**
 * A delete and a create of the same type and name are one resource whose URN changed (its parent
 * component moved or was renamed). Without `aliases` the engine creates the new one and deletes
 * the old one: a replacement, reported as such with the way to avoid it.
 */
function pairMoves(changes: readonly ResourceChange[]): ResourceChange[] {
  const key = (c: ResourceChange) => `${c.type}::${c.name}`;
  const deleted = new Map(changes.filter((c) => c.change === "delete").map((c) => [key(c), c]));
  const moved = new Set<string>();
  const out: ResourceChange[] = [];
  for (const c of changes) {
    if (c.change === "create" && deleted.has(key(c))) {
      moved.add(key(c));
      out.push({ ...c, change: "replace", paths: [`urn (was ${deleted.get(key(c))?.urn ?? "?"}; add aliases to keep it)`] });
    } else {
      out.push(c);
    }
  }
  return out.filter((c) => !(c.change === "delete" && moved.has(key(c))));
}

const LAYERS: readonly LayerName[] = ["upstream", "infra", "cluster", "platform", "apps"];
const SYMBOL: Readonly<Record<Change, string>> = { create: "+", replace: "+-", update: "~", delete: "-" };
const HEADING: Readonly<Record<Change, string>> = { create: "create", replace: "replace", update: "update", delete: "delete" };

function shortPaths(paths: readonly string[], max = 6): string {
  return paths.length <= max ? paths.join(", ") : `${paths.slice(0, max).join(", ")} and ${paths.length - max} more`;
}

/** The diff as text: counts, then per layer and change kind one line per resource. */
export function formatDiff(diff: PlanDiff, title: string): string {
  const count = (change: Change) => diff.changes.filter((c) => c.change === change).length;
  const lines = [title, `${count("create")} to create, ${count("replace")} to replace, ${count("update")} to update, ${count("delete")} to delete, ${diff.unchanged} unchanged`];
  for (const layer of LAYERS) {
    const inLayer = diff.changes.filter((c) => c.layer === layer);
    if (inLayer.length === 0) continue;
    lines.push("", `${layer}:`);
    for (const change of ["create", "replace", "update", "delete"] as const) {
      const group = inLayer.filter((c) => c.change === change).sort((a, b) => a.urn.localeCompare(b.urn));
      if (group.length === 0) continue;
      lines.push(`  ${HEADING[change]} (${group.length}):`);
      for (const c of group) {
        const detail = c.change === "replace" ? ` (forced by ${shortPaths(c.paths)})` : c.change === "update" ? ` (${shortPaths(c.paths)})` : "";
        lines.push(`    ${SYMBOL[c.change].padEnd(2)} ${c.type} ${c.name}${detail}`);
      }
    }
  }
  return lines.join("\n");
}
