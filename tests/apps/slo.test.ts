/**
 * issue #23: service-level objectives as config (`strata:apps.services.<name>.slo`). Bad input is
 * refused at parse time with the exact text; the PrometheusRule holds the Workbook's burn-rate
 * alerts over the right series (every release track, or the route at the edge). The promtool
 * fixture `tests/promtool/slo.test.yaml` proves the alerts fire and resolve on synthetic series.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { sloRuleManifest } from "../../apps/service/slo-rules";
import { AppServiceConfig } from "../../config/apps/service";
import { AppSloConfig } from "../../config/apps/slo";
import { parseConfig, type RawConfig } from "../../config/schema";
import type { AlertRule, RecordingRule } from "../../lib/prometheus-rules";
import { sloRuleGroup } from "../../lib/slo";
import { applicationAlerts } from "../../platform/observability/rules";
import { observabilityConfig } from "../../config/platform/observability";
import { problemsOf } from "../config/problems";
import { validRaw } from "../config/valid-config";

const BASE = { image: "ghcr.io/acme/api:1.4.2", port: 8080, resources: { cpuMillis: 250, memoryMi: 256, limitCpuMillis: 500, limitMemoryMi: 512 } };

function withApp(api: Record<string, unknown>): RawConfig {
  return {
    ...validRaw(),
    cluster: {
      existing: { storageClasses: { default: "standard" } },
      gateway: { domains: { "example.com": { issuer: "internal", hosts: ["api"] } } },
    },
    apps: { services: { api: { ...BASE, ...api } } },
  };
}

const K = "strata:apps.services.api.slo";
const spec = (extra: Record<string, unknown>) => AppServiceConfig.parse({ ...BASE, ...extra });
const isAlert = (rule: AlertRule | RecordingRule): rule is AlertRule => "alert" in rule;

describe("issue #23: SLOs as config", () => {
  it("refuses a latency threshold that is not a bucket bound, naming the bounds", () => {
    expect(problemsOf(withApp({ metricsPort: 9090, slo: { latencyMs: { p95: 200 } } }))).to.deep.equal([
      `${K}.latencyMs.p95: is not a bucket bound of the app's request histogram (got 200); bounds in ms: 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000; set it to one of them, or declare the buckets the app really exports in strata:apps.services.api.httpMetrics.bucketsSeconds`,
    ]);
    expect(problemsOf(withApp({ route: { host: "api.example.com" }, slo: { latencyMs: { p99: 300 } } }))).to.deep.equal([
      `${K}.latencyMs.p99: is not a bucket bound of the edge's request histogram (got 300); bounds in ms: 0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000; set it to one of them (Envoy's buckets), or give the service a metricsPort with its own histogram`,
    ]);
  });

  it("accepts a threshold on the buckets the app declares", () => {
    const raw = withApp({ metricsPort: 9090, httpMetrics: { bucketsSeconds: [0.1, 0.2, 0.5] }, slo: { availabilityPercent: 99.95, latencyMs: { p95: 200, p99: 500 } } });
    expect(parseConfig(raw).apps.services["api"]?.slo).to.deep.equal({ availabilityPercent: 99.95, latencyMs: { p95: 200, p99: 500 } });
  });

  it("refuses an SLO nothing measures, an empty one and 100 %", () => {
    expect(problemsOf(withApp({ slo: { availabilityPercent: 99 } }))).to.deep.equal([
      `${K}: nothing measures the service's requests (got no metricsPort and no route); set metricsPort (its request histogram) or route (the Gateway's measures)`,
    ]);
    expect(problemsOf(withApp({ metricsPort: 9090, slo: {} }))).to.deep.equal([`${K}: declares no objective (got {}); set availabilityPercent, latencyMs.p95 or latencyMs.p99, or remove slo`]);
    expect(AppSloConfig.safeParse({ availabilityPercent: 100 }).error?.issues[0]?.message).to.equal("must be below 100 (100 % leaves no error budget)");
  });

  it("renders the Workbook's page and ticket alerts per objective, at the budget times 14.4/6 and 3/1", () => {
    const group = sloRuleGroup({ namespace: "shop", service: "api", measured: ["api"], source: "app", targets: { availabilityPercent: 99.9 } });
    const alerts = group.rules.filter(isAlert);
    expect(alerts.map((a) => [a.alert, a.labels.severity, a.for])).to.deep.equal([
      ["StrataSloErrorBudgetBurnFast", "critical", "2m"],
      ["StrataSloErrorBudgetBurnSlow", "warning", "2m"],
    ]);
    // The objective is a rule label too: promtool's lint rejects two rules of one alert with the same labels.
    expect(alerts[0]?.labels).to.deep.equal({ severity: "critical", slo: "availability" });
    const own = '{namespace="shop",service="api",slo="availability"}';
    expect(alerts[0]?.expr).to.equal(
      `(strata:slo_errors:ratio_rate1h${own} > 0.0144 and strata:slo_errors:ratio_rate5m${own} > 0.0144) or (strata:slo_errors:ratio_rate6h${own} > 0.006 and strata:slo_errors:ratio_rate30m${own} > 0.006)`,
    );
    expect(alerts[1]?.expr).to.equal(
      `(strata:slo_errors:ratio_rate1d${own} > 0.003 and strata:slo_errors:ratio_rate2h${own} > 0.003) or (strata:slo_errors:ratio_rate3d${own} > 0.001 and strata:slo_errors:ratio_rate6h${own} > 0.001)`,
    );
  });

  it("measures a canary service over both tracks, and a service without metrics port at its route", () => {
    const canary = spec({ metricsPort: 9090, release: { strategy: "canary", image: "ghcr.io/acme/api:1.5.0", weightPercent: 10 }, slo: { latencyMs: { p99: 1000 } } });
    const rule = sloRuleManifest({ name: "api", namespace: "shop", spec: canary, labels: {}, slo: canary.slo ?? {}, source: "app", runbookBaseUrl: "https://docs.example.com/runbooks/" });
    const records = rule.spec.groups.flatMap((g) => g.rules).filter((r): r is RecordingRule => "record" in r);
    expect(records.find((r) => r.record === "strata:slo_errors:ratio_rate5m")?.expr).to.equal(
      'sum by (namespace) ((strata:http_request_duration_seconds_bucket:rate5m{namespace="shop",service=~"api|api-canary",source="app",le="+Inf"} - ignoring(le) strata:http_request_duration_seconds_bucket:rate5m{namespace="shop",service=~"api|api-canary",source="app",le="1"})) / sum by (namespace) (strata:http_request_duration_seconds_bucket:rate5m{namespace="shop",service=~"api|api-canary",source="app",le="+Inf"})',
    );
    expect(rule.metadata.name).to.equal("api-slo");
    expect(rule.spec.groups[0]?.rules.filter(isAlert).map((a) => a.annotations.runbook_url)).to.deep.equal([
      "https://docs.example.com/runbooks/StrataSloErrorBudgetBurnFast.md",
      "https://docs.example.com/runbooks/StrataSloErrorBudgetBurnSlow.md",
    ]);
    const edge = sloRuleGroup({ namespace: "shop", service: "web", measured: ["web"], source: "edge", targets: { latencyMs: { p95: 500 } } });
    expect((edge.rules[1] as RecordingRule).expr).to.contain('strata:http_request_duration_milliseconds_bucket:rate5m{namespace="shop",service="web",source="edge",le="500"}');
  });

  it("no longer applies Tartware's latency and error thresholds to every stack", () => {
    const names = applicationAlerts(observabilityConfig.parse({}).alerting.thresholds).rules.map((r) => ("alert" in r ? r.alert : r.record));
    expect(names).to.deep.equal(["StrataTargetDown"]);
  });

  it("each seed stack carries its seed's targets", () => {
    interface Stack {
      readonly config: { readonly "strata:apps": { readonly services: Record<string, { readonly slo?: unknown; readonly kind?: string }> }; readonly "strata:platform": { readonly observability: { readonly alerting?: unknown } } };
    }
    const stack = (file: string) => (parse(readFileSync(join(__dirname, "..", "..", file), "utf8")) as Stack).config;
    expect(stack("examples/valueverse.yaml")["strata:apps"].services["backend"]?.slo).to.deep.equal({ availabilityPercent: 99.95, latencyMs: { p95: 200, p99: 500 } });
    const tartware = stack("examples/tartware/Pulumi.tartware.yaml");
    // Request SLOs belong to services; the seed's consumers and reports (workers, cronjobs) serve no requests.
    const services = Object.values(tartware["strata:apps"].services).filter((s) => (s.kind ?? "service") === "service");
    expect(services.length).to.be.greaterThan(0);
    for (const service of services) expect(service.slo).to.deep.equal({ availabilityPercent: 95, latencyMs: { p95: 500, p99: 1000 } });
    expect((tartware["strata:platform"].observability.alerting as { thresholds?: unknown }).thresholds).to.deep.equal({ requestsPerSecond: 25000 });
  });
});
