/**
 * issue #23: every alert strata ships links a runbook that exists. The alerts are collected from
 * every PrometheusRule the stacks render (the repository's stacks and every example), plus the
 * cluster-wide alerts that exist only where their threshold is set; each must carry
 * `runbook_url` = `<runbookBaseUrl>/<alert>.md` and `docs/runbooks/<alert>.md` must exist with
 * the five sections on-call reads.
 *
 * kube-prometheus-stack's own rules (`defaultRules`) are not strata's: the chart annotates each
 * with `runbook_url` under `defaultRules.runbookUrl` (values.yaml:
 * `https://runbooks.prometheus-operator.dev/runbooks`), which strata leaves as it is.
 */
import { expect } from "chai";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { observabilityConfig } from "../../config/platform/observability";
import { DEFAULT_RUNBOOK_BASE_URL, runbookUrl, type AlertRule, type RuleGroup } from "../../lib/prometheus-rules";
import { strataRuleGroups } from "../../platform/observability/rules";
import { REPO_ROOT, type RunOptions } from "../../tools/engine/run";
import { defaultChartsDir } from "../../tools/verify/reference-dir";
import { at, ofType, planStack } from "../harness";
import { exampleRun } from "../infra/vsphere/fixtures";

const PROMETHEUS_RULE = "kubernetes:monitoring.coreos.com/v1:PrometheusRule";
const RUNBOOKS = join(REPO_ROOT, "docs", "runbooks");
const SECTIONS = ["## Meaning", "## First checks", "## Likely causes", "## Resolve", "## Silence"];

/** Every stack config of the repository, by file (run as tests/connections/stacks.integration.test.ts runs them, so one suite run plans each once). */
const STACKS: Readonly<Record<string, RunOptions>> = {
  "Pulumi.dev.yaml": { stack: "dev" },
  "Pulumi.prod.yaml": { stack: "prod" },
  "examples/eks-prod-cluster.yaml": { stack: "eks-prod-cluster", configFile: "examples/eks-prod-cluster.yaml" },
  "examples/eks-prod-infra.yaml": { stack: "prod", configFile: "examples/eks-prod-infra.yaml" },
  "examples/valueverse.yaml": { stack: "valueverse", configFile: "examples/valueverse.yaml" },
  "examples/vsphere-dev.yaml": exampleRun("vsphere-dev.yaml"),
  "examples/tartware/Pulumi.tartware.yaml": { stack: "tartware", configFile: `${REPO_ROOT}/examples/tartware/Pulumi.tartware.yaml` },
  "examples/multitenant/Pulumi.multitenant.yaml": { stack: "multitenant", configFile: "examples/multitenant/Pulumi.multitenant.yaml" },
  "examples/flask-next-node/Pulumi.flask-next-node.yaml": { stack: "flask-next-node", configFile: "examples/flask-next-node/Pulumi.flask-next-node.yaml" },
  "examples/local/Pulumi.local.yaml": { stack: "local", configFile: `${REPO_ROOT}/examples/local/Pulumi.local.yaml` },
  "examples/external-db.yaml": { stack: "external-db", configFile: "examples/external-db.yaml" },
};

function exampleFiles(): string[] {
  const dir = join(REPO_ROOT, "examples");
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? readdirSync(join(dir, entry.name)).filter((f) => f.endsWith(".yaml")).map((f) => `examples/${entry.name}/${f}`) : entry.name.endsWith(".yaml") ? [`examples/${entry.name}`] : [],
  );
}

const alertsOf = (groups: readonly RuleGroup[]): AlertRule[] => groups.flatMap((g) => g.rules).filter((r): r is AlertRule => "alert" in r);

describe("issue #23: runbooks for every alert", function () {
  this.timeout(1_800_000);
  const shipped = new Map<string, string>();

  before(async () => {
    const plans = await Promise.all(Object.entries(STACKS).map(async ([file, options]) => [file, await planStack(options)] as const));
    for (const [file, plan] of plans) {
      for (const rule of ofType(plan, PROMETHEUS_RULE)) {
        for (const alert of alertsOf((at(rule.inputs, "spec.groups") as RuleGroup[] | undefined) ?? [])) shipped.set(alert.alert, `${file}: ${rule.name}`);
      }
    }
  });

  it("plans every stack config of the repository", () => {
    expect(Object.keys(STACKS).filter((f) => f.startsWith("examples/")).sort()).to.deep.equal(exampleFiles().sort());
  });

  it("finds the alerts of the platform, the apps' HTTP metrics and the seeds' SLOs", () => {
    for (const alert of ["StrataTargetDown", "StrataHttpMetricsMissing", "StrataSloErrorBudgetBurnFast", "StrataSloErrorBudgetBurnSlow", "StrataRequestRateAboveCapacity", "StrataBucketBackupDown"]) {
      expect(shipped.has(alert), alert).to.equal(true);
    }
  });

  it("every rendered alert links its runbook, and the file exists with the five sections", () => {
    const optional = alertsOf(Object.values(strataRuleGroups(observabilityConfig.parse({ alerting: { thresholds: { requestsPerSecond: 1, latencyP95Ms: 1, latencyP99Ms: 1, errorRatePercent: 1 } } }).alerting.thresholds)));
    const names = new Set([...shipped.keys(), ...optional.map((a) => a.alert)]);
    const missing = [...names].filter((name) => !existsSync(join(RUNBOOKS, `${name}.md`)));
    expect(missing, "alerts without docs/runbooks/<alert>.md").to.deep.equal([]);
    for (const name of names) {
      const text = readFileSync(join(RUNBOOKS, `${name}.md`), "utf8");
      expect(text.startsWith(`# ${name}\n`), name).to.equal(true);
      for (const section of SECTIONS) expect(text, `${name}: ${section}`).to.contain(`\n${section}\n`);
    }
  });

  it("every rendered alert's runbook_url is the base URL and its name", async () => {
    const plan = await planStack(STACKS["examples/valueverse.yaml"] ?? { stack: "valueverse" });
    const alerts = ofType(plan, PROMETHEUS_RULE).flatMap((rule) => alertsOf((at(rule.inputs, "spec.groups") as RuleGroup[] | undefined) ?? []));
    expect(alerts.length).to.be.greaterThan(20);
    for (const alert of alerts) expect(alert.annotations.runbook_url, alert.alert).to.equal(runbookUrl(alert.alert, DEFAULT_RUNBOOK_BASE_URL));
  });

  it("no runbook is left without an alert", () => {
    const optional = alertsOf(Object.values(strataRuleGroups(observabilityConfig.parse({ alerting: { thresholds: { requestsPerSecond: 1, latencyP95Ms: 1, latencyP99Ms: 1, errorRatePercent: 1 } } }).alerting.thresholds)));
    const names = new Set([...shipped.keys(), ...optional.map((a) => a.alert)]);
    const orphans = readdirSync(RUNBOOKS).filter((f) => f.endsWith(".md") && f !== "README.md" && !names.has(f.slice(0, -3)));
    expect(orphans).to.deep.equal([]);
  });

  it("leaves kube-prometheus-stack's own rules on their upstream runbooks", async () => {
    const chart = parse(readFileSync(join(defaultChartsDir(), "kube-prometheus-stack", "values.yaml"), "utf8")) as { defaultRules: { runbookUrl: string } };
    expect(chart.defaultRules.runbookUrl).to.equal("https://runbooks.prometheus-operator.dev/runbooks");
    const plan = await planStack({ stack: "prod" });
    const release = ofType(plan, "kubernetes:helm.sh/v3:Release").find((r) => r.inputs["name"] === "kube-prometheus-stack");
    expect(release, "kube-prometheus-stack release").to.not.equal(undefined);
    expect(at(release?.inputs, "values.defaultRules.runbookUrl")).to.equal(undefined);
  });
});
