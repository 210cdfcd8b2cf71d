/** Pure: the ServiceAccount, the ServiceMonitor on the metrics port and the HTTPRoute on the shared Gateway. */
import type { AppServiceSpec } from "../../config/apps/service";
import { METRICS_PORT_NAME } from "./deployment";

type Labels = Readonly<Record<string, string>>;

export function serviceAccountManifest(input: { readonly name: string; readonly namespace: string; readonly spec: AppServiceSpec; readonly labels: Labels }) {
  return {
    metadata: { name: input.name, namespace: input.namespace, labels: { ...input.labels } },
    automountServiceAccountToken: input.spec.automountServiceAccountToken,
  };
}

export function serviceMonitorManifest(input: { readonly name: string; readonly namespace: string; readonly spec: AppServiceSpec; readonly labels: Labels; readonly selector: Labels }) {
  return {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "ServiceMonitor",
    metadata: { name: input.name, namespace: input.namespace, labels: { ...input.labels } },
    spec: {
      selector: { matchLabels: { ...input.selector } },
      namespaceSelector: { matchNames: [input.namespace] },
      endpoints: [{ port: METRICS_PORT_NAME, path: input.spec.metricsPath, interval: "30s", scheme: "http" }],
    },
  };
}

/** A worker's monitor: no Service leads to its pods, so Prometheus finds them by their labels. */
export function podMonitorManifest(input: { readonly name: string; readonly namespace: string; readonly spec: AppServiceSpec; readonly labels: Labels; readonly selector: Labels }) {
  return {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PodMonitor",
    metadata: { name: input.name, namespace: input.namespace, labels: { ...input.labels } },
    spec: {
      selector: { matchLabels: { ...input.selector } },
      namespaceSelector: { matchNames: [input.namespace] },
      podMetricsEndpoints: [{ port: METRICS_PORT_NAME, path: input.spec.metricsPath, interval: "30s", scheme: "http" }],
    },
  };
}

export interface RouteGateway {
  readonly name: string;
  readonly namespace: string;
  /** Listener the route attaches to (the apex or wildcard HTTPS listener of the host's domain). */
  readonly sectionName: string;
  /** Further listeners the route's other hosts sit under (another domain, or apex beside wildcard). @default [] */
  readonly moreSectionNames?: readonly string[];
  /** How the gateway counts rate limits: Global with `strata:cluster.gateway.globalRateLimit`. @default "Local" */
  readonly rateLimitType?: "Local" | "Global";
}

/** The HTTPS listener serving `host` under `domain`: the apex one for the domain itself, the wildcard one below it. */
export function listenerFor(host: string, domain: string, listeners: readonly string[]): string | undefined {
  return host === domain ? listeners[0] : listeners[1];
}
