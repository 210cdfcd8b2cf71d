/**
 * `strata:apps.services.<name>.httpMetrics`: the request-duration histogram a service exports on
 * its `metricsPort`, by library convention or by name. Its PrometheusRule records the HTTP
 * metrics contract (`lib/http-metrics.ts`) from it: the golden-signal alerts, the apps dashboard
 * and KEDA's `requestsPerSecond`/`latencyMs` triggers all read those series.
 */
import { z } from "zod";
import { HTTP_METRIC_CONVENTIONS, type AppHttpMetrics, type HttpMetricConvention } from "../../lib/http-metrics";
import { strictObject } from "../common";

const CONVENTIONS = Object.keys(HTTP_METRIC_CONVENTIONS) as [HttpMetricConvention, ...HttpMetricConvention[]];

const metricName = z.string().regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, { error: "must be a Prometheus metric name such as http_request_duration_seconds" });
const labelName = z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, { error: "must be a Prometheus label name such as code" });

export const HttpMetricsConfig = strictObject({
  convention: z
    .enum(CONVENTIONS)
    .default("opentelemetry")
    .describe(
      `Library whose names the app's metrics follow: ${CONVENTIONS.map((c) => `\`${c}\` (${HTTP_METRIC_CONVENTIONS[c].histogram}, status in \`${HTTP_METRIC_CONVENTIONS[c].statusLabel}\`)`).join(", ")}.`,
    ),
  histogram: metricName.optional().describe("Request-duration histogram in seconds (its `_count` and `_bucket` series are read). Default: the convention's."),
  statusLabel: labelName.optional().describe("Label of that histogram holding the HTTP status code. Default: the convention's."),
  bucketsSeconds: z
    .array(z.number().gt(0, { error: "must be above 0" }))
    .min(1)
    .optional()
    .describe("The histogram's bucket upper bounds in seconds, when the app sets its own (latency SLOs must fall on one). Default: the convention's."),
});
export type HttpMetricsSpec = z.infer<typeof HttpMetricsConfig>;

/** The histogram and status label a service's metrics are read by. */
export function httpMetricsOf(spec: HttpMetricsSpec): AppHttpMetrics {
  const convention = HTTP_METRIC_CONVENTIONS[spec.convention];
  return { histogram: spec.histogram ?? convention.histogram, statusLabel: spec.statusLabel ?? convention.statusLabel, bucketsSeconds: spec.bucketsSeconds ?? convention.bucketsSeconds };
}
