/**
 * The container images one stack pulls, from its plan, for mirroring into a private registry:
 *
 * - every `image` / `imageName` written into a planned object (apps, their migrations and
 *   releases, Jobs, and the operators' custom resources that name their operands' images);
 * - for each Helm release, the images its chart deploys by default (read from the chart's
 *   `values.yaml` in the reference data, with the release's own values over them; a tag left
 *   empty is the chart's `appVersion`, marked, since templates may prefix it), skipping parts turned off
 *   with `enabled: false`.
 *
 * Images an operator picks for its operands without any value naming them are not visible here;
 * `helm template` of the mirrored chart remains the complete answer for a chart.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import type { PlannedResource } from "../engine/plan-document";

export interface StackImage {
  /** Full reference as pulled: `registry/repository:tag` or `…@sha256:…`. */
  readonly image: string;
  /** Where it comes from: the resources or chart releases that pull it, sorted. */
  readonly usedBy: readonly string[];
}

const HELM_RELEASE = "kubernetes:helm.sh/v3:Release";
/** Follows an image whose tag is the chart's appVersion: the template may add a prefix such as `v`. */
export const APP_VERSION_MARK = "(tag = chart appVersion; check the chart's template for a prefix)";
const IMAGE_KEYS = new Set(["image", "imageName"]);

type Tree = Readonly<Record<string, unknown>>;

function isTree(value: unknown): value is Tree {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function looksLikeImage(value: string): boolean {
  return /^[a-z0-9][\w./-]*([:@][\w.:-]+)?$/i.test(value) && (value.includes(":") || value.includes("/"));
}

/** Images written as plain strings under `image`/`imageName` anywhere in `value`. */
function imageStrings(value: unknown, found: Set<string>): void {
  if (Array.isArray(value)) return value.forEach((item) => imageStrings(item, found));
  if (!isTree(value)) return;
  for (const [key, child] of Object.entries(value)) {
    if (IMAGE_KEYS.has(key) && typeof child === "string" && looksLikeImage(child)) found.add(child);
    else imageStrings(child, found);
  }
}

function deepMerge(base: unknown, over: unknown): unknown {
  if (!isTree(base) || !isTree(over)) return over === undefined ? base : over;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) merged[key] = deepMerge(base[key], value);
  return merged;
}

/** `{ registry?, repository, tag?, digest? }` maps under keys naming an image, in values left on. */
function chartValueImages(values: unknown, appVersion: string | undefined, found: Set<string>, underImageKey = false): void {
  if (Array.isArray(values)) return values.forEach((item) => chartValueImages(item, appVersion, found, underImageKey));
  if (!isTree(values) || values["enabled"] === false) return;
  const repository = values["repository"];
  if (underImageKey && typeof repository === "string" && repository !== "") {
    const registry = typeof values["registry"] === "string" && values["registry"] !== "" ? `${values["registry"]}/` : "";
    const digest = typeof values["digest"] === "string" && values["digest"] !== "" ? values["digest"] : undefined;
    const tag = typeof values["tag"] === "string" && values["tag"] !== "" ? values["tag"] : typeof values["tag"] === "number" ? String(values["tag"]) : undefined;
    if (digest !== undefined) found.add(`${registry}${repository}@${digest}`);
    else if (tag !== undefined) found.add(`${registry}${repository}:${tag}`);
    // An empty tag is the chart's appVersion in its template, sometimes with a prefix (`v`): marked so.
    else if (appVersion !== undefined) found.add(`${registry}${repository}:${appVersion} ${APP_VERSION_MARK}`);
    return;
  }
  for (const [key, child] of Object.entries(values)) {
    if (typeof child === "string" && /image$/i.test(key) && looksLikeImage(child)) found.add(child);
    else chartValueImages(child, appVersion, found, /image/i.test(key));
  }
}

/** The chart's default values and appVersion from the reference data, when it is there. */
function chartDefaults(chartsDir: string, chart: string): { readonly values: unknown; readonly appVersion?: string } | undefined {
  const dir = join(chartsDir, chart);
  if (!existsSync(join(dir, "values.yaml"))) return undefined;
  const meta = existsSync(join(dir, "Chart.yaml")) ? (parse(readFileSync(join(dir, "Chart.yaml"), "utf8")) as { appVersion?: string | number }) : {};
  return { values: parse(readFileSync(join(dir, "values.yaml"), "utf8")) as unknown, ...(meta.appVersion === undefined ? {} : { appVersion: `${meta.appVersion}` }) };
}

function nameOf(resource: PlannedResource): string {
  return resource.urn.split("::").pop() ?? resource.urn;
}

/** Every image the planned `resources` pull, with what pulls it; charts read from `chartsDir`. */
export function stackImages(resources: readonly PlannedResource[], chartsDir: string): StackImage[] {
  const usedBy = new Map<string, Set<string>>();
  const add = (images: Iterable<string>, by: string) => {
    for (const image of images) usedBy.set(image, (usedBy.get(image) ?? new Set()).add(by));
  };
  for (const resource of resources) {
    const found = new Set<string>();
    const inputs: Tree = resource.inputs;
    if (resource.type === HELM_RELEASE) {
      const chart = typeof inputs["chart"] === "string" ? inputs["chart"] : "";
      const defaults = chartDefaults(chartsDir, chart);
      const values = isTree(inputs["values"]) ? inputs["values"] : {};
      chartValueImages(deepMerge(defaults?.values ?? {}, values), defaults?.appVersion, found);
      add(found, `chart ${chart} (${nameOf(resource)})${defaults === undefined ? ", release values only: no reference values" : ""}`);
    } else {
      imageStrings(inputs, found);
      add(found, `${resource.type.split(":").pop() ?? resource.type} ${nameOf(resource)}`);
    }
  }
  return [...usedBy.entries()].map(([image, by]) => ({ image, usedBy: [...by].sort() })).sort((a, b) => a.image.localeCompare(b.image));
}

export function formatStackImages(images: readonly StackImage[]): string {
  const width = Math.max(0, ...images.map((i) => i.image.length));
  return images.map((i) => `${i.image.padEnd(width)}  ${i.usedBy.join(", ")}`).join("\n");
}
