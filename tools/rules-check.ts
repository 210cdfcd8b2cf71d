/**
 * Writes strata's PrometheusRule groups (default thresholds) and the HTTP-metrics rules of a few
 * example apps (what an app's PrometheusRule holds) as Prometheus rule files and runs
 * `promtool check rules` on them, then `promtool test rules` on the fixtures in
 * `tests/promtool/`. Needs `promtool` on PATH (Debian: `apt-get install prometheus`).
 * Usage: `npm run rules:check [-- --out <dir>]`.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { HttpMetricsConfig, httpMetricsOf } from "../config/apps-metrics";
import { observabilityConfig } from "../config/platform-observability";
import { appHttpRuleGroup } from "../lib/http-metrics";
import { strataRuleGroups } from "../platform/observability/rules";

const FIXTURES = join(__dirname, "..", "tests", "promtool");

/** Apps whose rules the fixtures load as `rules/app-<namespace>-<service>.yaml`, with their `httpMetrics`. */
export const APP_RULE_EXAMPLES = [
  { namespace: "shop", service: "orders", httpMetrics: {} },
  { namespace: "shop", service: "catalog", httpMetrics: {} },
  { namespace: "emis-services", service: "student-service", httpMetrics: { convention: "prometheus-net" } },
  // Configured for OpenTelemetry's names while (in the fixture) it exports prometheus-net's.
  { namespace: "emis-services", service: "teacher-service", httpMetrics: {} },
] as const;

/** Every rule group the fixtures load, by file name under `rules/`. */
export function ruleFiles(): Record<string, object> {
  const thresholds = observabilityConfig.parse({}).alerting.thresholds;
  return {
    ...strataRuleGroups(thresholds),
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
