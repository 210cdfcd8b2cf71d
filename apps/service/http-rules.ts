/**
 * Pure: the PrometheusRule beside a track's ServiceMonitor. It records the HTTP metrics contract
 * (`lib/http-metrics.ts`) from the histogram the service's `httpMetrics` names, as the
 * ServiceMonitor labels it (`namespace`, `service` = the track's Service), and alerts when
 * Prometheus scrapes the service but finds no such histogram.
 */
import { httpMetricsOf } from "../../config/apps/metrics";
import type { AppServiceSpec } from "../../config/apps/service";
import { appHttpRuleGroup } from "../../lib/http-metrics";
import { DEFAULT_RUNBOOK_BASE_URL, withRunbookBase } from "../../lib/prometheus-rules";

export function httpRuleManifest(input: {
  readonly name: string;
  readonly namespace: string;
  readonly spec: AppServiceSpec;
  readonly labels: Readonly<Record<string, string>>;
  /** Base URL of the runbooks the alert links. @default DEFAULT_RUNBOOK_BASE_URL */
  readonly runbookBaseUrl?: string;
}) {
  const group = appHttpRuleGroup(input.namespace, input.name, httpMetricsOf(input.spec.httpMetrics));
  return {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PrometheusRule",
    metadata: { name: `${input.name}-http-metrics`, namespace: input.namespace, labels: { ...input.labels } },
    spec: { groups: [withRunbookBase(group, input.runbookBaseUrl ?? DEFAULT_RUNBOOK_BASE_URL)] },
  };
}
