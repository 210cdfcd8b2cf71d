/**
 * When the cluster or platform layer comes from another stack, `buildApps` checks the contracts it
 * receives before declaring anything: a used service without an endpoint, a host no gateway
 * listener serves and a namespace the cluster lacks fail with the key, the value and the fix.
 */
import { expect } from "chai";
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { buildApps } from "../../apps";
import { AppsConfig } from "../../config/apps";
import { ConfigError } from "../../config/errors";
import type { ClusterOutputs, InfraOutputs, PlatformOutputs } from "../../lib/contracts";

const none = () => ({ nodeSelector: {}, tolerations: [] });
const cluster = (gateway: boolean): ClusterOutputs => ({
  provider: {} as k8s.Provider,
  namespaces: { gateway: "gateway", operators: "operators", data: "data", monitoring: "monitoring", backup: "velero", apps: ["apps"] },
  storageClasses: {},
  issuers: {},
  placementFor: none,
  placementForPool: none,
  ...(gateway ? { gateway: { name: "strata", namespace: "gateway", domain: "example.com", address: pulumi.output("10.0.0.1"), listeners: { "example.com": ["https-example-com", "https-wildcard-example-com"] } } } : {}),
});
const platform: PlatformOutputs = { endpoints: {}, observability: {}, secretStores: {}, reloaderAnnotation: "secret.reloader.stakater.com/reload" };
const service = (extra: Record<string, unknown>) => ({
  image: "ghcr.io/acme/api:1.4.2",
  port: 8080,
  resources: { cpuMillis: 100, memoryMi: 128, limitMemoryMi: 256 },
  ...extra,
});

function problemsOf(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error("accepted");
}

describe("apps layer: checks against the contracts it receives", () => {
  it("names the key, the missing endpoint, the unserved host and the unknown namespace, all at once", () => {
    const config = AppsConfig.parse({ services: { api: service({ uses: ["redis"], route: { host: "api.other.org" }, namespace: "shop" }) } });
    expect(problemsOf(() => buildApps(config, cluster(true), platform))).to.deep.equal([
      'strata:apps.services.api.uses[0]: the platform contract has no redis endpoint (got "redis"); enable strata:platform.redis.enabled in the platform stack',
      'strata:apps.services.api.namespace: is not an app namespace of the cluster (got "shop"); use one of apps',
      'strata:apps.services.api.route.host: no listener of the cluster\'s gateway serves it (got "api.other.org"); use a domain of strata:cluster.gateway.domains or one label under it',
    ]);
  });

  it("rejects a route when the cluster has no gateway", () => {
    const config = AppsConfig.parse({ services: { web: service({ route: { host: "example.com" } }) } });
    expect(problemsOf(() => buildApps(config, cluster(false), platform))).to.deep.equal([
      'strata:apps.services.web.route.host: no listener of the cluster\'s gateway serves it (got "example.com"); use a domain of strata:cluster.gateway.domains or one label under it',
    ]);
  });

  it("rejects a tenant whose namespace the cluster already has, or whose platform service the contract lacks", () => {
    const withTenantApps = { ...cluster(false), namespaces: { ...cluster(false).namespaces, apps: ["apps", "tenant-acme"] } };
    const config = AppsConfig.parse({ tenants: { acme: { uses: ["postgres"] } } });
    // Tenants pin Pod Security to the cluster's minor, which the infra contract carries.
    const infra = { kubernetesVersion: "1.35" } as unknown as InfraOutputs;
    expect(problemsOf(() => buildApps(config, withTenantApps, platform, infra))).to.deep.equal([
      'strata:apps.tenants.acme: its namespace is also a namespace of the cluster (got "tenant-acme"); rename the tenant',
      'strata:apps.tenants.acme.uses[0]: the platform contract has no postgres endpoint (got "postgres"); enable strata:platform.postgres.enabled in the platform stack',
    ]);
  });

  it("builds nothing and returns no apps for an empty slice", () => {
    expect(buildApps(AppsConfig.parse({}), cluster(false), platform)).to.deep.equal({ apps: {} });
  });
});
