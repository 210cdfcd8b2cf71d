/**
 * Pure: the pods Envoy Gateway (v1.9.0) runs, as its chart and controller create them, and what
 * Prometheus scrapes there.
 *
 * - Controller (chart `gateway-helm`, release `envoy-gateway`): `envoy-gateway-deployment.yaml`
 *   labels the pods `control-plane: envoy-gateway` plus the selector labels
 *   `app.kubernetes.io/name` (the chart name) and `app.kubernetes.io/instance` (the release), and
 *   names a container port after each `deployment.ports` entry (`metrics` 19001 among them) and
 *   `webhook` 9443 while `topologyInjector.enabled`; `envoy-gateway-service.yaml` exposes the
 *   same ports on the Service `envoy-gateway`. The controller serves its metrics at `/metrics`
 *   (`internal/metrics/register.go`, port `GatewayMetricsPort`).
 * - Proxies (created by the controller, `internal/infrastructure/kubernetes/proxy`): pods
 *   labelled `app.kubernetes.io/name: envoy`, `app.kubernetes.io/component: proxy`,
 *   `app.kubernetes.io/managed-by: envoy-gateway` (`EnvoyAppLabel`) plus the owning Gateway's
 *   `gateway.envoyproxy.io/owning-gateway-name|namespace`, in the controller's namespace; the
 *   container names port 19001 `metrics` (`bootstrap.EnvoyStatsPort`), where Envoy answers
 *   `/stats/prometheus` (the bootstrap's `envoy-gateway-proxy-stats` listener), and 19003
 *   `readiness`. No Service leads to the stats port, so Prometheus scrapes the pods.
 */
import type { ScrapeTarget } from "../../lib/contracts";
import type { WorkloadDeclaration } from "../../lib/connections";

/** Release name of the controller chart. */
export const ENVOY_GATEWAY_RELEASE = "envoy-gateway";

/** Labels of the controller's pods and (with chart labels besides) of its Service. */
export const CONTROLLER_LABELS = { "control-plane": "envoy-gateway", "app.kubernetes.io/name": "gateway-helm", "app.kubernetes.io/instance": ENVOY_GATEWAY_RELEASE } as const;

/** The controller's container (and Service) ports, by name. */
export const CONTROLLER_PORTS = { grpc: 18000, ratelimit: 18001, wasm: 18002, metrics: 19001, webhook: 9443 } as const;

/** Envoy's Prometheus stats: container port name and number, and path. */
export const PROXY_METRICS = { port: "metrics", number: 19001, path: "/stats/prometheus" } as const;

/** Labels of the Envoy proxy pods of one Gateway. */
export function proxyLabels(gateway: { readonly name: string; readonly namespace: string }): Record<string, string> {
  return {
    "app.kubernetes.io/name": "envoy",
    "app.kubernetes.io/component": "proxy",
    "app.kubernetes.io/managed-by": "envoy-gateway",
    "gateway.envoyproxy.io/owning-gateway-name": gateway.name,
    "gateway.envoyproxy.io/owning-gateway-namespace": gateway.namespace,
  };
}

/** The controller's pods and Service, for the connection check. */
export function controllerWorkload(namespace: string): WorkloadDeclaration {
  return {
    id: `${namespace}/${ENVOY_GATEWAY_RELEASE}`,
    pods: { namespace, labels: { ...CONTROLLER_LABELS } },
    containerPorts: { ...CONTROLLER_PORTS },
    services: [{ name: ENVOY_GATEWAY_RELEASE, ports: { ...CONTROLLER_PORTS } }],
  };
}

/** The Envoy proxies of one Gateway, for the connection check (the id the route check starts from). */
export function proxiesWorkload(gateway: { readonly name: string; readonly namespace: string }): WorkloadDeclaration {
  return {
    id: "gateway/envoy-proxies",
    pods: { namespace: gateway.namespace, labels: proxyLabels(gateway) },
    containerPorts: { [PROXY_METRICS.port]: PROXY_METRICS.number, readiness: 19003 },
  };
}

/** The controller's metrics Service as a scrape target. */
export function controllerScrapeTarget(namespace: string): ScrapeTarget {
  return { name: "envoy-gateway", namespace, kind: "service", service: ENVOY_GATEWAY_RELEASE, selector: { ...CONTROLLER_LABELS }, port: "metrics", path: "/metrics" };
}

/** The proxies' stats (per route rule: requests, response classes, upstream latency) as a scrape target. */
export function proxiesScrapeTarget(gateway: { readonly name: string; readonly namespace: string }): ScrapeTarget {
  return { name: "envoy-proxies", namespace: gateway.namespace, kind: "pods", selector: proxyLabels(gateway), port: PROXY_METRICS.port, path: PROXY_METRICS.path };
}
