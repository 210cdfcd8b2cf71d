/**
 * Pure: how the UIs are reached through the shared Gateway. Each UI gets an HTTPRoute on the
 * access domain's HTTPS listeners (TLS from that domain's issuer). Grafana has its own login;
 * Prometheus, Alertmanager and the trace UI have none, so an Envoy Gateway SecurityPolicy
 * demands HTTP basic auth against a generated password before any request reaches them.
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

/** Listener names of a domain's HTTPS listeners (apex and wildcard), as the cluster layer names them. */
export function listenersFor(gateway: GatewayRef, domain: string): string[] {
  const slug = domain.replace(/\./g, "-");
  return gateway.listeners?.[domain]?.slice() ?? [`https-${slug}`, `https-wildcard-${slug}`];
}

export function routeSpec(gateway: GatewayRef, domain: string, host: string, backend: Backend) {
  return {
    parentRefs: listenersFor(gateway, domain).map((sectionName) => ({
      group: "gateway.networking.k8s.io",
      kind: "Gateway",
      name: gateway.name,
      namespace: gateway.namespace,
      sectionName,
    })),
    hostnames: [`${host}.${domain}`],
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
