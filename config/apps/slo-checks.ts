/**
 * Checks of `strata:apps.services.<name>.slo` against the service's other keys: something must
 * measure its requests, and latency thresholds must be bucket bounds of that histogram.
 */
import { httpMetricsOf } from "./metrics";
import type { AppServiceSpec } from "./service";
import type { AppSloSpec } from "./slo";
import type { HttpSource } from "../../lib/http-metrics";
import { latencyBoundsMs, objectivesOf } from "../../lib/slo";

/** Where a service's SLOs are measured: its own histogram when it has a metrics port, else the edge. */
export function sloSource(spec: Pick<AppServiceSpec, "metricsPort" | "route">): HttpSource | undefined {
  if (spec.metricsPort !== undefined) return "app";
  return spec.route === undefined ? undefined : "edge";
}

/** Problems of one service's `slo`, with `key` = `strata:apps.services.<name>`. */
export function sloProblems(key: string, spec: Pick<AppServiceSpec, "metricsPort" | "route" | "httpMetrics"> & { readonly slo?: AppSloSpec | undefined }): string[] {
  const slo = spec.slo;
  if (slo === undefined) return [];
  const at = `${key}.slo`;
  if (objectivesOf(slo).length === 0) return [`${at}: declares no objective (got {}); set availabilityPercent, latencyMs.p95 or latencyMs.p99, or remove slo`];
  const source = sloSource(spec);
  if (source === undefined) return [`${at}: nothing measures the service's requests (got no metricsPort and no route); set metricsPort (its request histogram) or route (the Gateway's measures)`];
  const bounds = latencyBoundsMs(source, httpMetricsOf(spec.httpMetrics).bucketsSeconds);
  const problems: string[] = [];
  for (const quantile of ["p95", "p99"] as const) {
    const ms = slo.latencyMs?.[quantile];
    if (ms === undefined || bounds.includes(ms)) continue;
    const fix =
      source === "app"
        ? `set it to one of them, or declare the buckets the app really exports in ${key}.httpMetrics.bucketsSeconds`
        : "set it to one of them (Envoy's buckets), or give the service a metricsPort with its own histogram";
    problems.push(`${at}.latencyMs.${quantile}: is not a bucket bound of the ${source === "app" ? "app's" : "edge's"} request histogram (got ${ms}); bounds in ms: ${bounds.join(", ")}; ${fix}`);
  }
  return problems;
}
