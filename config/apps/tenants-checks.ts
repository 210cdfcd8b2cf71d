/**
 * Checks of `strata:apps.tenants` that need the services (and, in a stack that owns them, the
 * cluster's app namespaces and the platform): every tenant namespace is its own, every tenant
 * service stays inside its tenant's quota, limits and platform services, and no service or
 * tenant opens a path from one tenant to another.
 */
import { type AppServiceSpec, isPlatformService } from "./service";
import { TENANT_NAMESPACE_PREFIX, tenantNamespace, type TenantSpec } from "./tenants";
import { describeValue } from "../errors";

/** What the tenants are checked against; a field is absent when another stack owns that layer. */
export interface TenantsContext {
  /** `enabled` per platform service, when this stack owns the platform layer. */
  readonly platform?: Readonly<Record<string, { readonly enabled: boolean } | undefined>>;
  /** App namespace names, when this stack owns the cluster layer. */
  readonly appNamespaces?: readonly string[];
}

/** The tenant id whose namespace this is, if any. */
export function tenantOf(namespace: string, tenants: Readonly<Record<string, TenantSpec>>): string | undefined {
  return Object.keys(tenants).find((id) => tenantNamespace(id) === namespace);
}

/** Most pods a service runs: the HPA maximum, or its fixed replicas. */
export function mostReplicas(spec: AppServiceSpec): number {
  return spec.autoscaling?.maxReplicas ?? spec.replicas;
}

/** What a tenant's services need of its ResourceQuota at their most replicas, per quota key. */
export function tenantDemand(tenant: TenantSpec, services: readonly [string, AppServiceSpec][]) {
  const sum = (f: (spec: AppServiceSpec) => number) => services.reduce((total, [, spec]) => total + mostReplicas(spec) * f(spec), 0);
  const each = (f: (spec: AppServiceSpec) => string) => services.map(([name, spec]) => `${name} ${mostReplicas(spec)} × ${f(spec)}`).join(", ");
  const limitCpu = (spec: AppServiceSpec) => spec.resources.limitCpuMillis ?? tenant.limits.defaultCpuMillis;
  return {
    requestsCpuMillis: { needed: sum((s) => s.resources.cpuMillis), detail: each((s) => `${s.resources.cpuMillis}m`) },
    requestsMemoryGi: { needed: Math.ceil(sum((s) => s.resources.memoryMi) / 1024), detail: each((s) => `${s.resources.memoryMi}Mi`) },
    limitsCpuMillis: { needed: sum(limitCpu), detail: each((s) => `${limitCpu(s)}m`) },
    limitsMemoryGi: { needed: Math.ceil(sum((s) => s.resources.limitMemoryMi) / 1024), detail: each((s) => `${s.resources.limitMemoryMi}Mi`) },
    pods: { needed: sum(() => 1), detail: each(() => "1 pod") },
  } as const;
}

/** Every problem of the tenants and of the services in tenant namespaces. */
export function tenantProblems(tenants: Readonly<Record<string, TenantSpec>>, services: Readonly<Record<string, AppServiceSpec>>, ctx: TenantsContext): string[] {
  const problems: string[] = [];
  const entries = Object.entries(services);
  const tenantIds = Object.keys(tenants);
  for (const [id, tenant] of Object.entries(tenants)) {
    const key = `strata:apps.tenants.${id}`;
    const namespace = tenantNamespace(id);
    if (ctx.appNamespaces?.includes(namespace) === true) {
      problems.push(`${key}: its namespace is also an app namespace (got ${describeValue(namespace)}); rename the tenant or remove ${namespace} from strata:cluster.appNamespaces`);
    }
    if (ctx.platform !== undefined) {
      tenant.uses.forEach((service, i) => {
        if (ctx.platform?.[service]?.enabled !== true) {
          problems.push(`${key}.uses[${i}]: strata:platform.${service} is not enabled (got ${describeValue(service)}); set strata:platform.${service}.enabled to true or remove ${service} from ${key}.uses`);
        }
      });
    }
    tenant.callers.forEach((caller, i) => {
      const callerSpec = services[caller];
      const outside = entries.filter(([, spec]) => tenantOf(spec.namespace, tenants) === undefined).map(([name]) => name);
      if (callerSpec === undefined) {
        problems.push(`${key}.callers[${i}]: is not a service of strata:apps.services (got ${describeValue(caller)}); use one of ${outside.join(", ") || "(none)"}`);
      } else if (tenantOf(callerSpec.namespace, tenants) !== undefined) {
        problems.push(
          `${key}.callers[${i}]: runs in the tenant namespace ${callerSpec.namespace}, and tenants never reach each other (got ${describeValue(caller)}); name an app outside tenant namespaces: ${outside.join(", ") || "(none)"}`,
        );
      }
    });
    const own = entries.filter(([, spec]) => spec.namespace === namespace);
    const demand = tenantDemand(tenant, own);
    for (const [quotaKey, { needed, detail }] of Object.entries(demand)) {
      const value = tenant.quota[quotaKey as keyof typeof demand];
      if (value < needed) problems.push(`${key}.quota.${quotaKey}: is below what its services need at their most replicas (got ${value}); use ${needed} or more (${detail})`);
    }
  }
  for (const [name, spec] of entries) {
    const key = `strata:apps.services.${name}`;
    const id = tenantOf(spec.namespace, tenants);
    if (id === undefined) {
      if (spec.namespace.startsWith(TENANT_NAMESPACE_PREFIX) && ctx.appNamespaces?.includes(spec.namespace) !== true) {
        const known = tenantIds.map(tenantNamespace).join(", ") || "(none: add one under strata:apps.tenants)";
        problems.push(`${key}.namespace: is not the namespace of a tenant (got ${describeValue(spec.namespace)}); add ${spec.namespace.slice(TENANT_NAMESPACE_PREFIX.length)} to strata:apps.tenants or use one of ${known}`);
      }
      continue;
    }
    problems.push(...tenantServiceProblems(key, spec, id, tenants, services));
  }
  return problems;
}

function tenantServiceProblems(key: string, spec: AppServiceSpec, id: string, tenants: Readonly<Record<string, TenantSpec>>, services: Readonly<Record<string, AppServiceSpec>>): string[] {
  const problems: string[] = [];
  const tenant = tenants[id] as TenantSpec;
  const tk = `strata:apps.tenants.${id}`;
  spec.uses.forEach((service, i) => {
    if (isPlatformService(service) && !tenant.uses.includes(service)) problems.push(`${key}.uses[${i}]: tenant ${id} does not use ${service} (got ${describeValue(service)}); add ${service} to ${tk}.uses`);
  });
  spec.callers.forEach((caller, i) => {
    const other = services[caller] === undefined ? undefined : tenantOf((services[caller]).namespace, tenants);
    if (other !== undefined && other !== id) {
      problems.push(`${key}.callers[${i}]: runs in tenant ${other}'s namespace, and tenants never reach each other (got ${describeValue(caller)}); call it from tenant ${id}'s services or from an app namespace`);
    }
  });
  if (spec.route !== undefined) {
    problems.push(
      `${key}.route: the shared Gateway admits routes from strata:cluster.appNamespaces only, not from tenant namespaces (got ${describeValue(spec.route.host)}); route to an app in an app namespace and list it in ${tk}.callers`,
    );
  }
  const { resources } = spec;
  if (resources.limitCpuMillis !== undefined && resources.limitCpuMillis > tenant.limits.maxCpuMillis) {
    problems.push(`${key}.resources.limitCpuMillis: exceeds ${tk}.limits.maxCpuMillis (got ${resources.limitCpuMillis}); use ${tenant.limits.maxCpuMillis} or less, or raise the tenant's maximum`);
  }
  if (resources.limitCpuMillis === undefined && resources.cpuMillis > tenant.limits.defaultCpuMillis) {
    problems.push(
      `${key}.resources.cpuMillis: exceeds the CPU limit ${tk}.limits.defaultCpuMillis gives a container without limitCpuMillis (got ${resources.cpuMillis}); set limitCpuMillis or raise the tenant's defaultCpuMillis to ${resources.cpuMillis}`,
    );
  }
  if (resources.limitMemoryMi > tenant.limits.maxMemoryMi) {
    problems.push(`${key}.resources.limitMemoryMi: exceeds ${tk}.limits.maxMemoryMi (got ${resources.limitMemoryMi}); use ${tenant.limits.maxMemoryMi} or less, or raise the tenant's maximum`);
  }
  return problems;
}
