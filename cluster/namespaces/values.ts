/** Pure: which namespaces strata owns, their names and Pod Security Admission levels. */
import type { PodSecurityLevel } from "../../config/cluster";
import type { ClusterConfig } from "../../config/cluster";
import { KUBERNETES_VERSION } from "../../lib/catalog";
import { NAMESPACE_PURPOSES, type NamespacePurpose } from "../../lib/contracts";
import { strataLabels } from "../labels";

/** PSA level per platform purpose when config does not choose one. */
export const DEFAULT_POD_SECURITY: Readonly<Record<NamespacePurpose, PodSecurityLevel>> = {
  gateway: "restricted",
  operators: "restricted",
  data: "baseline",
  monitoring: "privileged",
  backup: "privileged",
};

export interface NamespaceSpec {
  readonly name: string;
  /** Purpose (`gateway`, …), `app` for app namespaces or `system` for add-on namespaces. */
  readonly purpose: NamespacePurpose | "app" | "system";
  readonly podSecurity: PodSecurityLevel;
}

export function platformNamespaces(config: ClusterConfig): Record<NamespacePurpose, NamespaceSpec> {
  return Object.fromEntries(
    NAMESPACE_PURPOSES.map((purpose) => {
      const entry = config.namespaces[purpose];
      return [purpose, { name: entry.name ?? purpose, purpose, podSecurity: entry.podSecurity ?? DEFAULT_POD_SECURITY[purpose] }];
    }),
  ) as Record<NamespacePurpose, NamespaceSpec>;
}

export function appNamespaces(config: ClusterConfig): NamespaceSpec[] {
  return Object.entries(config.appNamespaces).map(([name, entry]) => ({ name, purpose: "app", podSecurity: entry.podSecurity }));
}

/** Labels of a namespace: PSA enforce/audit/warn pinned to the Kubernetes minor, plus strata's own. */
export function namespaceLabels(spec: NamespaceSpec): Record<string, string> {
  const version = `v${KUBERNETES_VERSION}`;
  return {
    ...strataLabels(spec.name, "namespace"),
    "strata.io/purpose": spec.purpose,
    "pod-security.kubernetes.io/enforce": spec.podSecurity,
    "pod-security.kubernetes.io/enforce-version": version,
    "pod-security.kubernetes.io/audit": "restricted",
    "pod-security.kubernetes.io/audit-version": version,
    "pod-security.kubernetes.io/warn": "restricted",
    "pod-security.kubernetes.io/warn-version": version,
  };
}
