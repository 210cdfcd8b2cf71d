/**
 * The rolling check: every workload strata renders that reads a Secret or ConfigMap strata also
 * renders carries a digest of that content on its pod template, so a rotation or a config change
 * changes the template and Kubernetes rolls the pods (or, for a Job, Pulumi replaces it and it
 * runs again). Without one the pods keep the old environment until something else restarts them.
 *
 * Digests are pod-template annotations named `strata.io/<what>-sha256` (`lib/secret-digest.ts`).
 * Helm releases are checked against `CHART_READS` (tools/plan/chart-rolls.ts): what their
 * templates mount is not in the plan (no `helm template` offline), so each release's rendered
 * objects and how its pods follow them are declared there, and `chartRollFindings` holds the
 * release values to that table.
 */
import type { PlanDocument, PlannedResource } from "../engine/plan-document";
import { CHART_READS, type ChartRead } from "./chart-rolls";

/** Pod-template annotation keys that carry a digest of the content the pods read. */
export const DIGEST_ANNOTATION = /^strata\.io\/[a-z0-9-]+-sha256$/;

const POD_TEMPLATE: Readonly<Record<string, readonly string[]>> = {
  "kubernetes:apps/v1:Deployment": ["spec", "template"],
  "kubernetes:apps/v1:StatefulSet": ["spec", "template"],
  "kubernetes:apps/v1:DaemonSet": ["spec", "template"],
  "kubernetes:batch/v1:Job": ["spec", "template"],
  "kubernetes:batch/v1:CronJob": ["spec", "jobTemplate", "spec", "template"],
};

const RENDERED_KINDS: Readonly<Record<string, "Secret" | "ConfigMap">> = {
  "kubernetes:core/v1:Secret": "Secret",
  "kubernetes:core/v1:ConfigMap": "ConfigMap",
};

export interface UnrolledWorkload {
  /** `<Kind> <namespace>/<name>` of the workload. */
  readonly workload: string;
  /** `<Kind> <name>` of each strata-rendered object its pods read. */
  readonly reads: readonly string[];
}

type Json = Readonly<Record<string, unknown>>;
const asObject = (value: unknown): Json => (value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Json) : {});
const asArray = (value: unknown): readonly unknown[] => (Array.isArray(value) ? value : []);
const at = (value: unknown, path: readonly string[]): unknown => path.reduce<unknown>((v, key) => asObject(v)[key], value);
const nameOf = (value: unknown, key: string): string[] => {
  const name = asObject(value)[key];
  return typeof name === "string" ? [name] : [];
};

/** The Secrets and ConfigMaps a pod spec reads, as `<Kind> <name>` (image pull secrets are read at pull time, not by the pods). */
export function podReads(podSpec: unknown): string[] {
  const reads: string[] = [];
  const containers = [...asArray(at(podSpec, ["containers"])), ...asArray(at(podSpec, ["initContainers"]))];
  for (const container of containers) {
    for (const env of asArray(at(container, ["env"]))) {
      reads.push(...nameOf(at(env, ["valueFrom", "secretKeyRef"]), "name").map((n) => `Secret ${n}`));
      reads.push(...nameOf(at(env, ["valueFrom", "configMapKeyRef"]), "name").map((n) => `ConfigMap ${n}`));
    }
    for (const from of asArray(at(container, ["envFrom"]))) {
      reads.push(...nameOf(at(from, ["secretRef"]), "name").map((n) => `Secret ${n}`));
      reads.push(...nameOf(at(from, ["configMapRef"]), "name").map((n) => `ConfigMap ${n}`));
    }
  }
  for (const volume of asArray(at(podSpec, ["volumes"]))) {
    reads.push(...nameOf(at(volume, ["secret"]), "secretName").map((n) => `Secret ${n}`));
    reads.push(...nameOf(at(volume, ["configMap"]), "name").map((n) => `ConfigMap ${n}`));
    for (const source of asArray(at(volume, ["projected", "sources"]))) {
      reads.push(...nameOf(at(source, ["secret"]), "name").map((n) => `Secret ${n}`));
      reads.push(...nameOf(at(source, ["configMap"]), "name").map((n) => `ConfigMap ${n}`));
    }
  }
  return [...new Set(reads)].sort();
}

const namespaceOf = (resource: PlannedResource): string => {
  const ns = at(resource.inputs, ["metadata", "namespace"]);
  return typeof ns === "string" ? ns : "default";
};
const metadataName = (resource: PlannedResource): string => {
  const name = at(resource.inputs, ["metadata", "name"]);
  return typeof name === "string" ? name : resource.name;
};

/** Workloads that read strata-rendered Secrets or ConfigMaps without a digest annotation on their pod template. */
export function unrolledWorkloads(plan: PlanDocument): UnrolledWorkload[] {
  const rendered = new Set<string>();
  for (const resource of plan.resources) {
    const kind = RENDERED_KINDS[resource.type];
    if (kind !== undefined) rendered.add(`${namespaceOf(resource)}/${kind} ${metadataName(resource)}`);
  }
  const found: UnrolledWorkload[] = [];
  for (const resource of plan.resources) {
    const path = POD_TEMPLATE[resource.type];
    if (path === undefined) continue;
    const namespace = namespaceOf(resource);
    const template = at(resource.inputs, path);
    const reads = podReads(at(template, ["spec"])).filter((read) => rendered.has(`${namespace}/${read}`));
    const annotations = Object.keys(asObject(at(template, ["metadata", "annotations"])));
    if (reads.length > 0 && !annotations.some((key) => DIGEST_ANNOTATION.test(key))) {
      found.push({ workload: `${resource.type.split(":").pop() ?? resource.type} ${namespace}/${metadataName(resource)}`, reads });
    }
  }
  return found;
}

/** One line per workload for the plan and verify output. */
export function formatUnrolled(unrolled: UnrolledWorkload): string {
  return `${unrolled.workload} reads ${unrolled.reads.join(", ")} (rendered by strata) but its pod template carries no strata.io/<what>-sha256 digest of them: a change would not roll its pods`;
}

const RELEASE_TYPE = "kubernetes:helm.sh/v3:Release";

/** Every string anywhere in a release's values. */
function stringsIn(value: unknown, into: Set<string> = new Set()): Set<string> {
  if (typeof value === "string") into.add(value);
  else if (Array.isArray(value)) for (const item of value) stringsIn(item, into);
  else if (value !== null && typeof value === "object") for (const item of Object.values(value)) stringsIn(item, into);
  return into;
}

/** The chart's name: the last segment of `chart` (`oci://…/loki` → `loki`). */
const chartName = (resource: PlannedResource): string => {
  const chart = at(resource.inputs, ["chart"]);
  return typeof chart === "string" ? (chart.split("/").pop() ?? chart) : "";
};

/**
 * Helm releases whose pods would not follow a change to a Secret or ConfigMap strata renders for
 * them: one line for each rendered object (in the release's namespace) that the values name but
 * `table` does not list for the chart, and one for each `digest` entry whose object is rendered
 * but whose annotation is missing or empty at a listed values path.
 */
export function chartRollFindings(plan: PlanDocument, table: Readonly<Record<string, readonly ChartRead[]>> = CHART_READS): string[] {
  const rendered = new Set<string>();
  for (const resource of plan.resources) {
    const kind = RENDERED_KINDS[resource.type];
    if (kind !== undefined) rendered.add(`${namespaceOf(resource)}/${kind} ${metadataName(resource)}`);
  }
  const findings: string[] = [];
  for (const release of plan.resources) {
    if (release.type !== RELEASE_TYPE) continue;
    const namespace = typeof release.inputs["namespace"] === "string" ? release.inputs["namespace"] : "default";
    const chart = chartName(release);
    const label = `release ${namespace}/${typeof release.inputs["name"] === "string" ? release.inputs["name"] : release.name} (chart ${chart})`;
    const values = release.inputs["values"];
    const declared = table[chart] ?? [];
    for (const name of [...stringsIn(values)].sort()) {
      for (const kind of ["Secret", "ConfigMap"] as const) {
        if (!rendered.has(`${namespace}/${kind} ${name}`) || declared.some((read) => read.kind === kind && read.name === name)) continue;
        findings.push(`${label} names ${kind} ${name} (rendered by strata) in its values, but tools/plan/chart-rolls.ts does not say how its pods follow a change to it`);
      }
    }
    for (const read of declared) {
      if (!("digest" in read.roll) || !rendered.has(`${namespace}/${read.kind} ${read.name}`)) continue;
      const { annotation } = read.roll.digest;
      for (const path of read.roll.digest.at) {
        const digest = asObject(at(values, path.split(".")))[annotation];
        if (typeof digest !== "string" || digest === "") findings.push(`${label} reads ${read.kind} ${read.name} (rendered by strata) but its values carry no ${annotation} at ${path}: a change would not roll its pods`);
      }
    }
  }
  return findings;
}
