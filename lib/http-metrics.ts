/**
 * The HTTP metrics contract: the recorded series every HTTP service's golden signals arrive in,
 * whoever measures them. strata's alerts, the apps dashboard and the apps' KEDA triggers read
 * these series and nothing else, so a service is either in all of them or visibly in none.
 *
 * Series, labelled `namespace`, `service` and `source` (histogram buckets also `le`):
 * - `strata:http_requests:rate<w>`: completed requests per second;
 * - `strata:http_errors:rate<w>`: those answered with a 5xx (0 while requests exist, so ratios exist);
 * - `strata:http_request_duration_seconds_bucket:rate<w>`: the latency histogram, in seconds;
 * - `strata:http_request_duration_milliseconds_bucket:rate5m`: the edge's latency histogram,
 *   left in the milliseconds Envoy counts in (`le` cannot be rescaled in PromQL).
 *
 * `source` is where they are measured:
 * - `app`: the service's own request-duration histogram on its metrics port, recorded by a
 *   PrometheusRule beside its ServiceMonitor (`service` = its Service). The histogram's name and
 *   status label follow the service's `httpMetrics` (a library convention or explicit names); its
 *   `_count` series count requests, so no separate counter name can drift from it.
 * - `edge`: the Envoy proxies' per-route cluster stats, recorded by the platform for every
 *   routed service, metrics port or not (`service` = the HTTPRoute's name).
 *
 * Windows: `2m` (four 30 s scrapes) for KEDA, `5m` for alerts and dashboards.
 */
import type { AlertRule, RecordingRule, RuleGroup } from "./prometheus-rules";
import { alertRule } from "./prometheus-rules";

export type HttpWindow = "2m" | "5m";
export const HTTP_WINDOWS: readonly HttpWindow[] = ["2m", "5m"];

/** Where a service's golden signals are measured. */
export type HttpSource = "app" | "edge";

/** The contract's series names. */
export const HTTP_SERIES = {
  requests: (w: HttpWindow) => `strata:http_requests:rate${w}`,
  errors: (w: HttpWindow) => `strata:http_errors:rate${w}`,
  durationBuckets: (w: HttpWindow) => `strata:http_request_duration_seconds_bucket:rate${w}`,
  edgeDurationBucketsMs: "strata:http_request_duration_milliseconds_bucket:rate5m",
} as const;

/** The request-duration histogram (seconds) a service exports and the label holding the status code. */
export interface AppHttpMetrics {
  readonly histogram: string;
  readonly statusLabel: string;
  /** The histogram's bucket upper bounds in seconds (`le`), which latency SLOs must fall on. */
  readonly bucketsSeconds: readonly number[];
}

/**
 * What the common libraries export:
 * - `opentelemetry`: the HTTP semantic conventions' `http.server.request.duration` histogram
 *   (seconds) with `http.response.status_code`, as Prometheus exporters name them; its buckets are
 *   the conventions' advice (`ExplicitBucketBoundaries`, semantic-conventions
 *   docs/http/http-metrics.md), which the SDKs' HTTP instrumentations apply;
 * - `prometheus-net` (.NET, `UseHttpMetrics`): `http_request_duration_seconds` labelled `code`
 *   (`HttpRequestDurationOptions`, `HttpRequestLabelNames`); its request counter is
 *   `http_requests_received_total`, which the histogram's `_count` makes unnecessary. Its buckets
 *   are `Histogram.ExponentialBuckets(0.001, 2, 16)` (HttpRequestDurationOptions.cs): 1 ms to 32.768 s.
 */
export const HTTP_METRIC_CONVENTIONS = {
  opentelemetry: {
    histogram: "http_server_request_duration_seconds",
    statusLabel: "http_response_status_code",
    bucketsSeconds: [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10],
  },
  "prometheus-net": {
    histogram: "http_request_duration_seconds",
    statusLabel: "code",
    bucketsSeconds: Array.from({ length: 16 }, (_, i) => 0.001 * 2 ** i),
  },
} as const satisfies Record<string, AppHttpMetrics>;

/**
 * The edge histogram's buckets in milliseconds: Envoy's defaults for every histogram
 * (`HistogramSettingsImpl::defaultBuckets`, source/common/stats/histogram_impl.cc), which Envoy
 * Gateway does not change.
 */
export const EDGE_BUCKETS_MS: readonly number[] = [0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000];
export type HttpMetricConvention = keyof typeof HTTP_METRIC_CONVENTIONS;

/** PromQL selector of one service's series (its ServiceMonitor's target labels), optionally of one source. */
export function serviceSelector(namespace: string, service: string, source?: HttpSource): string {
  return `{namespace="${namespace}",service="${service}"${source === undefined ? "" : `,source="${source}"`}}`;
}

/** Recording rules turning one service's own histogram into the contract's `app` series. */
export function appHttpRecordingRules(namespace: string, service: string, metrics: AppHttpMetrics): RecordingRule[] {
  const scope = `namespace="${namespace}",service="${service}"`;
  const labels = { source: "app" };
  return HTTP_WINDOWS.flatMap((w): RecordingRule[] => {
    const requests = `sum by (namespace, service) (rate(${metrics.histogram}_count{${scope}}[${w}]))`;
    return [
      { record: HTTP_SERIES.requests(w), expr: requests, labels },
      { record: HTTP_SERIES.errors(w), expr: `sum by (namespace, service) (rate(${metrics.histogram}_count{${scope},${metrics.statusLabel}=~"5.."}[${w}])) or 0 * ${requests}`, labels },
      { record: HTTP_SERIES.durationBuckets(w), expr: `sum by (namespace, service, le) (rate(${metrics.histogram}_bucket{${scope}}[${w}]))`, labels },
    ];
  });
}

/**
 * Fires when Prometheus scrapes the service but finds none of the histogram it was told to
 * read: wrong names, or no instrumentation. Kubelet probes alone produce requests, so a live
 * service has the series within a scrape of starting.
 */
export function appHttpMetricsMissingAlert(namespace: string, service: string, metrics: AppHttpMetrics): AlertRule {
  const scope = `namespace="${namespace}",service="${service}"`;
  return alertRule(
    "StrataHttpMetricsMissing",
    `sum by (namespace, service) (up{${scope}}) > 0 unless sum by (namespace, service) (${HTTP_SERIES.requests("5m")}{${scope},source="app"})`,
    "15m",
    "warning",
    "Service exports no request metrics",
    `{{ $labels.namespace }}/{{ $labels.service }} answers scrapes but exports no ${metrics.histogram} histogram (status in ${metrics.statusLabel}): its golden signals and request-based scaling are missing. Set its httpMetrics to what it exports.`,
  );
}

/** The PrometheusRule group of one service: its contract series and the alert when they are missing. */
export function appHttpRuleGroup(namespace: string, service: string, metrics: AppHttpMetrics): RuleGroup {
  return { name: "strata.http.app", rules: [...appHttpRecordingRules(namespace, service, metrics), appHttpMetricsMissingAlert(namespace, service, metrics)] };
}
