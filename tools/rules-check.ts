/**
 * Writes strata's PrometheusRule groups (Tartware's thresholds, `FIXTURE_THRESHOLDS`), the
 * HTTP-metrics rules of a few example apps (what an app's PrometheusRule holds) and their SLO
 * rules (what an app's `<name>-slo` PrometheusRule holds) as Prometheus rule files and runs
 * `promtool check rules` on them, then `promtool test rules` on the fixtures in
 * `tests/promtool/`. Needs `promtool` on PATH (Debian: `apt-get install prometheus`).
 * Usage: `npm run rules:check [-- --out <dir>]`.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { HttpMetricsConfig, httpMetricsOf } from "../config/apps/metrics";
import { observabilityConfig } from "../config/platform/observability";
import { appHttpRuleGroup } from "../lib/http-metrics";
import { sloRuleGroup, type ServiceSlo } from "../lib/slo";
import { strataRuleGroups } from "../platform/observability/rules";

const FIXTURES = join(__dirname, "..", "tests", "promtool");

/** Apps whose rules the fixtures load as `rules/app-<namespace>-<service>.yaml`, with their `httpMetrics`. */
export const APP_RULE_EXAMPLES = [
  { namespace: "shop", service: "orders", httpMetrics: {} },
  { namespace: "shop", service: "catalog", httpMetrics: {} },
  { namespace: "emis-services", service: "student-service", httpMetrics: { convention: "prometheus-net" } },
  // Configured for OpenTelemetry's names while (in the fixture) it exports prometheus-net's.
  { namespace: "emis-services", service: "teacher-service", httpMetrics: {} },
  // A histogram with a 200 ms bound (ValueVerse's p95 objective), which the conventions lack.
  { namespace: "shop", service: "checkout", httpMetrics: { bucketsSeconds: [0.05, 0.1, 0.2, 0.5, 1] } },
  // Its canary track, whose own PrometheusRule records the same contract series under its Service.
  { namespace: "shop", service: "checkout-canary", httpMetrics: { bucketsSeconds: [0.05, 0.1, 0.2, 0.5, 1] } },
] as const;

/** The cluster-wide thresholds the fixtures evaluate: Tartware's seed (strata sets none by default). */
export const FIXTURE_THRESHOLDS = { requestsPerSecond: 25000, latencyP95Ms: 500, latencyP99Ms: 1000, errorRatePercent: 5 } as const;

/** SLOs the fixtures load as `rules/slo-<namespace>-<service>.yaml`: one measured by the app, one at the edge. */
export const SLO_EXAMPLES: readonly ServiceSlo[] = [
  { namespace: "shop", service: "checkout", measured: ["checkout", "checkout-canary"], source: "app", targets: { availabilityPercent: 99.5, latencyMs: { p95: 200, p99: 500 } } },
  { namespace: "shop", service: "storefront", measured: ["storefront"], source: "edge", targets: { availabilityPercent: 95, latencyMs: { p95: 500, p99: 1000 } } },
];

/** Every rule group the fixtures load, by file name under `rules/`. */
export function ruleFiles(): Record<string, object> {
  const thresholds = observabilityConfig.parse({ alerting: { thresholds: FIXTURE_THRESHOLDS } }).alerting.thresholds;
  return {
    ...strataRuleGroups(thresholds),
    ...Object.fromEntries(SLO_EXAMPLES.map((slo) => [`slo-${slo.namespace}-${slo.service}`, sloRuleGroup(slo)])),
    ...Object.fromEntries(APP_RULE_EXAMPLES.map((app) => [`app-${app.namespace}-${app.service}`, appHttpRuleGroup(app.namespace, app.service, httpMetricsOf(HttpMetricsConfig.parse(app.httpMetrics)))])),
  };
}

function main(): number {
  const outIndex = process.argv.indexOf("--out");
  const out = outIndex > 0 && process.argv[outIndex + 1] !== undefined ? process.argv[outIndex + 1]! : mkdtempSync(join(tmpdir(), "strata-rules-"));
  mkdirSync(join(out, "rules"), { recursive: true });
  const files = Object.entries(ruleFiles()).map(([name, group]) => {
    const file = join(out, "rules", `${name}.yaml`);
    writeFileSync(file, stringify({ groups: [group] }, { lineWidth: 0 }));
    return file;
  });
  const tests = readdirSync(FIXTURES).filter((f) => f.endsWith(".test.yaml"));
  for (const test of tests) copyFileSync(join(FIXTURES, test), join(out, test));
  try {
    execFileSync("promtool", ["check", "rules", ...files], { stdio: "inherit" });
    execFileSync("promtool", ["test", "rules", ...tests.map((t) => join(out, t))], { stdio: "inherit", cwd: out });
  } catch {
    return 1;
  }
  console.log(`promtool: ${files.length} rule files checked, ${tests.length} test files passed (${out})`);
  return 0;
}

if (require.main === module) process.exitCode = main();
