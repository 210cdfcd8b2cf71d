/**
 * A route's hosts beyond `route.host`, its path rewrite and its redirects
 * (`strata:apps.services.<name>.route.{hosts,rewrite,redirects}`), and the checks across services:
 * no two routes claim one host and path prefix, and every host is on the gateway's certificates.
 */
import { z } from "zod";
import { dnsSubdomain, strictObject } from "../common";
import { describeValue } from "../errors";

const pathPrefix = z.string().regex(/^\/\S*$/, { error: "must be an absolute path prefix such as /" });

export const routeHosts = z
  .array(dnsSubdomain())
  .default([])
  .describe("More host names the same route serves beside `host` (each on the gateway's domains and, for an ACME domain, its certificate). Default: `host` only.");

export const routeRewrite = strictObject({
  pathPrefix: pathPrefix.optional().describe("Replaces the matched path prefix before the request reaches the service, e.g. `/` so `/api/users` under `paths: [/api]` arrives as `/users`. Default: the path as sent."),
  hostname: dnsSubdomain().optional().describe("Host header the service receives. Default: the host as sent."),
}).describe("Rewrite requests on their way to the service (HTTPRoute URLRewrite filter). Default: none.");
export type RouteRewrite = z.infer<typeof routeRewrite>;

export const routeRedirect = strictObject({
  from: dnsSubdomain().describe("Host whose requests are redirected, e.g. the apex `platform.com`."),
  to: dnsSubdomain().optional().describe("Host the client is sent to, path and query kept. Default: the route's `host`."),
  statusCode: z
    .union([z.literal(301), z.literal(302), z.literal(308)])
    .default(301)
    .describe("301 (permanent, the default), 302 (temporary) or 308 (permanent, method kept)."),
});
export type RouteRedirect = z.infer<typeof routeRedirect>;

export const routeRedirects = z
  .array(routeRedirect)
  .default([])
  .describe("Hosts answered with a redirect instead of the service, e.g. `[{ from: platform.com }]` to send the apex to `host` www.platform.com (an HTTPRoute `<name>-redirect-<n>` with a RequestRedirect filter). Default: none.");

/** What the checks read of a route. */
export interface RouteHostsLike {
  readonly host: string;
  readonly hosts: readonly string[];
  readonly paths: readonly string[];
  readonly redirects: readonly RouteRedirect[];
}

/** Every host the route serves with the service: `host` first, then `hosts`. */
export function servedHosts(route: Pick<RouteHostsLike, "host" | "hosts">): string[] {
  return [...new Set([route.host, ...route.hosts])];
}

/** Every host the route answers on the gateway: its served hosts and its redirects' `from`. */
export function routeHostnames(route: RouteHostsLike): string[] {
  return [...servedHosts(route), ...route.redirects.map((r) => r.from)];
}

/** Problems of `<key>.route` among its own hosts and redirects. */
export function routeHostProblems(key: string, route: RouteHostsLike): string[] {
  const at = `${key}.route`;
  const problems: string[] = [];
  const served = servedHosts(route);
  route.hosts.forEach((host, i) => {
    if (host === route.host || route.hosts.indexOf(host) !== i) problems.push(`${at}.hosts[${i}]: is served twice (got ${describeValue(host)}); list each host once, beside ${at}.host`);
  });
  route.redirects.forEach((redirect, i) => {
    const to = redirect.to ?? route.host;
    if (served.includes(redirect.from)) problems.push(`${at}.redirects[${i}].from: is a host the route serves (got ${describeValue(redirect.from)}); remove it from ${at}.host/hosts or from the redirects`);
    else if (to === redirect.from) problems.push(`${at}.redirects[${i}].to: redirects ${redirect.from} to itself (got ${describeValue(to)}); send it to another host such as ${route.host}`);
    if (route.redirects.findIndex((r) => r.from === redirect.from) !== i) problems.push(`${at}.redirects[${i}].from: is redirected twice (got ${describeValue(redirect.from)}); keep one redirect per host`);
  });
  return problems;
}

/**
 * Two services claiming one host and path prefix: the Gateway would merge them and send each
 * request to whichever route Envoy Gateway ranks first, silently. A redirect claims its whole host.
 */
export function routeConflictProblems(routes: readonly { readonly name: string; readonly route: RouteHostsLike }[]): string[] {
  const claimed = new Map<string, string>();
  const problems: string[] = [];
  for (const { name, route } of routes) {
    const claims = [...servedHosts(route).flatMap((host) => route.paths.map((p) => [host, p] as const)), ...route.redirects.map((r) => [r.from, "/"] as const)];
    for (const [host, path] of claims) {
      const claim = `${host}${path}`;
      const owner = claimed.get(claim);
      if (owner !== undefined && owner !== name) {
        problems.push(
          `strata:apps.services.${name}.route: claims host ${host} and path ${path}, which strata:apps.services.${owner}.route already routes (got ${describeValue(claim)}); give one of them another host or path prefix`,
        );
      } else claimed.set(claim, name);
    }
  }
  return problems;
}
