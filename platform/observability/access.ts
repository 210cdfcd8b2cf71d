/**
 * Pure: how the UIs are reached through the shared Gateway. Each UI gets an HTTPRoute on the
 * access domain's HTTPS listener that serves its hostname (TLS from that domain's issuer).
 * Grafana has its own login; Prometheus, Alertmanager and the trace UI have none, so an Envoy
 * Gateway SecurityPolicy demands HTTP basic auth against a generated password before any
 * request reaches them.
 */
import { createHash } from "node:crypto";
import type { UiName } from "../../config/platform-observability";
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

/** One htpasswd line in the only format Envoy Gateway accepts: `user:{SHA}base64(sha1(password))`. */
export function htpasswdLine(user: string, password: string): string {
  return `${user}:{SHA}${createHash("sha1").update(password).digest("base64")}`;
}

/** UIs that need the SecurityPolicy (all but Grafana, which has its own login). */
export function needsBasicAuth(ui: UiName): boolean {
  return ui !== "grafana";
}
