/**
 * Both directions between the gateway's certificates and the routes of one stack: every host an
 * ACME certificate is issued for is served by some route (an app's route, redirect or preview
 * host, or an observability UI), and every routed host is on a certificate (config/apps/checks.ts).
 * A name on the certificate that no route answers is a certificate for nothing: the multi-tenant
 * seed's `www` was one. A domain no app route of this stack uses is left alone: its app routes
 * are another stack's (a cluster and platform stack whose apps run downstream).
 */
import type { GatewayConfig } from "../cluster/gateway";
import { isAcme } from "../cluster/gateway";
import { accessDomain, type ObservabilityConfig, uiHosts } from "../platform/observability";
import { describeValue } from "../errors";
import type { AppsConfig } from "./";
import { routeHostnames } from "./route-hosts";

/** Every host the stack routes on the shared Gateway: the apps' and the observability UIs'. */
export function routedHosts(apps: AppsConfig, observability: ObservabilityConfig | undefined, domains: GatewayConfig["domains"]): { readonly apps: string[]; readonly uis: string[] } {
  const hosts = Object.values(apps.services).flatMap((spec) => {
    if (spec.route === undefined) return [];
    const preview = spec.release?.strategy === "blueGreen" ? spec.release.previewHost : undefined;
    return [...routeHostnames(spec.route), ...(preview === undefined ? [] : [preview])];
  });
  const uiDomain = observability?.access.enabled === true ? accessDomain(observability, domains) : undefined;
  const uis = observability === undefined || uiDomain === undefined ? [] : Object.values(uiHosts(observability)).map((label) => `${label}.${uiDomain}`);
  return { apps: hosts, uis };
}

/** Problems for each ACME certificate host no route serves. */
export function unservedCertificateHostProblems(gateway: GatewayConfig, hosts: { readonly apps: readonly string[]; readonly uis: readonly string[] }): string[] {
  if (!gateway.enabled) return [];
  const routed = [...hosts.apps, ...hosts.uis];
  const hostOf = (domain: string, label: string) => (label === "@" ? domain : `${label}.${domain}`);
  return Object.entries(gateway.domains).flatMap(([domain, entry]) =>
    isAcme(entry.issuer) && entry.hosts.some((label) => hosts.apps.includes(hostOf(domain, label)))
      ? entry.hosts.flatMap((label, i) => {
          const host = hostOf(domain, label);
          return routed.includes(host)
            ? []
            : [
                `strata:cluster.gateway.domains.${domain}.hosts[${i}]: no route serves ${host} (got ${describeValue(label)}); add it to a service's route.host, route.hosts or route.redirects, or remove it from the certificate`,
              ];
        })
      : [],
  );
}
