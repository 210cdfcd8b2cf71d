/**
 * The apps layer: one `AppService` per `strata:apps.services` entry, placed and wired through
 * the cluster and platform contracts. Returns each app's in-cluster and public URL.
 */
import { domainOf } from "../config/apps-checks";
import type { AppsConfig } from "../config/apps";
import type { PlatformService } from "../config/apps-service";
import { OBJECT_STORE_USE } from "../config/apps-runtime";
import { ConfigError } from "../config/errors";
import type { AppsOutputs, AppUrls, ClusterOutputs, Endpoint, InfraOutputs, PlatformOutputs } from "../lib/contracts";
import { appRuntime } from "./runtime-contract";
import { listenerFor, type RouteGateway } from "./service/exposure";
import { AppService } from "./service";

export function buildApps(config: AppsConfig, cluster: ClusterOutputs, platform: PlatformOutputs, infra?: InfraOutputs): AppsOutputs {
  const problems: string[] = [];
  const apps: Record<string, AppUrls> = {};
  const services = Object.entries(config.services);
  const built: [string, () => AppService][] = [];
  for (const [name, spec] of services) {
    const key = `strata:apps.services.${name}`;
    const endpoints: Partial<Record<PlatformService, Endpoint>> = {};
    spec.uses.forEach((service, i) => {
      if (service === OBJECT_STORE_USE) return;
      const endpoint = platform.endpoints[service];
      if (endpoint === undefined) problems.push(`${key}.uses[${i}]: the platform contract has no ${service} endpoint (got "${service}"); enable strata:platform.${service}.enabled in the platform stack`);
      else endpoints[service] = endpoint;
    });
    if (!cluster.namespaces.apps.includes(spec.namespace)) {
      problems.push(`${key}.namespace: is not an app namespace of the cluster (got "${spec.namespace}"); use one of ${cluster.namespaces.apps.join(", ")}`);
    }
    let gateway: RouteGateway | undefined;
    if (spec.route !== undefined) {
      const ref = cluster.gateway;
      const domain = ref === undefined ? undefined : domainOf(spec.route.host, Object.keys(ref.listeners ?? {}));
      const sectionName = ref === undefined || domain === undefined ? undefined : listenerFor(spec.route.host, domain, ref.listeners?.[domain] ?? []);
      if (ref === undefined || sectionName === undefined) {
        problems.push(`${key}.route.host: no listener of the cluster's gateway serves it (got "${spec.route.host}"); use a domain of strata:cluster.gateway.domains or one label under it`);
      } else {
        gateway = { name: ref.name, namespace: ref.namespace, sectionName };
      }
    }
    const allowed = spec.callers.map((caller) => ({ namespace: config.services[caller]?.namespace ?? spec.namespace, app: caller }));
    const calls = services.filter(([, other]) => other.callers.includes(name)).map(([callee, other]) => ({ namespace: other.namespace, app: callee, port: other.port }));
    const runtime = appRuntime(key, spec, platform, infra, problems);
    const placement = spec.pool === undefined ? cluster.placementFor(spec.role) : cluster.placementForPool(spec.pool);
    built.push([
      name,
      () =>
        new AppService(name, {
          spec,
          provider: cluster.provider,
          placement,
          endpoints,
          callers: allowed,
          calls,
          ...(gateway === undefined ? {} : { gateway }),
          monitoringNamespace: cluster.namespaces.monitoring,
          serviceMonitor: config.serviceMonitors,
          ...(platform.monitoringCrds === undefined ? {} : { monitoringCrds: platform.monitoringCrds }),
          runtime,
        }),
    ]);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  for (const [name, build] of built) {
    const app = build();
    apps[name] = { internalUrl: app.internalUrl, ...(app.publicUrl === undefined ? {} : { publicUrl: app.publicUrl }) };
  }
  return { apps };
}
