/**
 * Pure: what Prometheus scrapes of Envoy Gateway (v1.9.0). The controller serves `/metrics` on its
 * `metrics` port (19001) through the Service `envoy-gateway` (internal/metrics/register.go,
 * `GatewayMetricsPort`). Each proxy answers `/stats/prometheus` on its container port `metrics`
 * 19001 (`bootstrap.EnvoyStatsPort`, the bootstrap's `envoy-gateway-proxy-stats` listener); no
 * Service leads there, so Prometheus scrapes the pods. Pods and labels: ./workloads.ts.
 */
import type { ScrapeTarget } from "../../lib/contracts";
import { CONTROLLER_LABELS, CONTROLLER_SERVICE, proxyLabels } from "./workloads";

/** Envoy's Prometheus stats: container port name and number, and path. */
export const PROXY_METRICS = { port: "metrics", number: 19001, path: "/stats/prometheus" } as const;

/** The controller's metrics Service as a scrape target. */
export function controllerScrapeTarget(namespace: string): ScrapeTarget {
  return { name: "envoy-gateway", namespace, kind: "service", service: CONTROLLER_SERVICE, selector: { ...CONTROLLER_LABELS }, port: "metrics", path: "/metrics" };
}

/** The proxies' stats (per route rule: requests, response classes, upstream latency) as a scrape target. */
export function proxiesScrapeTarget(gateway: { readonly name: string; readonly namespace: string }): ScrapeTarget {
  return { name: "envoy-proxies", namespace: gateway.namespace, kind: "pods", selector: proxyLabels(gateway), port: PROXY_METRICS.port, path: PROXY_METRICS.path };
}
