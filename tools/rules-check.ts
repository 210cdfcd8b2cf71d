/**
 * Writes strata's PrometheusRule groups (default thresholds) as Prometheus rule files and runs
 * `promtool check rules` on them, then `promtool test rules` on the fixtures in
 * `tests/promtool/`. Needs `promtool` on PATH (Debian: `apt-get install prometheus`).
 * Usage: `npm run rules:check [-- --out <dir>]`.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { observabilityConfig } from "../config/platform-observability";
import { strataRuleGroups } from "../platform/observability/rules";

const FIXTURES = join(__dirname, "..", "tests", "promtool");

function main(): number {
  const outIndex = process.argv.indexOf("--out");
  const out = outIndex > 0 && process.argv[outIndex + 1] !== undefined ? process.argv[outIndex + 1]! : mkdtempSync(join(tmpdir(), "strata-rules-"));
  mkdirSync(join(out, "rules"), { recursive: true });
  const thresholds = observabilityConfig.parse({}).alerting.thresholds;
  const files = Object.entries(strataRuleGroups(thresholds)).map(([name, group]) => {
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

process.exitCode = main();
