/**
 * What the verification command reports. A finding names the resource it is about, the key path
 * inside that resource and the reason; `error` fails the command, `warning` does not.
 */

import type { ConnectionResult } from "../connections";

export type Severity = "error" | "warning";

/** Which check produced a finding. */
export type CheckName =
  | "chart-version"
  | "chart-source"
  | "helm-values"
  | "helm-schema"
  | "custom-resource"
  | "kubernetes-schema"
  | "connections";

export interface Finding {
  readonly severity: Severity;
  readonly check: CheckName;
  /** The resource the finding is about: `<type token> <name>`. */
  readonly resource: string;
  /** Key path inside the resource (values or object), e.g. `prometheus.servicemonitor.enabled`; empty for the whole resource. */
  readonly path: string;
  readonly message: string;
}

/** How many resources each check looked at, so a report can show that nothing was skipped silently. */
export interface CheckedCounts {
  readonly helmReleases: number;
  readonly customResources: number;
  readonly kubernetesObjects: number;
}

export interface VerifyReport {
  readonly findings: readonly Finding[];
  readonly checked: CheckedCounts;
  /** Every connection the plan needs, with the verdict of each check (tools/connections). */
  readonly connections?: readonly ConnectionResult[];
}

export function errorsOf(report: VerifyReport): readonly Finding[] {
  return report.findings.filter((finding) => finding.severity === "error");
}

export function warningsOf(report: VerifyReport): readonly Finding[] {
  return report.findings.filter((finding) => finding.severity === "warning");
}

/** One line per finding: `error helm-values kubernetes:helm.sh/v3:Release cert-manager: prometheus.foo: ...`. */
export function formatFinding(finding: Finding): string {
  const where = finding.path === "" ? "" : `${finding.path}: `;
  return `${finding.severity} ${finding.check} ${finding.resource}: ${where}${finding.message}`;
}

export function formatSummary(report: VerifyReport): string {
  const { helmReleases, customResources, kubernetesObjects } = report.checked;
  const connections = report.connections === undefined ? "" : `, ${report.connections.length} connection(s)`;
  return (
    `${errorsOf(report).length} error(s), ${warningsOf(report).length} warning(s); checked ` +
    `${helmReleases} Helm release(s), ${customResources} custom resource(s), ${kubernetesObjects} Kubernetes object(s)${connections}`
  );
}
