/** Kubernetes objects and Helm releases as files: what `kubectl apply` or `helm` would receive. */
import { stringify } from "yaml";
import type { Renderer } from "./types";

const NON_OBJECT_TYPES = new Set(["kubernetes:helm.sh/v3:Release", "kubernetes:yaml/v2:ConfigFile", "kubernetes:yaml/v2:ConfigGroup"]);

/** Whether a type token is a Kubernetes object (built-in kind or custom resource). */
export function isKubernetesObject(type: string): boolean {
  return type.startsWith("kubernetes:") && !NON_OBJECT_TYPES.has(type);
}

export function yamlOf(value: unknown): string {
  return stringify(value, { sortMapEntries: true, lineWidth: 0 });
}

function fileSafe(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, "_");
}

export const renderKubernetesObject: Renderer = (resource, redact) => {
  const metadata = (resource.rawInputs.metadata ?? {}) as { name?: string; namespace?: string };
  const kind = typeof resource.rawInputs.kind === "string" ? resource.rawInputs.kind : (resource.type.split(":").pop() ?? "Object");
  const name = metadata.name ?? resource.name;
  const scope = metadata.namespace ? `${metadata.namespace}/` : "_cluster/";
  return [{ path: `kubernetes/${scope}${fileSafe(kind)}-${fileSafe(name)}.yaml`, content: redact(yamlOf(resource.rawInputs)) }];
};

export const renderHelmRelease: Renderer = (resource, redact) => {
  const { values, ...release } = resource.rawInputs;
  const name = typeof release.name === "string" ? release.name : resource.name;
  return [
    { path: `helm/${fileSafe(name)}/release.yaml`, content: redact(yamlOf(release)) },
    { path: `helm/${fileSafe(name)}/values.yaml`, content: redact(yamlOf(values ?? {})) },
  ];
};

export const renderConfigFile: Renderer = (resource, redact) => [
  { path: `manifests/${fileSafe(resource.name)}.yaml`, content: redact(yamlOf(resource.rawInputs)) },
];
