/**
 * Pure: what Prometheus scrapes beyond the charts' own monitors: a ServiceMonitor or PodMonitor
 * for each target the cluster layer publishes (`ClusterOutputs.scrapeTargets`: cert-manager's
 * controller, the Envoy proxies and their controller), beside the target as the data services'
 * monitors are.
 *
 * Prometheus selects every monitor in strata's namespaces whatever its labels
 * (`prometheus-values.ts`: empty selectors, `*NilUsesHelmValues: false`), so the monitors need no
 * release label; the gateway and operators namespaces are among the watched ones.
 */
import type { ScrapeTarget } from "../../lib/contracts";

/** The ServiceMonitor or PodMonitor scraping one target. */
export function monitorManifest(target: ScrapeTarget, labels: Readonly<Record<string, string>>) {
  const endpoint = { port: target.port, path: target.path, scheme: "http" };
  const common = { selector: { matchLabels: { ...target.selector } }, namespaceSelector: { matchNames: [target.namespace] } };
  return {
    apiVersion: "monitoring.coreos.com/v1",
    kind: target.kind === "service" ? "ServiceMonitor" : "PodMonitor",
    metadata: { name: target.name, namespace: target.namespace, labels: { ...labels } },
    spec: target.kind === "service" ? { ...common, endpoints: [endpoint] } : { ...common, podMetricsEndpoints: [endpoint] },
  };
}

/** The connection target Prometheus scrapes for one scrape target. */
export function scrapeDestination(target: ScrapeTarget) {
  return target.kind === "service"
    ? ({ kind: "service", namespace: target.namespace, name: target.service, port: target.port } as const)
    : ({ kind: "pods", namespace: target.namespace, selector: { ...target.selector }, port: target.port, description: `${target.name} pods` } as const);
}
