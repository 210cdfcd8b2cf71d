/**
 * Pure: the app's Istio objects when its namespace is in the ambient mesh.
 *
 * - `AuthorizationPolicy` (ALLOW, enforced by ztunnel at L4): the same callers the NetworkPolicy
 *   admits, by identity instead of address: each declared caller's ServiceAccount as a SPIFFE
 *   principal (`cluster.local/ns/<ns>/sa/<app>`, the mesh's default trust domain), the Gateway's
 *   proxies by namespace, each on the app's port only. Once an ALLOW policy selects a pod, ztunnel
 *   refuses whatever no rule matches, so a pod on an allowed address but with another identity
 *   (another app, another tenant) is refused even where NetworkPolicy would let it through.
 * - Prometheus is outside the mesh and scrapes in plaintext: a workload `PeerAuthentication`
 *   keeps the metrics port PERMISSIVE under the namespace's STRICT mode (istiod turns a workload
 *   policy with port-level mTLS into a ztunnel policy: istio/istio 1.30.3,
 *   pilot/pkg/serviceregistry/ambient/authorization.go `convertPeerAuthentication`), and the
 *   AuthorizationPolicy admits that port without an identity; the app's NetworkPolicy still
 *   admits it from the monitoring namespace only.
 */
import type { AppServiceSpec } from "../../config/apps/service";
import type { Peer } from "./network-policy";

/** The mesh's trust domain (meshConfig.trustDomain's default). */
export const TRUST_DOMAIN = "cluster.local";

export interface MeshPolicyInput {
  readonly name: string;
  readonly namespace: string;
  readonly spec: Pick<AppServiceSpec, "port" | "metricsPort">;
  readonly labels: Readonly<Record<string, string>>;
  readonly selector: Readonly<Record<string, string>>;
  /** The apps that declared this one as a callee (`callers`), each with its namespace. */
  readonly callers: readonly Peer[];
  /** ServiceAccounts in the app's namespace that load-test it (apps/load-tests/mesh.ts), admitted on its port. @default [] */
  readonly loadTesters?: readonly string[];
  /** Gateway namespace, when the app has a route (its proxies are meshed). */
  readonly gatewayNamespace?: string;
  /** Whether Prometheus scrapes the metrics port. */
  readonly scraped: boolean;
  /** The namespace's waypoint ServiceAccount, when calls reach the app through it (./resilience.ts). @default - no waypoint */
  readonly waypoint?: string;
}

/** The SPIFFE principal of an app's ServiceAccount (apps run as a ServiceAccount named after the app). */
export function appPrincipal(namespace: string, app: string): string {
  return `${TRUST_DOMAIN}/ns/${namespace}/sa/${app}`;
}

const ports = (...numbers: readonly number[]) => [{ operation: { ports: numbers.map(String) } }];

export function authorizationPolicyManifest(input: MeshPolicyInput) {
  const principals = [
    ...input.callers.flatMap((c) => (c.app === undefined ? [] : [appPrincipal(c.namespace, c.app)])),
    ...(input.loadTesters ?? []).map((sa) => appPrincipal(input.namespace, sa)),
  ];
  const namespaces = input.callers.flatMap((c) => (c.app === undefined ? [c.namespace] : []));
  // A worker, cronjob or job serves no port: only the metrics rule can admit anyone.
  const port = input.spec.port;
  const http = port === undefined ? [] : ports(port);
  const callerRules = port === undefined ? [] : [
    ...(principals.length === 0 ? [] : [{ from: [{ source: { principals: [...new Set(principals)].sort() } }], to: http }]),
    ...(namespaces.length === 0 ? [] : [{ from: [{ source: { namespaces: [...new Set(namespaces)].sort() } }], to: http }]),
    ...(input.gatewayNamespace === undefined ? [] : [{ from: [{ source: { namespaces: [input.gatewayNamespace] } }], to: http }]),
    ...(input.waypoint === undefined ? [] : [{ from: [{ source: { principals: [appPrincipal(input.namespace, input.waypoint)] } }], to: http }]),
  ];
  const rules = [...callerRules, ...(input.scraped && input.spec.metricsPort !== undefined ? [{ to: ports(input.spec.metricsPort) }] : [])];
  return {
    apiVersion: "security.istio.io/v1",
    kind: "AuthorizationPolicy",
    metadata: { name: input.name, namespace: input.namespace, labels: { ...input.labels } },
    spec: { selector: { matchLabels: { ...input.selector } }, action: "ALLOW", rules },
  };
}

/** The metrics port stays PERMISSIVE for Prometheus under STRICT mTLS; undefined when nothing is scraped. */
export function metricsPeerAuthenticationManifest(input: MeshPolicyInput) {
  if (!input.scraped || input.spec.metricsPort === undefined) return undefined;
  return {
    apiVersion: "security.istio.io/v1",
    kind: "PeerAuthentication",
    metadata: { name: `${input.name}-metrics`, namespace: input.namespace, labels: { ...input.labels } },
    spec: { selector: { matchLabels: { ...input.selector } }, portLevelMtls: { [String(input.spec.metricsPort)]: { mode: "PERMISSIVE" } } },
  };
}
