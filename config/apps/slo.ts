/**
 * `strata:apps.services.<name>.slo`: the service's objectives, rendered as recording rules and
 * multi-window, multi-burn-rate alerts (`lib/slo.ts`) over the HTTP metrics contract. Latency
 * objectives count requests under a bucket bound of the histogram, so the threshold must be one.
 */
import { z } from "zod";
import { httpMetricsOf } from "./metrics";
import type { AppServiceSpec } from "./service";
import { count, strictObject } from "../common";
import type { HttpSource } from "../../lib/http-metrics";
import { latencyBoundsMs, objectivesOf } from "../../lib/slo";

export const AppSloConfig = strictObject({
  availabilityPercent: z
    .number()
    .gt(0, { error: "must be above 0" })
    .lt(100, { error: "must be below 100 (100 % leaves no error budget)" })
    .optional()
    .describe("Share of requests answered without a 5xx over 30 days, in percent (e.g. 99.9; Tartware's 5 % error ceiling is 95)."),
  latencyMs: strictObject({
    p95: count(1).optional().describe("95 % of requests finish under this many milliseconds (ValueVerse: 200; Tartware: 500)."),
    p99: count(1).optional().describe("99 % of requests finish under this many milliseconds (ValueVerse: 500; Tartware: 1000)."),
  })
    .optional()
    .describe("Latency objectives; each must be a bucket bound of the histogram the service is measured by."),
});
export type AppSloSpec = z.infer<typeof AppSloConfig>;

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
