/**
 * Bad `strata:apps.tenants` input, and tenant services that would break out of their tenant, are
 * rejected while config is parsed; each case asserts the exact text.
 */
import { expect } from "chai";
import { parseConfig, type RawConfig } from "../../config/schema";
import { validRaw } from "../config/valid-config";
import { problemsOf } from "../config/problems";

const SERVICE = {
  image: "ghcr.io/acme/tenant-api:1.0.0",
  port: 3000,
  resources: { cpuMillis: 100, memoryMi: 256, limitCpuMillis: 500, limitMemoryMi: 512 },
};

/**
 * Two tenants (acme, globex) with one service each, a shared `gateway` app in the `apps`
 * namespace that both tenants admit, and a platform with MySQL and Redis.
 */
function withTenants(change: { tenants?: Record<string, unknown>; services?: Record<string, unknown>; cluster?: Record<string, unknown> } = {}): RawConfig {
  return {
    ...validRaw(),
    platform: { mysql: { enabled: true }, redis: { enabled: true, hardAntiAffinity: false } },
    cluster: { existing: { storageClasses: { default: "standard", database: "fast" } }, ...change.cluster },
    apps: {
      tenants: {
        acme: { uses: ["mysql"], callers: ["gateway"] },
        globex: { uses: ["mysql", "redis"], callers: ["gateway"] },
        ...change.tenants,
      },
      services: {
        gateway: { ...SERVICE, image: "ghcr.io/acme/gateway:1.0.0" },
        "acme-api": { ...SERVICE, namespace: "tenant-acme", uses: ["mysql"] },
        "globex-api": { ...SERVICE, namespace: "tenant-globex", uses: ["mysql", "redis"] },
        ...change.services,
      },
    },
  };
}

const T = "strata:apps.tenants.acme";
const S = "strata:apps.services.acme-api";
const ACME_API = { ...SERVICE, namespace: "tenant-acme", uses: ["mysql"] };

const CASES: readonly [string, RawConfig, string][] = [
  [
    "a tenant namespace that is also an app namespace",
    withTenants({ cluster: { appNamespaces: { apps: {}, "tenant-acme": {} } } }),
    `${T}: its namespace is also an app namespace (got "tenant-acme"); rename the tenant or remove tenant-acme from strata:cluster.appNamespaces`,
  ],
  [
    "a CPU quota below the services' requests at their most replicas",
    withTenants({ tenants: { acme: { uses: ["mysql"], quota: { requestsCpuMillis: 500 } } }, services: { "acme-api": { ...ACME_API, autoscaling: { minReplicas: 2, maxReplicas: 8, cpuPercent: 70 } } } }),
    `${T}.quota.requestsCpuMillis: is below what its services need at their most replicas (got 500); use 800 or more (acme-api 8 × 100m)`,
  ],
  [
    "a memory-limit quota below the services' limits",
    withTenants({ tenants: { acme: { uses: ["mysql"], quota: { requestsMemoryGi: 2, limitsMemoryGi: 2 } } }, services: { "acme-api": { ...ACME_API, replicas: 6 } } }),
    `${T}.quota.limitsMemoryGi: is below what its services need at their most replicas (got 2); use 3 or more (acme-api 6 × 512Mi)`,
  ],
  [
    "a pod quota below the services' most replicas",
    withTenants({ tenants: { acme: { uses: ["mysql"], quota: { pods: 3 } } }, services: { "acme-api": { ...ACME_API, replicas: 4 } } }),
    `${T}.quota.pods: is below what its services need at their most replicas (got 3); use 4 or more (acme-api 4 × 1 pod)`,
  ],
  [
    "a CPU-limit quota counting the LimitRange default for services without a CPU limit",
    withTenants({
      tenants: { acme: { uses: ["mysql"], quota: { requestsCpuMillis: 1000, limitsCpuMillis: 1000 }, limits: { defaultCpuMillis: 400 } } },
      services: { "acme-api": { ...ACME_API, replicas: 3, resources: { cpuMillis: 100, memoryMi: 256, limitMemoryMi: 512 } } },
    }),
    `${T}.quota.limitsCpuMillis: is below what its services need at their most replicas (got 1000); use 1200 or more (acme-api 3 × 400m)`,
  ],
  [
    "a tenant using a disabled platform service",
    withTenants({ tenants: { acme: { uses: ["mysql", "postgres"] } } }),
    `${T}.uses[1]: strata:platform.postgres is not enabled (got "postgres"); set strata:platform.postgres.enabled to true or remove postgres from ${T}.uses`,
  ],
  [
    "a tenant service using a platform service its tenant does not",
    withTenants({ services: { "acme-api": { ...ACME_API, uses: ["mysql", "redis"] } } }),
    `${S}.uses[1]: tenant acme does not use redis (got "redis"); add redis to ${T}.uses`,
  ],
  [
    "a tenant caller that is not a service",
    withTenants({ tenants: { acme: { uses: ["mysql"], callers: ["portal"] } } }),
    `${T}.callers[0]: is not a service of strata:apps.services (got "portal"); use one of gateway`,
  ],
  [
    "a tenant caller in another tenant's namespace",
    withTenants({ tenants: { acme: { uses: ["mysql"], callers: ["globex-api"] } } }),
    `${T}.callers[0]: runs in the tenant namespace tenant-globex, and tenants never reach each other (got "globex-api"); name an app outside tenant namespaces: gateway`,
  ],
  [
    "a service admitting a caller of another tenant",
    withTenants({ services: { "acme-api": { ...ACME_API, callers: ["globex-api"] } } }),
    `${S}.callers[0]: runs in tenant globex's namespace, and tenants never reach each other (got "globex-api"); call it from tenant acme's services or from an app namespace`,
  ],
  [
    "a service in the namespace of a tenant that does not exist",
    withTenants({ services: { "initech-api": { ...SERVICE, namespace: "tenant-initech" } } }),
    `strata:apps.services.initech-api.namespace: is not the namespace of a tenant (got "tenant-initech"); add initech to strata:apps.tenants or use one of tenant-acme, tenant-globex`,
  ],
  [
    "a tenant service with a route on the shared Gateway",
    withTenants({
      cluster: { gateway: { domains: { "example.com": { issuer: "internal" } } } },
      services: { "acme-api": { ...ACME_API, route: { host: "acme.example.com" } } },
    }),
    `${S}.route: the shared Gateway admits routes from strata:cluster.appNamespaces only, not from tenant namespaces (got "acme.example.com"); route to an app in an app namespace and list it in ${T}.callers`,
  ],
  [
    "a tenant service whose memory limit is above the tenant's container maximum",
    withTenants({ tenants: { acme: { uses: ["mysql"], limits: { maxMemoryMi: 256, defaultMemoryMi: 256 } } } }),
    `${S}.resources.limitMemoryMi: exceeds ${T}.limits.maxMemoryMi (got 512); use 256 or less, or raise the tenant's maximum`,
  ],
  [
    "a tenant service whose CPU limit is above the tenant's container maximum",
    withTenants({ tenants: { acme: { uses: ["mysql"], limits: { maxCpuMillis: 400, defaultCpuMillis: 400 } } } }),
    `${S}.resources.limitCpuMillis: exceeds ${T}.limits.maxCpuMillis (got 500); use 400 or less, or raise the tenant's maximum`,
  ],
  [
    "a tenant service requesting more CPU than the default limit it would get",
    withTenants({ services: { "acme-api": { ...ACME_API, resources: { cpuMillis: 800, memoryMi: 256, limitMemoryMi: 512 } } } }),
    `${S}.resources.cpuMillis: exceeds the CPU limit ${T}.limits.defaultCpuMillis gives a container without limitCpuMillis (got 800); set limitCpuMillis or raise the tenant's defaultCpuMillis to 800`,
  ],
  [
    "a tenant label strata sets itself",
    withTenants({ tenants: { acme: { uses: ["mysql"], callers: ["gateway"], labels: { "tenant-id": "other" } } } }),
    `${T}.labels.tenant-id: is set by strata; remove it (use securityLevel for security-level) (got "other")`,
  ],
  [
    "a tenant id too long for its namespace",
    withTenants({ tenants: { ["a".repeat(57)]: {} } }),
    `strata:apps.tenants.${"a".repeat(57)}: must be at most 56 characters (got "${"a".repeat(57)}")`,
  ],
  [
    "tenant quota requests above its limits",
    withTenants({ tenants: { acme: { uses: ["mysql"], callers: ["gateway"], quota: { requestsCpuMillis: 8000, limitsCpuMillis: 4000 } } } }),
    `${T}.quota.requestsCpuMillis: exceeds quota.limitsCpuMillis (4000); lower it or raise quota.limitsCpuMillis (got 8000)`,
  ],
  ["an unknown security level", withTenants({ tenants: { acme: { uses: ["mysql"], securityLevel: "extreme" } } }), `${T}.securityLevel: must be one of "low", "medium", "high" (got "extreme")`],
  [
    "an unknown tenant key",
    withTenants({ tenants: { acme: { uses: ["mysql"], namespace: "acme" } } }),
    `${T}.namespace: unknown key; allowed keys: callers, labels, limits, quota, securityLevel, uses (got "namespace")`,
  ],
];

describe("strata:apps.tenants bad config", () => {
  for (const [title, raw, message] of CASES) {
    it(`rejects ${title}`, () => {
      expect(problemsOf(raw)).to.deep.equal([message]);
    });
  }

  it("accepts two tenants with their services, quotas and platform services", () => {
    const config = parseConfig(withTenants());
    expect(Object.keys(config.apps.tenants)).to.deep.equal(["acme", "globex"]);
    expect(config.apps.tenants["acme"]?.securityLevel).to.equal("high");
    expect(config.apps.tenants["acme"]?.quota.pods).to.equal(100);
  });

  it("checks tenant namespaces against app namespaces only where this stack owns the cluster layer", () => {
    const raw = { ...withTenants({ cluster: { appNamespaces: { "tenant-acme": {} } } }), layers: ["apps"], upstreamStack: "platform-prod", infra: undefined, cluster: undefined, platform: undefined };
    expect(Object.keys(parseConfig(raw).apps.tenants)).to.deep.equal(["acme", "globex"]);
  });
});
