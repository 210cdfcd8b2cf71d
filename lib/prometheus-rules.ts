/** Prometheus alerting and recording rules as strata declares them (PrometheusRule `spec.groups[*]`). */

export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly labels: { readonly severity: "critical" | "warning" | "info" };
  readonly annotations: { readonly summary: string; readonly description: string };
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

/** An alerting rule. */
export function alertRule(name: string, expr: string, forDuration: string, severity: AlertRule["labels"]["severity"], summary: string, description: string): AlertRule {
  return { alert: name, expr, for: forDuration, labels: { severity }, annotations: { summary, description } };
}
