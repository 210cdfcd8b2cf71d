/**
 * Pure: service-level objectives over the HTTP metrics contract (`lib/http-metrics.ts`) as
 * recording rules and multi-window, multi-burn-rate alerts (Google SRE Workbook, "Alerting on
 * SLOs", the recommended parameters: page on 2 % of a 30-day budget in 1 h or 5 % in 6 h, ticket
 * on 10 % in 1 d or 3 d, each long window confirmed by a short one of 1/12 its length). Sloth
 * (sloth.dev: SLI recording rules per window, page and ticket alerts) and Pyrra (its `for`
 * durations per window pair) are the models; like both, the alerts read a recorded error ratio
 * per window.
 *
 * The ratios read only the contract's 5-minute series, so an SLO holds whoever measures the
 * service (`app` or `edge`): over a window `w`, `sum_over_time` of the per-5m rates of bad and of
 * all requests gives the request-weighted ratio without another pass over the raw counters.
 */
import { EDGE_BUCKETS_MS, HTTP_SERIES, type HttpSource } from "./http-metrics";
import { alertRule, type AlertRule, type RecordingRule, type RuleGroup } from "./prometheus-rules";

/** The objectives of one service, as `strata:apps.services.<name>.slo` declares them. */
export interface SloTargets {
  /** Share of requests answered without a 5xx, in percent. @default - no availability SLO */
  readonly availabilityPercent?: number;
  /** Latency thresholds in milliseconds that 95 % / 99 % of requests must stay under. @default - no latency SLO */
  readonly latencyMs?: { readonly p95?: number; readonly p99?: number };
}

/** One service's SLOs and where its contract series come from. */
export interface ServiceSlo {
  readonly namespace: string;
  /** The service (its `service` label on the recorded ratios and alerts). */
  readonly service: string;
  /** The contract's `service` label values measured for it: every release track's Service, or its HTTPRoute. */
  readonly measured: readonly string[];
  readonly source: HttpSource;
  readonly targets: SloTargets;
}

/** Name of one objective, the `slo` label of its series and alerts. */
export type SloName = "availability" | "latency-p95" | "latency-p99";

interface Objective {
  readonly slo: SloName;
  /** Target share of good requests (0..1). */
  readonly target: number;
  /** Threshold in milliseconds, for latency. */
  readonly thresholdMs?: number;
}

/** The windows the error ratio is recorded over: every long and short window of the alerts. */
export const SLO_WINDOWS = ["5m", "30m", "1h", "2h", "6h", "1d", "3d"] as const;
export type SloWindow = (typeof SLO_WINDOWS)[number];

/**
 * The Workbook's window pairs and burn-rate factors, as one page and one ticket alert each firing
 * when either of its pairs does (the Workbook's final form, and Sloth's page/ticket alerts).
 */
export const BURN_RATE_ALERTS = [
  {
    alert: "StrataSloErrorBudgetBurnFast",
    severity: "critical",
    pairs: [
      { long: "1h", short: "5m", factor: 14.4 },
      { long: "6h", short: "30m", factor: 6 },
    ],
  },
  {
    alert: "StrataSloErrorBudgetBurnSlow",
    severity: "warning",
    pairs: [
      { long: "1d", short: "2h", factor: 3 },
      { long: "3d", short: "6h", factor: 1 },
    ],
  },
] as const satisfies readonly { alert: string; severity: AlertRule["labels"]["severity"]; pairs: readonly { long: SloWindow; short: SloWindow; factor: number }[] }[];

/** Both windows must burn: the long one makes it significant, the short one lets it resolve soon after the burn stops. */
export const BURN_RATE_FOR = "2m";

/** The recorded series: the error ratio per window and the objective itself. */
export const SLO_SERIES = {
  errorRatio: (w: SloWindow) => `strata:slo_errors:ratio_rate${w}`,
  objective: "strata:slo_objective:ratio",
} as const;

/** The objectives a service declares, availability first. */
export function objectivesOf(targets: SloTargets): Objective[] {
  const out: Objective[] = [];
  if (targets.availabilityPercent !== undefined) out.push({ slo: "availability", target: targets.availabilityPercent / 100 });
  if (targets.latencyMs?.p95 !== undefined) out.push({ slo: "latency-p95", target: 0.95, thresholdMs: targets.latencyMs.p95 });
  if (targets.latencyMs?.p99 !== undefined) out.push({ slo: "latency-p99", target: 0.99, thresholdMs: targets.latencyMs.p99 });
  return out;
}

/** The `le` label of a bucket bound as Prometheus writes it (Go's shortest float: `0.2`, `1`, `2.5`). */
export function leLabel(bound: number): string {
  return String(bound);
}

/** The histogram bounds (ms) a latency threshold must be one of, for a source; `undefined` when free. */
export function latencyBoundsMs(source: HttpSource, appBucketsSeconds: readonly number[]): readonly number[] {
  return source === "edge" ? EDGE_BUCKETS_MS : appBucketsSeconds.map((s) => Math.round(s * 1e6) / 1e3);
}

function selector(slo: ServiceSlo, extra = ""): string {
  const services = slo.measured.length === 1 ? `service="${slo.measured[0]}"` : `service=~"${slo.measured.join("|")}"`;
  return `{namespace="${slo.namespace}",${services},source="${slo.source}"${extra}}`;
}

/** A contract series over a window: the 5-minute rate itself, or its sum over the window. */
function over(series: string, w: SloWindow): string {
  return w === "5m" ? series : `sum_over_time(${series}[${w}])`;
}

/** Bad and total requests over a window, per measured Service. */
function badAndTotal(slo: ServiceSlo, objective: Objective, w: SloWindow): { bad: string; total: string } {
  if (objective.thresholdMs === undefined) {
    return { bad: over(`${HTTP_SERIES.errors("5m")}${selector(slo)}`, w), total: over(`${HTTP_SERIES.requests("5m")}${selector(slo)}`, w) };
  }
  // Slow = all - under the threshold, both from the histogram, so the two counts agree.
  const [series, le] =
    slo.source === "edge" ? [HTTP_SERIES.edgeDurationBucketsMs, leLabel(objective.thresholdMs)] : [HTTP_SERIES.durationBuckets("5m"), leLabel(objective.thresholdMs / 1000)];
  const all = over(`${series}${selector(slo, ',le="+Inf"')}`, w);
  return { bad: `(${all} - ignoring(le) ${over(`${series}${selector(slo, `,le="${le}"`)}`, w)})`, total: all };
}

function errorRatio(slo: ServiceSlo, objective: Objective, w: SloWindow): string {
  const { bad, total } = badAndTotal(slo, objective, w);
  return `sum by (namespace) (${bad}) / sum by (namespace) (${total})`;
}

function percent(target: number): string {
  return `${Math.round(target * 100000) / 1000}`;
}

/** The recording rules and burn-rate alerts of one service's SLOs. */
export function sloRuleGroup(slo: ServiceSlo): RuleGroup {
  const rules: (RecordingRule | AlertRule)[] = [];
  for (const objective of objectivesOf(slo.targets)) {
    const labels = { service: slo.service, slo: objective.slo };
    rules.push({ record: SLO_SERIES.objective, expr: `vector(${objective.target})`, labels: { namespace: slo.namespace, ...labels } });
    for (const w of SLO_WINDOWS) rules.push({ record: SLO_SERIES.errorRatio(w), expr: errorRatio(slo, objective, w), labels });
    const budget = Math.round((1 - objective.target) * 1e9) / 1e9;
    const own = `{namespace="${slo.namespace}",service="${slo.service}",slo="${objective.slo}"}`;
    const what = objective.thresholdMs === undefined ? "requests answered without a 5xx" : `requests served under ${objective.thresholdMs} ms`;
    for (const burn of BURN_RATE_ALERTS) {
      const round = (n: number) => Math.round(n * 1e9) / 1e9;
      const expr = burn.pairs
        .map((p) => `(${SLO_SERIES.errorRatio(p.long)}${own} > ${round(p.factor * budget)} and ${SLO_SERIES.errorRatio(p.short)}${own} > ${round(p.factor * budget)})`)
        .join(" or ");
      const pairs = burn.pairs.map((p) => `${p.factor}x over ${p.long} and ${p.short}`).join(", or ");
      const rule = alertRule(
        burn.alert,
        expr,
        BURN_RATE_FOR,
        burn.severity,
        `${slo.namespace}/${slo.service} burns its ${objective.slo} error budget too fast`,
        `SLO: ${percent(objective.target)} % of ${what} over 30 days (measured at the ${slo.source}); budget ${percent(budget)} %. {{ $value | humanizePercentage }} of requests missed it over the alert's long window: a burn of ${pairs}.`,
      );
      // The objective as a rule label too, so the rules of one alert differ (promtool rejects duplicates).
      rules.push({ ...rule, labels: { ...rule.labels, slo: objective.slo } });
    }
  }
  return { name: `strata.slo.${slo.service}`, rules };
}
