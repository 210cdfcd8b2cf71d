/**
 * `Tenant`: the namespace `tenant-<id>` of one tenant with its Pod Security labels, ResourceQuota,
 * LimitRange and the NetworkPolicies that keep it apart from every other tenant. The tenant's
 * services are `AppService`s in that namespace, declared after it.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { tenantNamespace, type TenantSpec } from "../../config/apps/tenants";
import { standardLabels } from "../../lib/labels";
import { AMBIENT_LABEL, peerAuthenticationManifest } from "../../lib/mesh";
import { tenantGuardRails, tenantNamespaceLabels, tenantNetworkPolicies, type ServicePort } from "./values";

export interface TenantArgs {
  /** The tenant id (key of `strata:apps.tenants`). */
  readonly id: string;
  /** The tenant as configured under `strata:apps.tenants.<id>`. */
  readonly spec: TenantSpec;
  /** Kubernetes version the cluster runs; the Pod Security labels pin its minor. */
  readonly kubernetesVersion: string;
  readonly provider: k8s.Provider;
  /** Platform services in `spec.uses`, resolved through the platform contract. */
  readonly uses: readonly ServicePort[];
  /** Namespace Prometheus runs in. @default - no scrape policy */
  readonly monitoringNamespace?: string;
  /** Metrics ports of the tenant's services. @default [] */
  readonly metricsPorts?: readonly number[];
  /** The Istio ambient mesh's mTLS mode, when the cluster runs it: the namespace joins the mesh. @default - not meshed */
  readonly meshMtls?: "strict" | "permissive";
}

export class Tenant extends pulumi.ComponentResource {
  /** `tenant-<id>`. */
  public readonly namespace: string;

  /** `name` is conventionally the namespace, `tenant-<id>`. */
  constructor(name: string, args: TenantArgs, opts?: pulumi.ComponentResourceOptions) {
    super("strata:apps:Tenant", name, {}, opts);
    const { id } = args;
    const child = { parent: this, provider: args.provider };
    this.namespace = tenantNamespace(id);
    const namespace = new k8s.core.v1.Namespace(`${name}-namespace`, { metadata: { name: this.namespace, labels: { ...tenantNamespaceLabels(id, args.spec, args.kubernetesVersion), ...(args.meshMtls === undefined ? {} : AMBIENT_LABEL) } } }, child);
    const scoped = { ...child, dependsOn: [namespace] };
    if (args.meshMtls !== undefined) {
      new k8s.apiextensions.CustomResource(`${name}-mtls`, peerAuthenticationManifest(this.namespace, args.meshMtls === "strict" ? "STRICT" : "PERMISSIVE"), scoped);
    }
    const rails = tenantGuardRails(args.spec);
    new k8s.core.v1.ResourceQuota(
      `${name}-quota`,
      { metadata: { name: "strata-quota", namespace: this.namespace, labels: standardLabels({ name: "strata-quota", component: "guard-rails" }) }, spec: rails.quota },
      scoped,
    );
    new k8s.core.v1.LimitRange(
      `${name}-limits`,
      { metadata: { name: "strata-limits", namespace: this.namespace, labels: standardLabels({ name: "strata-limits", component: "guard-rails" }) }, spec: rails.limitRange },
      scoped,
    );
    const policies = tenantNetworkPolicies({
      id,
      uses: args.uses,
      metricsPorts: args.metricsPorts ?? [],
      ...(args.monitoringNamespace === undefined ? {} : { monitoringNamespace: args.monitoringNamespace }),
    });
    for (const policy of policies) {
      const own = policy.metadata.namespace === this.namespace;
      new k8s.networking.v1.NetworkPolicy(`${name}-${own ? "" : `${policy.metadata.namespace}-`}${policy.metadata.name}`, policy, own ? scoped : child);
    }
    this.registerOutputs({ namespace: this.namespace });
  }
}
