/**
 * Sorts planned resources by what can be checked: Helm releases, built-in Kubernetes objects,
 * custom resources, and everything else (components, providers, cloud resources, `yaml/v2`
 * ConfigFiles whose manifests are fetched only at deploy time).
 */
import type { PlannedResource } from "../engine/plan-document";
import { HELM_CHART_TYPE, HELM_RELEASE_TYPE } from "./helm-release";
import { isBuiltInApiVersion, splitApiVersion } from "./kubernetes-schema";

export type ResourceClass =
  | { readonly is: "helm-release" }
  | { readonly is: "kubernetes-object"; readonly object: Readonly<Record<string, unknown>> }
  | {
      readonly is: "custom-resource";
      readonly object: Readonly<Record<string, unknown>>;
      readonly group: string;
      readonly version: string;
      readonly kind: string;
    }
  | { readonly is: "other" };

/** Pulumi modules of the Kubernetes provider that are not API objects. */
const NON_OBJECT_MODULE = /^(helm\.sh|yaml|kustomize)\//;

export function classify(resource: PlannedResource): ResourceClass {
  if (resource.type === HELM_RELEASE_TYPE || resource.type === HELM_CHART_TYPE) {
    return { is: "helm-release" };
  }
  const [provider, module, tokenKind] = resource.type.split(":");
  if (provider !== "kubernetes" || module === undefined || tokenKind === undefined || !resource.custom || NON_OBJECT_MODULE.test(module)) {
    return { is: "other" };
  }
  // `<Kind>Patch` resources carry partial objects that the full schema would reject.
  if (isBuiltInApiVersion(module) && tokenKind.endsWith("Patch")) {
    return { is: "other" };
  }
  // A generic CustomResource token names no kind of its own; the inputs do.
  const apiVersion = typeof resource.inputs["apiVersion"] === "string" ? resource.inputs["apiVersion"] : module;
  const kind = typeof resource.inputs["kind"] === "string" ? resource.inputs["kind"] : tokenKind;
  const object = { ...resource.inputs, apiVersion, kind };
  if (isBuiltInApiVersion(apiVersion)) {
    return { is: "kubernetes-object", object };
  }
  const { group, version } = splitApiVersion(apiVersion);
  return { is: "custom-resource", object, group, version, kind };
}
