/**
 * Compares two offline plans of a stack: what `pulumi up` would create, replace (and which inputs
 * force it), update and delete, per layer, with each changed input's old and new value (secrets
 * as `[secret] changed`), the resources that receive a changed `secure:` config value, and
 * warnings a reviewer must not miss (Kubernetes downgrades and skipped minors, protected
 * resources replaced, data deleted). Resources are matched by URN, as the engine matches them.
 */
import { layerOf, type LayerName } from "../engine/layers";
import { SECRET_PLACEHOLDER, type PlanDocument, type PlannedResource } from "../engine/plan-document";
import { diffWarnings } from "./diff-warnings";
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
  /** Old → new value of each changed input path; absent for creates, deletes and moves. */
  readonly values?: readonly ValueChange[];
  /** `secure:` config keys whose value changed and that this resource receives (its inputs carry them). */
  readonly fromSecrets?: readonly string[];
}

/** One changed input: its values, or `secret` where either side is secret (values then left out). */
export interface ValueChange {
  readonly path: string;
  /** Absent: the path did not exist. */
  readonly before?: unknown;
  /** Absent: the path no longer exists. */
  readonly after?: unknown;
  readonly secret?: true;
}

export interface PlanDiff {
  readonly changes: readonly ResourceChange[];
  readonly unchanged: number;
  /** What a reviewer must not miss: downgrades, skipped minors, protected replacements, data deleted. */
  readonly warnings: readonly string[];
}

/** What the diff knows beyond the two plans. */
export interface DiffContext {
  /** URN → the `secure:` config keys that changed between the refs and whose values the resource receives. */
  readonly secretReceivers?: ReadonlyMap<string, readonly string[]>;
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

/** Old and new value at each path where two input trees differ; a secret on either side hides both. */
export function changedValues(before: unknown, after: unknown, prefix = ""): ValueChange[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => changedValues(before[key], after[key], prefix ? `${prefix}.${key}` : key));
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((item, i) => changedValues(item, after[i], `${prefix}[${i}]`));
  }
  const path = prefix || "(inputs)";
  if (containsSecret(before) || containsSecret(after)) return [{ path, secret: true }];
  return [{ path, ...(before === undefined ? {} : { before }), ...(after === undefined ? {} : { after }) }];
}

function containsSecret(value: unknown): boolean {
  return value === SECRET_PLACEHOLDER || (value !== null && typeof value === "object" && JSON.stringify(value).includes(JSON.stringify(SECRET_PLACEHOLDER)));
}

/**
 * The layer a resource is filed under. A resource outside every component (a generated password
 * made at the top of the program) belongs where it is used: the layer of the resources that
 * depend on it, else infra.
 */
export function diffLayerOf(resource: PlannedResource, index: ReadonlyMap<string, PlannedResource>, consumers: ReadonlyMap<string, readonly PlannedResource[]>): LayerName {
  if (resource.parent !== "" && resource.parent !== undefined && index.get(resource.parent)?.type !== "pulumi:pulumi:Stack") return layerOf(resource, index);
  const own = layerOf({ type: resource.type, parent: "" }, index);
  if (/^strata:/.test(resource.type) || resource.type.startsWith("pulumi:")) return own;
  const used: LayerName[] = (consumers.get(resource.urn) ?? []).map((c) => layerOf(c, index)).filter((l) => l !== "upstream");
  return LAYER_ORDER.find((l) => used.includes(l)) ?? own;
}

const LAYER_ORDER: readonly LayerName[] = ["infra", "cluster", "platform", "apps"];

function consumersOf(resources: readonly PlannedResource[]): Map<string, PlannedResource[]> {
  const out = new Map<string, PlannedResource[]>();
  for (const r of resources) for (const dep of r.dependencies) out.set(dep, [...(out.get(dep) ?? []), r]);
  return out;
}

function providerOf(resource: PlannedResource): string {
  const at = resource.provider.lastIndexOf("::");
  return at > 0 ? resource.provider.slice(0, at) : resource.provider;
}

export function diffPlans(before: PlanDocument, after: PlanDocument, context: DiffContext = {}): PlanDiff {
  const oldByUrn = new Map(before.resources.filter((r) => r.custom).map((r) => [r.urn, r]));
  const newByUrn = new Map(after.resources.filter((r) => r.custom).map((r) => [r.urn, r]));
  const oldIndex = new Map(before.resources.map((r) => [r.urn, r]));
  const newIndex = new Map(after.resources.map((r) => [r.urn, r]));
  const consumers = new Map([...consumersOf(before.resources), ...consumersOf(after.resources)]);
  const changes: ResourceChange[] = [];
  let unchanged = 0;
  const entry = (change: Change, r: PlannedResource, index: ReadonlyMap<string, PlannedResource>, paths: readonly string[], values?: readonly ValueChange[], fromSecrets?: readonly string[]): ResourceChange => ({
    change,
    urn: r.urn,
    type: r.type,
    name: r.name,
    layer: diffLayerOf(r, index, consumers),
    paths,
    ...(values === undefined || values.length === 0 ? {} : { values }),
    ...(fromSecrets === undefined || fromSecrets.length === 0 ? {} : { fromSecrets }),
  });

  for (const [urn, next] of newByUrn) {
    const previous = oldByUrn.get(urn);
    if (previous === undefined) {
      changes.push(entry("create", next, newIndex, []));
      continue;
    }
    // The engine leaves inputs under the new program's ignoreChanges as they are: no update.
    const values = changedValues(previous.inputs, next.inputs).filter((v) => !isIgnored(v.path, next.ignoreChanges));
    const paths = values.map((v) => v.path);
    const providerChanged = providerOf(previous) !== providerOf(next);
    // A changed `secure:` value is a stand-in on both sides of an offline plan: the inputs look equal.
    const fromSecrets = context.secretReceivers?.get(urn) ?? [];
    if (paths.length === 0 && !providerChanged && fromSecrets.length === 0) {
      unchanged++;
      continue;
    }
    const forcing = [...(providerChanged ? ["(provider)"] : []), ...replacingPaths(next.type, paths)];
    changes.push(forcing.length > 0 ? entry("replace", next, newIndex, forcing, values, fromSecrets) : entry("update", next, newIndex, paths, values, fromSecrets));
  }
  for (const [urn, previous] of oldByUrn) if (!newByUrn.has(urn)) changes.push(entry("delete", previous, oldIndex, []));
  const paired = pairMoves(changes);
  return { changes: paired, unchanged, warnings: diffWarnings(before, after, paired, oldIndex) };
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

/** A value as one short line: JSON, cut at `max` characters. */
export function showValue(value: unknown, max = 60): string {
  if (value === undefined) return "(none)";
  const text = JSON.stringify(value) ?? "(none)";
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** `spec.maxReplicas: 10 → 12`, or `data: [secret] changed`. */
export function formatValueChange(v: ValueChange): string {
  return v.secret ? `${v.path}: [secret] changed` : `${v.path}: ${showValue(v.before)} → ${showValue(v.after)}`;
}

/** Per resource, at most this many value lines (the rest counted); `--json` carries them all. */
const MAX_VALUE_LINES = 8;

/** The diff as text: counts and warnings, then per layer and change kind one line per resource and one per changed value. */
export function formatDiff(diff: PlanDiff, title: string): string {
  const count = (change: Change) => diff.changes.filter((c) => c.change === change).length;
  const lines = [title, `${count("create")} to create, ${count("replace")} to replace, ${count("update")} to update, ${count("delete")} to delete, ${diff.unchanged} unchanged`];
  for (const warning of diff.warnings ?? []) lines.push(`  warning: ${warning}`);
  for (const layer of LAYERS) {
    const inLayer = diff.changes.filter((c) => c.layer === layer);
    if (inLayer.length === 0) continue;
    lines.push("", `${layer}:`);
    for (const change of ["create", "replace", "update", "delete"] as const) {
      const group = inLayer.filter((c) => c.change === change).sort((a, b) => a.urn.localeCompare(b.urn));
      if (group.length === 0) continue;
      lines.push(`  ${HEADING[change]} (${group.length}):`);
      for (const c of group) {
        const detail = c.change === "replace" ? ` (forced by ${shortPaths(c.paths)})` : c.change === "update" && c.paths.length > 0 ? ` (${shortPaths(c.paths)})` : "";
        lines.push(`    ${SYMBOL[c.change].padEnd(2)} ${c.type} ${c.name}${detail}`);
        for (const key of c.fromSecrets ?? []) lines.push(`         changed (from secret ${key})`);
        const values = c.values ?? [];
        for (const v of values.slice(0, MAX_VALUE_LINES)) lines.push(`         ${formatValueChange(v)}`);
        if (values.length > MAX_VALUE_LINES) lines.push(`         … and ${values.length - MAX_VALUE_LINES} more (--json lists them all)`);
      }
    }
  }
  return lines.join("\n");
}
