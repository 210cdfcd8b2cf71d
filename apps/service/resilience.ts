/**
 * Pure: a service's `resilience` as the objects that enforce it.
 *
 * In the ambient mesh, ztunnel is L4 only; retries, timeouts and circuit breaking are L7 and need
 * a waypoint (istio.io, "Ambient: Layer 7 features": L7 policy applies where a waypoint is in the
 * path). The app namespace gets one waypoint (a Gateway of class `istio-waypoint` listening HBONE
 * on 15008, `istio.io/waypoint-for: service`), and the service opts in with the
 * `istio.io/use-waypoint` label on its Service. Then:
 * - `DestinationRule` (networking.istio.io/v1): `connectionPool` (tcp.maxConnections,
 *   http.http1MaxPendingRequests) and `outlierDetection` (consecutive5xxErrors, baseEjectionTime);
 * - an `HTTPRoute` whose parent is the Service itself (Gateway API mesh routing, GEP-1426):
 *   `timeouts.request` for the whole call, `timeouts.backendRequest` per attempt (GEP-1742),
 *   `retry.attempts`/`retry.codes` (GEP-1731, experimental channel, which strata installs);
 * - a waypoint-bound `AuthorizationPolicy` (targetRefs: the Service) with the callers' identities,
 *   since the destination's ztunnel now sees the waypoint's identity, not the caller's.
 *
 * At the edge, Envoy Gateway's BackendTrafficPolicy carries the same (v1.9 CRD: `retry.numRetries`,
 * `retry.perRetry.timeout`, `retry.retryOn.triggers`, `circuitBreaker.maxConnections`/
 * `maxPendingRequests`, `healthCheck.passive.consecutive5XxErrors`/`baseEjectionTime`); the whole request's limit there
 * stays the route's own `timeoutSeconds` (HTTPRoute `timeouts.request`).
 */
import type { RetryCondition, ResilienceSpec } from "../../config/apps/resilience";
import { HBONE_PORT } from "../../lib/mesh";
import { duration } from "./traffic";

/** The waypoint's name in each app namespace; its pods run as a ServiceAccount of that name (Istio's deployment controller). */
export const WAYPOINT_NAME = "waypoint";
/** The label a Service carries to send its traffic through a waypoint (Istio ambient). */
export const USE_WAYPOINT_LABEL = "istio.io/use-waypoint";
/** The label Istio puts on a Gateway's pods, naming the Gateway. */
export const GATEWAY_NAME_LABEL = "gateway.networking.k8s.io/gateway-name";
/** Waypoint pods Istio runs per Gateway (one Deployment, 1 replica by default). */
export const WAYPOINT_REPLICAS = 1;
/** istiod chart values.yaml `global.waypoint.resources.requests` (1.30.3). */
export const WAYPOINT_REQUESTS = { cpuMillis: 100, memoryMi: 128 } as const;

export function waypointManifest(namespace: string, labels: Readonly<Record<string, string>>) {
  return {
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "Gateway",
    metadata: { name: WAYPOINT_NAME, namespace, labels: { ...labels, "istio.io/waypoint-for": "service" } },
    spec: { gatewayClassName: "istio-waypoint", listeners: [{ name: "mesh", port: HBONE_PORT, protocol: "HBONE" }] },
  };
}

/** HTTP status codes each condition stands for in Gateway API `retry.codes` (connection failures have none: Istio retries them by default). */
const CODES: Readonly<Record<RetryCondition, readonly number[]>> = {
  "5xx": [500, 501, 502, 503, 504],
  "gateway-error": [502, 503, 504],
  reset: [],
  "connect-failure": [],
  "retriable-4xx": [409],
};

interface Target {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  /** The Service's port callers dial. */
  readonly servicePort: number;
}

export function destinationRuleManifest(target: Target, resilience: ResilienceSpec) {
  const breaker = resilience.circuitBreaker;
  if (breaker === undefined) return undefined;
  return {
    apiVersion: "networking.istio.io/v1",
    kind: "DestinationRule",
    metadata: { name: target.name, namespace: target.namespace, labels: { ...target.labels } },
    spec: {
      host: `${target.name}.${target.namespace}.svc.cluster.local`,
      trafficPolicy: {
        connectionPool: { tcp: { maxConnections: breaker.maxConnections }, http: { http1MaxPendingRequests: breaker.maxPendingRequests } },
        outlierDetection: { consecutive5xxErrors: breaker.consecutive5xx, baseEjectionTime: `${breaker.baseEjectionSeconds}s`, interval: "10s", maxEjectionPercent: 50 },
      },
    },
  };
}

/** The mesh HTTPRoute on the Service (retries and timeouts at the waypoint), or undefined when neither is set. */
export function meshRouteManifest(target: Target, resilience: ResilienceSpec) {
  const { retries, timeoutSeconds } = resilience;
  if (retries === undefined && timeoutSeconds === undefined) return undefined;
  const perTry = retries?.perTryTimeoutSeconds;
  const codes = [...new Set((retries?.on ?? []).flatMap((c) => CODES[c]))].sort((a, b) => a - b);
  const timeouts = { ...(timeoutSeconds === undefined ? {} : { request: duration(timeoutSeconds) }), ...(perTry === undefined ? {} : { backendRequest: duration(perTry) }) };
  return {
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "HTTPRoute",
    metadata: { name: `${target.name}-mesh`, namespace: target.namespace, labels: { ...target.labels } },
    spec: {
      parentRefs: [{ group: "", kind: "Service", name: target.name, port: target.servicePort }],
      rules: [
        {
          backendRefs: [{ name: target.name, port: target.servicePort }],
          ...(Object.keys(timeouts).length === 0 ? {} : { timeouts }),
          ...(retries === undefined ? {} : { retry: { attempts: retries.attempts, ...(codes.length === 0 ? {} : { codes }) } }),
        },
      ],
    },
  };
}

/** BackendTrafficPolicy fields for the edge (merged into the route's policy spec); the route's `timeoutSeconds` bounds the request there. */
export function edgeResilience(resilience: ResilienceSpec | undefined) {
  if (resilience === undefined) return {};
  const { retries, circuitBreaker: breaker } = resilience;
  return {
    ...(retries === undefined
      ? {}
      : {
          retry: {
            numRetries: retries.attempts,
            ...(retries.perTryTimeoutSeconds === undefined ? {} : { perRetry: { timeout: duration(retries.perTryTimeoutSeconds) } }),
            retryOn: { triggers: [...retries.on] },
          },
        }),
    ...(breaker === undefined
      ? {}
      : {
          circuitBreaker: { maxConnections: breaker.maxConnections, maxPendingRequests: breaker.maxPendingRequests },
          healthCheck: { passive: { consecutive5XxErrors: breaker.consecutive5xx, baseEjectionTime: duration(breaker.baseEjectionSeconds), interval: "10s", maxEjectionPercent: 50 } },
        }),
  };
}

/**
 * The waypoint-bound AuthorizationPolicy: the ztunnel-level policy's caller rules (identities only:
 * the waypoint sees the Service's port, not the pod's), enforced at the waypoint for calls to the Service.
 */
export function waypointAuthorizationManifest(policy: { metadata: { name: string; namespace: string; labels: Record<string, string> }; spec: { rules: readonly { readonly from?: unknown; readonly to?: unknown }[] } }, service: string) {
  return {
    apiVersion: "security.istio.io/v1",
    kind: "AuthorizationPolicy",
    metadata: { ...policy.metadata, name: `${policy.metadata.name}-waypoint` },
    spec: { targetRefs: [{ group: "", kind: "Service", name: service }], action: "ALLOW", rules: policy.spec.rules.flatMap((r) => (r.from === undefined ? [] : [{ from: r.from }])) },
  };
}
