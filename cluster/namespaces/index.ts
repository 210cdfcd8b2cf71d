/**
 * The namespaces strata owns, each with Pod Security Admission labels: `enforce` at the
 * namespace's level, `warn` and `audit` at `restricted` so anything short of it is visible.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterConfig, PodSecurityLevel } from "../../config/cluster";
import { NAMESPACE_PURPOSES, type NamespacePurpose } from "../../lib/contracts";
import { podSecurityVersion, standardLabels } from "../../lib/labels";
import { AMBIENT_LABEL } from "../../lib/mesh";

/** Pod Security level per platform namespace, by what runs there. */
export const POD_SECURITY_DEFAULTS: Record<NamespacePurpose, PodSecurityLevel> = {
  gateway: "restricted",
  operators: "baseline",
  data: "baseline",
  // node-exporter needs the host's network and PID namespaces.
  monitoring: "privileged",
  // Velero's node agent mounts host paths to back up volumes.
  backup: "privileged",
};

/** Default names; `backup` matches the service account the cloud identity is bound to. */
export const NAMESPACE_NAME_DEFAULTS: Record<NamespacePurpose, string> = {
  gateway: "gateway",
  operators: "operators",
  data: "data",
  monitoring: "monitoring",
  backup: "velero",
};

export interface NamespaceSpec {
  readonly name: string;
  /** `system` marks namespaces of backend add-ons (CNI, load balancer, CSI) outside the platform purposes. */
  readonly purpose: NamespacePurpose | "apps" | "system";
  readonly podSecurity: PodSecurityLevel;
}

/** Resolves names and levels for every namespace the config asks for. */
export function namespaceSpecs(config: ClusterConfig): NamespaceSpec[] {
  const platform = NAMESPACE_PURPOSES.map((purpose) => ({
    name: config.namespaces[purpose].name ?? NAMESPACE_NAME_DEFAULTS[purpose],
    purpose,
    podSecurity: config.namespaces[purpose].podSecurity ?? POD_SECURITY_DEFAULTS[purpose],
  }));
  const apps = Object.entries(config.appNamespaces).map(([name, ns]) => ({ name, purpose: "apps" as const, podSecurity: ns.podSecurity }));
  return [...platform, ...apps];
}

/** Labels for one namespace: standard labels, purpose, and Pod Security Admission. */
export function namespaceLabels(spec: NamespaceSpec, kubernetesVersion: string): Record<string, string> {
  const version = podSecurityVersion(kubernetesVersion);
  return {
    ...standardLabels({ name: spec.name, component: "namespace" }),
    "strata.io/purpose": spec.purpose,
    "pod-security.kubernetes.io/enforce": spec.podSecurity,
    "pod-security.kubernetes.io/enforce-version": version,
    "pod-security.kubernetes.io/warn": "restricted",
    "pod-security.kubernetes.io/warn-version": version,
    "pod-security.kubernetes.io/audit": "restricted",
    "pod-security.kubernetes.io/audit-version": version,
  };
}

export interface NamespacesArgs {
  readonly config: ClusterConfig;
  /** Kubernetes version the Pod Security levels are pinned to. */
  readonly kubernetesVersion: string;
  readonly provider: k8s.Provider;
  /** Protect the data namespace: deleting it deletes every volume claim in it. */
  readonly protectData: boolean;
  /** Namespaces of backend add-ons declared alongside (e.g. `tigera-operator`, privileged). @default [] */
  readonly extra?: readonly NamespaceSpec[];
  /** Namespaces that join the Istio ambient mesh (labelled `istio.io/dataplane-mode: ambient`). @default [] */
  readonly meshed?: readonly string[];
}

export class Namespaces extends pulumi.ComponentResource {
  public readonly names: Record<NamespacePurpose, string> & { apps: string[] };
  public readonly resources: Record<string, k8s.core.v1.Namespace>;

  constructor(name: string, args: NamespacesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("strata:cluster:Namespaces", name, {}, opts);
    const specs = [...namespaceSpecs(args.config), ...(args.extra ?? [])];
    this.resources = Object.fromEntries(
      specs.map((spec) => [
        spec.name,
        new k8s.core.v1.Namespace(
          `${name}-${spec.name}`,
          { metadata: { name: spec.name, labels: { ...namespaceLabels(spec, args.kubernetesVersion), ...((args.meshed ?? []).includes(spec.name) ? AMBIENT_LABEL : {}) } } },
          { parent: this, provider: args.provider, protect: spec.purpose === "data" && args.protectData },
        ),
      ]),
    );
    const byPurpose = Object.fromEntries(specs.filter((s) => s.purpose !== "apps" && s.purpose !== "system").map((s) => [s.purpose, s.name])) as Record<NamespacePurpose, string>;
    this.names = { ...byPurpose, apps: specs.filter((s) => s.purpose === "apps").map((s) => s.name) };
    this.registerOutputs({ names: this.names });
  }
}
