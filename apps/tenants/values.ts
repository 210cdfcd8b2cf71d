/**
 * Pure: the objects of one tenant namespace. The namespace carries the seed's labels
 * (`tenant-id`, `team`, `security-level`) and Pod Security `restricted`; its quota and container
 * limits use the cluster layer's builders for app namespaces; its NetworkPolicies deny by default
 * and allow DNS and the platform services the tenant uses. Everything else a tenant pod may do is
 * opened per service by the service's own NetworkPolicy (gateway, callers, monitoring on the
 * metrics port, callees), so no rule ever names another tenant.
 */
import type * as pulumi from "@pulumi/pulumi";
import type * as k8sInput from "@pulumi/kubernetes/types/input";
import { tenantNamespace, type TenantSpec } from "../../config/apps/tenants";
import { containerLimits, quotaHard } from "../../cluster/guard-rails/values";
import { podSecurityVersion, standardLabels } from "../../lib/labels";

const NAMESPACE_LABEL = "kubernetes.io/metadata.name";
/** Pod Security level every tenant namespace enforces (and warns and audits at). */
export const TENANT_POD_SECURITY = "restricted";

/** A platform service a tenant reaches: its namespace and every port it publishes for clients. */
export interface ServicePort {
  readonly namespace: string;
  readonly ports: readonly pulumi.Input<number>[];
}

/**
 * Namespace labels. The Pod Security version is the cluster's minor (`kubernetesVersion`, from
 * the infra contract, this stack's or the upstream one's), as on every namespace the cluster
 * layer creates: `latest` would apply a newer release's rules on the next control-plane upgrade.
 */
export function tenantNamespaceLabels(id: string, tenant: TenantSpec, kubernetesVersion: string): Record<string, string> {
  const version = podSecurityVersion(kubernetesVersion);
  return {
    team: "tenant",
    ...tenant.labels,
    ...standardLabels({ name: tenantNamespace(id), component: "tenant" }),
    "strata.io/purpose": "tenant",
    "strata.io/tenant": id,
    "tenant-id": id,
    "security-level": tenant.securityLevel,
    "pod-security.kubernetes.io/enforce": TENANT_POD_SECURITY,
    "pod-security.kubernetes.io/enforce-version": version,
    "pod-security.kubernetes.io/warn": TENANT_POD_SECURITY,
    "pod-security.kubernetes.io/warn-version": version,
    "pod-security.kubernetes.io/audit": TENANT_POD_SECURITY,
    "pod-security.kubernetes.io/audit-version": version,
  };
}

/** ResourceQuota and LimitRange specs (the cluster layer's builders for app namespaces). */
export function tenantGuardRails(tenant: TenantSpec) {
  return { quota: { hard: quotaHard(tenant.quota) }, limitRange: { limits: [containerLimits(tenant.limits)] } };
}

/** A NetworkPolicy object: name, namespace and spec. */
export interface PolicyManifest {
  readonly metadata: { readonly name: string; readonly namespace: string; readonly labels: Record<string, string> };
  readonly spec: k8sInput.networking.v1.NetworkPolicySpec;
}

const manifest = (namespace: string, name: string, spec: k8sInput.networking.v1.NetworkPolicySpec): PolicyManifest => ({
  metadata: { name, namespace, labels: standardLabels({ name, component: "network-policy" }) },
  spec,
});
const namespacePeer = (namespace: string) => ({ namespaceSelector: { matchLabels: { [NAMESPACE_LABEL]: namespace } } });

/** Inputs of the tenant's NetworkPolicies. */
export interface TenantPoliciesInput {
  readonly id: string;
  /** Platform services the tenant uses (`tenant.uses` resolved through the platform contract). */
  readonly uses: readonly ServicePort[];
  /** Namespace Prometheus runs in; absent when the cluster has none. */
  readonly monitoringNamespace?: string;
  /** Metrics ports of the tenant's services (Prometheus's egress to the tenant opens only these). */
  readonly metricsPorts: readonly number[];
}

/**
 * The tenant's own policies (default-deny, DNS, its platform services) and, in the monitoring
 * namespace, Prometheus's egress to the tenant's metrics ports: the cluster layer opens the
 * monitoring namespace only to the namespaces it knows.
 */
export function tenantNetworkPolicies(input: TenantPoliciesInput): PolicyManifest[] {
  const namespace = tenantNamespace(input.id);
  const policies = [
    manifest(namespace, "default-deny", { podSelector: {}, policyTypes: ["Ingress", "Egress"] }),
    manifest(namespace, "allow-dns", {
      podSelector: {},
      policyTypes: ["Egress"],
      egress: [
        {
          to: [{ namespaceSelector: { matchLabels: { [NAMESPACE_LABEL]: "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
          ports: [
            { protocol: "UDP", port: 53 },
            { protocol: "TCP", port: 53 },
          ],
        },
      ],
    }),
  ];
  if (input.uses.length > 0) {
    policies.push(
      manifest(namespace, "allow-platform-services", {
        podSelector: {},
        policyTypes: ["Egress"],
        egress: input.uses.map((target) => ({ to: [namespacePeer(target.namespace)], ports: target.ports.map((port) => ({ protocol: "TCP", port })) })),
      }),
    );
  }
  const metricsPorts = [...new Set(input.metricsPorts)].sort((a, b) => a - b);
  if (input.monitoringNamespace !== undefined && metricsPorts.length > 0) {
    policies.push(
      manifest(input.monitoringNamespace, `allow-scrape-${namespace}`, {
        podSelector: {},
        policyTypes: ["Egress"],
        egress: [{ to: [namespacePeer(namespace)], ports: metricsPorts.map((port) => ({ protocol: "TCP", port })) }],
      }),
    );
  }
  return policies;
}
