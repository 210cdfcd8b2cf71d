/**
 * Pure: a service's HTTPRoute with its traffic features, and the Envoy Gateway policies attached
 * to it (gateway.envoyproxy.io/v1alpha1 v1.9).
 *
 * - Rules: one `http` rule for the route's paths (request timeout, security headers, cookie
 *   affinity, weighted backends) and, for WebSocket paths, a `websocket` rule with no request
 *   timeout; its idle limit comes from the BackendTrafficPolicy.
 * - BackendTrafficPolicy (per-client-IP local rate limit, stream idle timeout) with
 *   `mergeType: JSONMerge`: it merges into the gateway-wide policy, so the route keeps the
 *   gateway's limit unless it sets its own (RFC 7396 replaces the rule list).
 * - SecurityPolicy for CORS: a route-level policy overrides the gateway-wide one (no merge).
 * - Security headers as a ResponseHeaderModifier filter: the gateway adds its headers only where
 *   a response lacks them, so the route's values win.
 * - `rewrite` as a URLRewrite filter (ReplacePrefixMatch on the rule's PathPrefix matches);
 *   `redirects` as their own HTTPRoutes with a RequestRedirect filter (Gateway API core filters).
 */
import type { RouteCors, RouteRateLimit, RouteSecurityHeaders, RouteSessionAffinity } from "../../config/apps/route";
import { WEBSOCKET_IDLE_SECONDS } from "../../config/apps/route";
import type { RouteRedirect, RouteRewrite } from "../../config/apps/route-hosts";
import { corsSpec, perClientRateLimit, type PolicyTarget, type RateLimitType } from "../../cluster/gateway/policies";
import type { RouteGateway } from "./exposure";
import type { RouteBackend } from "./release";

type Labels = Readonly<Record<string, string>>;

/** What the route's traffic features are built from (the parsed `route` of a service). */
export interface RouteTrafficSpec {
  readonly host: string;
  readonly paths: readonly string[];
  readonly timeoutSeconds: number;
  readonly rateLimit?: RouteRateLimit | undefined;
  readonly cors?: RouteCors | undefined;
  readonly securityHeaders: RouteSecurityHeaders;
  readonly sessionAffinity?: RouteSessionAffinity | undefined;
  readonly websocket: boolean | readonly string[];
  readonly rewrite?: RouteRewrite | undefined;
}

/** A Gateway API duration (`1h2m3s`): at most five digits per unit, so long values use larger units. */
export function duration(seconds: number): string {
  if (seconds === 0) return "0s";
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${h > 0 ? `${h}h` : ""}${m > 0 ? `${m}m` : ""}${s > 0 ? `${s}s` : ""}`;
}

/** The response headers the route sets, in a stable order; empty when disabled. */
export function securityHeaders(h: RouteSecurityHeaders): { name: string; value: string }[] {
  if (!h.enabled) return [];
  return [
    { name: "Strict-Transport-Security", value: h.strictTransportSecurity },
    { name: "X-Frame-Options", value: h.frameOptions },
    ...(h.noSniff ? [{ name: "X-Content-Type-Options", value: "nosniff" }] : []),
    { name: "Referrer-Policy", value: h.referrerPolicy },
    { name: "Permissions-Policy", value: h.permissionsPolicy },
    ...(h.contentSecurityPolicy === undefined ? [] : [{ name: "Content-Security-Policy", value: h.contentSecurityPolicy }]),
    ...(h.xssProtection === undefined ? [] : [{ name: "X-XSS-Protection", value: h.xssProtection }]),
  ];
}

/** WebSocket path prefixes of the route: all of its paths for `true`. */
export function websocketPaths(route: Pick<RouteTrafficSpec, "paths" | "websocket">): readonly string[] {
  if (route.websocket === true) return route.paths;
  return route.websocket === false ? [] : route.websocket;
}

function sessionPersistence(affinity: RouteSessionAffinity) {
  return {
    type: "Cookie",
    sessionName: affinity.cookieName,
    ...(affinity.ttlSeconds === undefined
      ? { cookieConfig: { lifetimeType: "Session" } }
      : { absoluteTimeout: duration(affinity.ttlSeconds), cookieConfig: { lifetimeType: "Permanent" } }),
  };
}

/** The route's rules: `http` for its paths unless all are WebSocket paths, `websocket` for those. */
export function routeRules(route: RouteTrafficSpec, backends: readonly RouteBackend[]) {
  const headers = securityHeaders(route.securityHeaders);
  const filters = [
    ...(headers.length === 0 ? [] : [{ type: "ResponseHeaderModifier", responseHeaderModifier: { set: headers } }]),
    ...(route.rewrite === undefined ? [] : [urlRewriteFilter(route.rewrite)]),
  ];
  const common = {
    ...(filters.length === 0 ? {} : { filters }),
    backendRefs: backends.map((b) => ({ group: "", kind: "Service", name: b.name, port: b.port, weight: b.weight })),
    ...(route.sessionAffinity === undefined ? {} : { sessionPersistence: sessionPersistence(route.sessionAffinity) }),
  };
  const match = (paths: readonly string[]) => paths.map((value) => ({ path: { type: "PathPrefix", value } }));
  const ws = websocketPaths(route);
  const http = route.websocket === true ? [] : [{ name: "http", matches: match(route.paths), timeouts: { request: duration(route.timeoutSeconds) }, ...common }];
  // No request timeout: an open WebSocket is one long request. The policy's stream idle timeout closes silent ones.
  const websocket = ws.length === 0 ? [] : [{ name: "websocket", matches: match(ws), timeouts: { request: "0s" }, ...common }];
  return [...http, ...websocket];
}

/** The URLRewrite filter of `rewrite`: the matched prefix replaced (the rules match PathPrefix only), and/or the Host header. */
export function urlRewriteFilter(rewrite: RouteRewrite) {
  return {
    type: "URLRewrite",
    urlRewrite: {
      ...(rewrite.hostname === undefined ? {} : { hostname: rewrite.hostname }),
      ...(rewrite.pathPrefix === undefined ? {} : { path: { type: "ReplacePrefixMatch", replacePrefixMatch: rewrite.pathPrefix } }),
    },
  };
}

function parentRefs(gateway: RouteGateway) {
  return [gateway.sectionName, ...(gateway.moreSectionNames ?? []).filter((s) => s !== gateway.sectionName)].map((sectionName) => ({
    group: "gateway.networking.k8s.io",
    kind: "Gateway",
    name: gateway.name,
    namespace: gateway.namespace,
    sectionName,
  }));
}

/** The HTTPRoute for `host` (and `moreHosts`) on the shared Gateway's listeners. */
export function trafficRouteManifest(input: {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Labels;
  readonly host: string;
  /** Further hosts the same rules serve (`route.hosts`). @default [] */
  readonly moreHosts?: readonly string[];
  readonly route: RouteTrafficSpec;
  readonly backends: readonly RouteBackend[];
  readonly gateway: RouteGateway;
}) {
  return {
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "HTTPRoute",
    metadata: { name: input.name, namespace: input.namespace, labels: { ...input.labels } },
    spec: {
      parentRefs: parentRefs(input.gateway),
      hostnames: [input.host, ...(input.moreHosts ?? []).filter((h) => h !== input.host)],
      rules: routeRules(input.route, input.backends),
    },
  };
}

/**
 * The HTTPRoute answering `redirect.from` with a redirect to `to` (path and query kept; the scheme
 * stays https). It has no backend: Envoy answers the redirect itself.
 */
export function redirectRouteManifest(input: { readonly name: string; readonly namespace: string; readonly labels: Labels; readonly redirect: RouteRedirect; readonly to: string; readonly gateway: RouteGateway }) {
  return {
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "HTTPRoute",
    metadata: { name: input.name, namespace: input.namespace, labels: { ...input.labels } },
    spec: {
      parentRefs: parentRefs(input.gateway),
      hostnames: [input.redirect.from],
      rules: [{ name: "redirect", filters: [{ type: "RequestRedirect", requestRedirect: { hostname: input.to, statusCode: input.redirect.statusCode } }] }],
    },
  };
}

/** The route's HTTPRoute targets (the route and, for blue-green, its preview route). */
export function routeTargets(names: readonly string[]): PolicyTarget[] {
  return names.map((name) => ({ group: "gateway.networking.k8s.io", kind: "HTTPRoute", name }));
}

/** BackendTrafficPolicy `spec` (with the service's edge `resilience` fields, ./resilience.ts), or undefined when the route keeps the gateway-wide policy as it is. */
export function backendTrafficSpec(targets: readonly PolicyTarget[], route: Pick<RouteTrafficSpec, "rateLimit" | "paths" | "websocket">, rateLimitType: RateLimitType = "Local", resilience: Readonly<Record<string, unknown>> = {}) {
  const ws = websocketPaths(route).length > 0;
  if (route.rateLimit === undefined && !ws && Object.keys(resilience).length === 0) return undefined;
  return {
    targetRefs: targets.map((t) => ({ ...t })),
    mergeType: "JSONMerge",
    ...resilience,
    ...(route.rateLimit === undefined
      ? {}
      : { rateLimit: perClientRateLimit(route.rateLimit, rateLimitType) }),
    ...(ws ? { timeout: { http: { streamIdleTimeout: duration(WEBSOCKET_IDLE_SECONDS) } } } : {}),
  };
}

/** SecurityPolicy `spec` with the route's CORS, or undefined when it keeps the gateway-wide CORS. */
export function routeCorsSpec(targets: readonly PolicyTarget[], cors: RouteCors | undefined) {
  if (cors === undefined) return undefined;
  const spec = corsSpec(targets, cors);
  return { ...spec, cors: { ...spec.cors, ...(cors.exposeHeaders.length === 0 ? {} : { exposeHeaders: [...cors.exposeHeaders] }) } };
}
