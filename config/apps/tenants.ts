/**
 * `strata:apps.tenants.<id>`: one tenant of a multi-tenant system, as the user writes it. Each
 * tenant gets the namespace `tenant-<id>` (created by the apps layer) with Pod Security
 * `restricted`, a ResourceQuota, a LimitRange and NetworkPolicies that keep it apart from every
 * other tenant. Its workloads are ordinary `strata:apps.services` entries whose `namespace` is
 * `tenant-<id>`.
 */
import { z } from "zod";
import { PLATFORM_SERVICES } from "./service";
import { guardRailIssues, limitsConfig, quotaConfig } from "../cluster/backends";
import { dnsLabel, labelKey, labelValue, strictObject } from "../common";

/** Namespace names of tenants start with this; the rest is the tenant id. */
export const TENANT_NAMESPACE_PREFIX = "tenant-";
/** Longest tenant id: `tenant-<id>` must still be a 63-character DNS label. */
export const TENANT_ID_MAX_LENGTH = 63 - TENANT_NAMESPACE_PREFIX.length;

/** The namespace of a tenant. */
export function tenantNamespace(id: string): string {
  return `${TENANT_NAMESPACE_PREFIX}${id}`;
}

/** The seed's `security-level` namespace label values. */
export const SECURITY_LEVELS = ["low", "medium", "high"] as const;

/** Labels strata sets itself on a tenant namespace; `labels` may not override them. */
export const RESERVED_TENANT_LABELS = ["tenant-id", "strata.io/tenant", "strata.io/purpose", "security-level"] as const;

export const TenantConfig = strictObject({
  labels: z.record(labelKey, labelValue).default({}).describe("Extra labels on the tenant namespace (the seed's `environment`, `team`)."),
  securityLevel: z.enum(SECURITY_LEVELS).default("high").describe("Value of the namespace's `security-level` label (the seed's convention)."),
  quota: quotaConfig.prefault({}).describe("ResourceQuota of the tenant namespace; must hold its services at their most replicas."),
  limits: limitsConfig.prefault({}).describe("LimitRange defaults and maxima for the tenant's containers."),
  uses: z
    .array(z.enum(PLATFORM_SERVICES))
    .default([])
    .describe("Platform data services pods of the tenant namespace may reach; the `uses` of the tenant's services must be among them."),
  callers: z
    .array(dnsLabel())
    .default([])
    .describe("Apps outside tenant namespaces (keys of strata:apps.services) that may call every service of the tenant on its HTTP port."),
}).superRefine((tenant, ctx) => {
  guardRailIssues(tenant.quota, tenant.limits, [], ctx);
  for (const key of Object.keys(tenant.labels)) {
    if ((RESERVED_TENANT_LABELS as readonly string[]).includes(key)) {
      ctx.addIssue({ code: "custom", path: ["labels", key], message: `is set by strata; remove it (use securityLevel for security-level)` });
    }
  }
});
export type TenantSpec = z.infer<typeof TenantConfig>;

/** `strata:apps.tenants`: tenants keyed by id (the namespace is `tenant-<id>`). */
export const TenantsConfig = z.record(dnsLabel(TENANT_ID_MAX_LENGTH), TenantConfig);
