/**
 * Pure: how the UIs are reached through the shared Gateway. Each UI gets an HTTPRoute on the
 * access domain's HTTPS listener that serves its hostname (TLS from that domain's issuer).
 * Grafana has its own login; Prometheus, Alertmanager and the trace UI have none, so an Envoy
 * Gateway SecurityPolicy demands HTTP basic auth against a generated password before any
 * request reaches them.
 */
import { createHash } from "node:crypto";
import type { UiName } from "../../config/platform/observability";
import type { GatewayRef } from "../../lib/contracts";

/** Basic-auth user of the UIs without a login of their own. */
export const BASIC_AUTH_USER = "strata";
export const BASIC_AUTH_SECRET = "observability-basic-auth";

export interface Backend {
  readonly service: string;
  readonly port: number;
}

/** A Gateway listener a route may name in `parentRefs[*].sectionName`, with the hostname it serves. */
export interface HttpsListener {
  readonly name: string;
  readonly hostname: string;
}

/**
 * A domain's HTTPS listeners as the cluster layer declares them: the apex one (`domain`), then the
 * wildcard one (`*.domain`); `GatewayRef.listeners` lists their names in that order.
 */
export function listenersFor(gateway: GatewayRef, domain: string): HttpsListener[] {
  const slug = domain.replace(/\./g, "-");
  const [apex, wildcard] = gateway.listeners?.[domain] ?? [`https-${slug}`, `https-wildcard-${slug}`];
  return [
    ...(apex === undefined ? [] : [{ name: apex, hostname: domain }]),
    ...(wildcard === undefined ? [] : [{ name: wildcard, hostname: `*.${domain}` }]),
  ];
}

/**
 * Whether a listener's hostname admits a route hostname, as the Gateway API's HTTPRoute
 * `hostnames` documentation states it (gateway-helm's gatewayapi-crds.yaml): an exact name
 * matches itself only; `*.example.com` matches `test.example.com` and `foo.test.example.com` but
 * not `example.com`. When none of a route's hostnames match its parent listener's, "the
 * HTTPRoute is not accepted" there (`Accepted: False` in that parent's status).
 */
export function listenerAdmits(listenerHostname: string, hostname: string): boolean {
  if (!listenerHostname.startsWith("*.")) return listenerHostname === hostname;
  return hostname.endsWith(listenerHostname.slice(1)) && hostname.length > listenerHostname.length - 1;
}

export function routeSpec(gateway: GatewayRef, domain: string, host: string, backend: Backend) {
  const hostname = `${host}.${domain}`;
  return {
    // Only the listeners that serve the hostname: a UI under the domain is never the apex.
    parentRefs: listenersFor(gateway, domain)
      .filter((listener) => listenerAdmits(listener.hostname, hostname))
      .map((listener) => ({
        group: "gateway.networking.k8s.io",
        kind: "Gateway",
        name: gateway.name,
        namespace: gateway.namespace,
        sectionName: listener.name,
      })),
    hostnames: [hostname],
    rules: [{ matches: [{ path: { type: "PathPrefix", value: "/" } }], backendRefs: [{ name: backend.service, port: backend.port }] }],
  };
}

/** SecurityPolicy `spec`: basic auth on the given routes, users from the htpasswd Secret. */
export function basicAuthSpec(routeNames: readonly string[]) {
  return {
    targetRefs: routeNames.map((name) => ({ group: "gateway.networking.k8s.io", kind: "HTTPRoute", name })),
    basicAuth: { users: { group: "", kind: "Secret", name: BASIC_AUTH_SECRET } },
  };
}

/**
 * BackendTrafficPolicy `spec` for the UI routes: their own per-client-IP limit in place of the
 * gateway-wide one (100/min by default), which one Grafana dashboard load (a query per panel, each
 * refresh) exceeds. A route-level policy merges into the gateway's with `mergeType: JSONMerge`, and
 * RFC 7396 replaces the rule list, so the routes keep everything else the gateway sets (the same
 * mechanism as an app route's own `rateLimit`: apps/service/traffic.ts).
 */
export function uiRateLimitSpec(routeNames: readonly string[], requestsPerMinute: number) {
  return {
    targetRefs: routeNames.map((name) => ({ group: "gateway.networking.k8s.io", kind: "HTTPRoute", name })),
    mergeType: "JSONMerge",
    rateLimit: {
      type: "Local",
      local: { rules: [{ clientSelectors: [{ sourceCIDR: { type: "Distinct", value: "0.0.0.0/0" } }], limit: { requests: requestsPerMinute, unit: "Minute" } }] },
    },
  };
}

/** Secret with the OIDC client's secret, under the key Envoy Gateway reads (`client-secret`, SecurityPolicy CRD `oidc.clientSecret`). */
export const OIDC_SECRET = "observability-oidc";
/**
 * Header the gateway forwards the user's ID token in (SecurityPolicy `oidc.forwardIDToken`: the
 * raw token for any header but Authorization), from which Grafana signs the user in (`auth.jwt`).
 */
export const ID_TOKEN_HEADER = "X-Id-Token";

export interface OidcAccess {
  readonly issuer: string;
  readonly clientId: string;
  readonly jwksUrl: string;
}

/**
 * SecurityPolicy `spec`: OpenID Connect login on every UI route. The cookies are set on the
 * access domain, so one login serves every UI; the redirect URL is Envoy Gateway's default,
 * `https://<host>/oauth2/callback`, one per UI host at the provider.
 */
export function oidcSpec(routeNames: readonly string[], oidc: OidcAccess, domain: string) {
  return {
    targetRefs: routeNames.map((name) => ({ group: "gateway.networking.k8s.io", kind: "HTTPRoute", name })),
    oidc: {
      provider: { issuer: oidc.issuer },
      clientID: oidc.clientId,
      clientSecret: { group: "", kind: "Secret", name: OIDC_SECRET },
      scopes: ["openid", "email", "profile"],
      cookieDomain: domain,
      forwardIDToken: { header: ID_TOKEN_HEADER },
      refreshToken: true,
    },
  };
}

/**
 * Grafana's `auth.jwt`: the user the gateway's login forwarded, verified against the provider's
 * keys and its issuer and audience (Grafana docs, "Configure JWT authentication": header_name,
 * jwk_set_url, expect_claims, auto_sign_up). Chosen over `auth.proxy`, which would trust a plain
 * header, and over `generic_oauth`, which would log in a second time.
 */
export function grafanaJwtAuth(oidc: OidcAccess) {
  return {
    enabled: true,
    header_name: ID_TOKEN_HEADER,
    username_claim: "preferred_username",
    email_claim: "email",
    jwk_set_url: oidc.jwksUrl,
    expect_claims: JSON.stringify({ iss: oidc.issuer, aud: oidc.clientId }),
    auto_sign_up: true,
  };
}

/** One htpasswd line in the only format Envoy Gateway accepts: `user:{SHA}base64(sha1(password))`. */
export function htpasswdLine(user: string, password: string): string {
  return `${user}:{SHA}${createHash("sha1").update(password).digest("base64")}`;
}

/** UIs that need the SecurityPolicy (all but Grafana, which has its own login). */
export function needsBasicAuth(ui: UiName): boolean {
  return ui !== "grafana";
}
