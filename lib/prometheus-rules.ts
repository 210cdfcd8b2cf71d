/**
 * Prometheus alerting and recording rules as strata declares them (PrometheusRule `spec.groups[*]`).
 * Every alert carries a `runbook_url` to `docs/runbooks/<alert>.md`, the annotation Alertmanager
 * templates and Grafana's alert list link (the same key kube-prometheus-stack's own rules carry,
 * pointing at runbooks.prometheus-operator.dev).
 */

export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  /** `severity`, and labels that tell apart rules of the same alert in one group. */
  readonly labels: { readonly severity: "critical" | "warning" | "info"; readonly [label: string]: string };
  readonly annotations: { readonly summary: string; readonly description: string; readonly runbook_url: string };
}
export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
  /** Labels added to every recorded series. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
}
export interface RuleGroup {
  readonly name: string;
  readonly rules: readonly (AlertRule | RecordingRule)[];
}

/**
 * Where the runbooks are read when `strata:platform.observability.runbookBaseUrl` is unset: the
 * `docs/runbooks/` folder of the repository's main branch.
 */
export const DEFAULT_RUNBOOK_BASE_URL = "https://github.com/strata-platform/strata/blob/main/docs/runbooks";

/** The runbook of one alert under a base URL (no trailing slash expected; one is tolerated). */
export function runbookUrl(alert: string, baseUrl: string = DEFAULT_RUNBOOK_BASE_URL): string {
  return `${baseUrl.replace(/\/+$/, "")}/${alert}.md`;
}

/** An alerting rule, with its runbook under the default base URL (`withRunbookBase` moves it). */
export function alertRule(name: string, expr: string, forDuration: string, severity: AlertRule["labels"]["severity"], summary: string, description: string): AlertRule {
  return { alert: name, expr, for: forDuration, labels: { severity }, annotations: { summary, description, runbook_url: runbookUrl(name) } };
}

/** The group with every alert's `runbook_url` under `baseUrl`. */
export function withRunbookBase(group: RuleGroup, baseUrl: string): RuleGroup {
  return {
    ...group,
    rules: group.rules.map((rule) => ("alert" in rule ? { ...rule, annotations: { ...rule.annotations, runbook_url: runbookUrl(rule.alert, baseUrl) } } : rule)),
  };
}
