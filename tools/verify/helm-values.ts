/**
 * Every value key a release sets must exist in the chart's values.yaml.
 *
 * The free-form rule: below some keys the chart takes whatever the user writes, so their children
 * are not looked up. A key is free-form when its default in values.yaml is
 *   - an empty map `{}`, `null` or missing value (`podAnnotations: {}`, `nodeSelector:`), or
 *   - a list (`tolerations: []`, `extraArgs: []`): list items are the user's own, or
 *   - named like a Kubernetes pass-through field (`resources`, `*Annotations`, `*Labels`,
 *     `*NodeSelector`, `tolerations`, `affinity`, `*SecurityContext`, `env`, `extraArgs`, …),
 *     even when values.yaml fills it with an example, or
 *   - declared in values.schema.json as an object with no properties (`{ "type": "object" }`).
 * Below a populated map every key must exist there, or be declared in values.schema.json
 * (`properties`, or an open `additionalProperties`/`patternProperties` map). `global` is Helm's own.
 * A key values.yaml documents only as a commented-out example is a warning: the chart supports it,
 * but nothing below it can be checked.
 * Keys under a subchart (Chart.yaml `dependencies`) that the parent values.yaml does not list are
 * warnings: the subchart's values.yaml is not part of the reference data.
 * Istio's charts keep every default under `_internal_defaults_do_not_set` (values.yaml's header: set
 * `foo`, never `_internal_defaults_do_not_set.foo`); their `templates/zzz_profile.yaml` merges the
 * user's values onto that map and also reads the profile selectors `profile`, `compatibilityVersion`
 * and `platform` (istio/istio 1.30.3, manifests/charts/<chart>/templates/zzz_profile.yaml), so for such a
 * chart the map's children and those selectors are the top-level keys.
 */
import { SECRET_PLACEHOLDER } from "../engine/plan-document";
import type { ChartReference } from "./chart-reference";
import type { Finding } from "./findings";
import { childPath, isPlainObject } from "./key-path";
import { type SchemaNode, isFreeFormObject, isOpenMap, schemaChild } from "./schema-walk";
import { commentedKeysAt } from "./values-comments";

const PASS_THROUGH_SUFFIXES = [
  "annotations",
  "labels",
  "nodeselector",
  "tolerations",
  "affinity",
  "resources",
  "securitycontext",
  "topologyspreadconstraints",
  "env",
  "extraargs",
] as const;

/**
 * Maps a chart hands through whole as an upstream API object, whose keys its values.yaml cannot
 * list: gateway-helm writes `config.envoyGateway` into the controller's EnvoyGateway config
 * (values.yaml: "Visit https://gateway.envoyproxy.io/docs/api/extension_types/#envoygateway to
 * view all options"), e.g. `rateLimit` for global rate limiting.
 */
const API_PASS_THROUGH: Readonly<Record<string, readonly string[]>> = { "gateway-helm": ["config.envoyGateway"] };

/** The key Istio's charts wrap their defaults in. */
export const WRAPPED_DEFAULTS_KEY = "_internal_defaults_do_not_set";
/** Top-level keys Istio's `zzz_profile.yaml` reads beside the wrapped defaults. */
export const PROFILE_SELECTORS = ["profile", "compatibilityVersion", "platform"] as const;

interface WalkContext {
  readonly resource: string;
  /** Where the chart's defaults sit in values.yaml (`[WRAPPED_DEFAULTS_KEY]` for Istio's charts). */
  readonly defaultsAt: readonly string[];
  readonly chart: ChartReference;
  readonly schemaRoot: SchemaNode | undefined;
  readonly findings: Finding[];
}

export function valueKeyFindings(resource: string, values: Readonly<Record<string, unknown>>, chart: ChartReference): Finding[] {
  const wrapped = chart.values?.[WRAPPED_DEFAULTS_KEY];
  const defaults = isPlainObject(wrapped) ? { ...Object.fromEntries(PROFILE_SELECTORS.map((key) => [key, ""])), ...wrapped } : (chart.values ?? {});
  const defaultsAt = isPlainObject(wrapped) ? [WRAPPED_DEFAULTS_KEY] : [];
  const context: WalkContext = { resource, chart, defaultsAt, schemaRoot: chart.valuesSchema, findings: [] };
  walkMap(values, defaults, chart.valuesSchema, [], undefined, context);
  return context.findings;
}

export function isPassThroughKey(key: string): boolean {
  const lower = key.toLowerCase();
  return PASS_THROUGH_SUFFIXES.some((suffix) => lower.endsWith(suffix));
}

function walkMap(
  set: Readonly<Record<string, unknown>>,
  defaults: Readonly<Record<string, unknown>>,
  schema: SchemaNode | undefined,
  keys: readonly string[],
  subchart: string | undefined,
  context: WalkContext,
): void {
  const topLevel = keys.length === 0;
  for (const [key, value] of Object.entries(set)) {
    const keyPath = [...keys, key].reduce<string>(childPath, "");
    const keySchema = schemaChild(context.schemaRoot, schema, key);
    const inSubchart = subchart ?? (topLevel && context.chart.subcharts.includes(key) ? key : undefined);
    if (Object.hasOwn(defaults, key)) {
      walkValue(value, defaults[key], keySchema, [...keys, key], inSubchart, context);
    } else if (keySchema === undefined && !isOpenMap(context.schemaRoot, schema) && !(topLevel && key === "global")) {
      context.findings.push(missingKey(keys, key, keyPath, defaults, inSubchart, context));
    }
  }
}

function walkValue(
  value: unknown,
  fallback: unknown,
  schema: SchemaNode | undefined,
  keys: readonly string[],
  subchart: string | undefined,
  context: WalkContext,
): void {
  const key = keys[keys.length - 1] ?? "";
  const path = keys.reduce<string>(childPath, "");
  if (value === null || value === SECRET_PLACEHOLDER || fallback === null || fallback === undefined) {
    return; // null removes a default in Helm; a secret's shape is unknown offline; a null default is an open slot
  }
  const defaultKind = kindOf(fallback);
  const valueKind = kindOf(value);
  if (valueKind === "map" && defaultKind === "map") {
    const defaults = fallback as Record<string, unknown>;
    const apiObject = (API_PASS_THROUGH[context.chart.name] ?? []).includes(keys.join("."));
    if (Object.keys(defaults).length > 0 && !isPassThroughKey(key) && !apiObject && !isFreeFormObject(context.schemaRoot, schema)) {
      walkMap(value as Record<string, unknown>, defaults, schema, keys, subchart, context);
    }
    return;
  }
  const structured = valueKind !== "scalar" || defaultKind !== "scalar";
  const emptyMap = defaultKind === "map" && Object.keys(fallback).length === 0;
  if (structured && valueKind !== defaultKind && !emptyMap) {
    context.findings.push({
      severity: "warning",
      check: "helm-values",
      resource: context.resource,
      path,
      message: `set as a ${valueKind} but values.yaml has a ${defaultKind} here`,
    });
  }
}

function kindOf(value: unknown): "map" | "list" | "scalar" {
  return Array.isArray(value) ? "list" : isPlainObject(value) ? "map" : "scalar";
}

function missingKey(
  keys: readonly string[],
  key: string,
  path: string,
  defaults: Readonly<Record<string, unknown>>,
  subchart: string | undefined,
  context: WalkContext,
): Finding {
  const file = `${context.chart.name}/values.yaml`;
  const valuesText = context.chart.valuesText;
  if (valuesText !== undefined && commentedKeysAt(valuesText, [...context.defaultsAt, ...keys]).has(key)) {
    return {
      severity: "warning",
      check: "helm-values",
      resource: context.resource,
      path,
      message: `not checked: ${file} documents this key only in a comment`,
    };
  }
  if (subchart !== undefined) {
    return {
      severity: "warning",
      check: "helm-values",
      resource: context.resource,
      path,
      message: `not checked: not in ${file} and belongs to subchart "${subchart}", whose values are not in the reference data`,
    };
  }
  const near = nearestKey(key, Object.keys(defaults));
  const hint = near === undefined ? "" : `; did you mean "${near}"?`;
  return { severity: "error", check: "helm-values", resource: context.resource, path, message: `unknown value key: not in ${file}${hint}` };
}

/** A key of the same map that differs only in case or by a small typo (one edit, two for long keys). */
function nearestKey(key: string, candidates: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  const allowed = lower.length >= 8 ? 2 : 1;
  return (
    candidates.find((candidate) => candidate.toLowerCase() === lower) ??
    candidates.find((candidate) => editDistance(lower, candidate.toLowerCase()) <= allowed)
  );
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
