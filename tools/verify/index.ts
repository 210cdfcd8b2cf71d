/**
 * The verification command as a library: `verifyPlan` checks a plan against a folder of chart
 * reference data laid out like `../shared/reference/charts/` (one folder per chart with
 * SOURCE.txt, values.yaml, optional values.schema.json and crds/).
 */
import { existsSync, statSync } from "node:fs";
import { brokenConnections, proveConnections } from "../connections";
import type { PlanDocument, PlannedResource } from "../engine/plan-document";
import { chartNameOf, loadChartReference } from "./chart-reference";
import { loadCrds } from "./crds";
import { customResourceFindings } from "./custom-resources";
import type { Finding, VerifyReport } from "./findings";
import { valuesSchemaFindings } from "./helm-schema";
import { releaseInputs, sourceFindings, versionFindings } from "./helm-release";
import { valueKeyFindings } from "./helm-values";
import { validateKubernetesObject, validateObjectMeta } from "./kubernetes-schema";
import { classify } from "./resource-kind";

export type { CheckName, CheckedCounts, Finding, Severity, VerifyReport } from "./findings";
export { errorsOf, formatFinding, formatSummary, warningsOf } from "./findings";
export type { Problem } from "./json-schema";
export { isBuiltInApiVersion, validateKubernetesObject } from "./kubernetes-schema";

export async function verifyPlan(plan: PlanDocument, chartsDir: string): Promise<VerifyReport> {
  if (!existsSync(chartsDir) || !statSync(chartsDir).isDirectory()) {
    throw new Error(`chart reference folder not found: ${chartsDir}`);
  }
  const findings: Finding[] = [];
  const checked = { helmReleases: 0, customResources: 0, kubernetesObjects: 0 };
  for (const resource of plan.resources) {
    const kind = classify(resource);
    const label = `${resource.type} ${resource.name}`;
    if (kind.is === "helm-release") {
      checked.helmReleases++;
      findings.push(...releaseFindings(label, resource, chartsDir));
    } else if (kind.is === "custom-resource") {
      checked.customResources++;
      findings.push(...customResourceFindings(label, kind.object, kind.group, kind.version, kind.kind, loadCrds(chartsDir)));
      const problems = await validateObjectMeta(kind.object["metadata"]);
      findings.push(...problems.map((problem): Finding => ({ severity: "error", check: "kubernetes-schema", resource: label, ...problem })));
    } else if (kind.is === "kubernetes-object") {
      checked.kubernetesObjects++;
      const problems = await validateKubernetesObject(kind.object);
      findings.push(...problems.map((problem): Finding => ({ severity: "error", check: "kubernetes-schema", resource: label, ...problem })));
    }
  }
  const connections = await proveConnections(plan);
  for (const broken of brokenConnections(connections)) {
    findings.push({ severity: "error", check: "connections", resource: broken.connection, path: "", message: broken.message });
  }
  return { findings, checked, connections };
}

function releaseFindings(label: string, resource: PlannedResource, chartsDir: string): Finding[] {
  const release = releaseInputs(resource);
  if (release.chart === "") {
    return [{ severity: "error", check: "helm-values", resource: label, path: "chart", message: "no chart set" }];
  }
  const chart = loadChartReference(chartsDir, chartNameOf(release.chart));
  if (chart === undefined) {
    const message = `not checked: no reference data for chart "${chartNameOf(release.chart)}" in ${chartsDir}`;
    return [{ severity: "warning", check: "helm-values", resource: label, path: "chart", message }];
  }
  const pin = [...versionFindings(label, release, chart), ...sourceFindings(label, release, chart)];
  if (release.secretValues) {
    const message = "values not checked: the whole values input is secret; wrap only the secret leaves with pulumi.secret()";
    return [...pin, { severity: "warning", check: "helm-values", resource: label, path: "values", message }];
  }
  if (chart.values === undefined) {
    const message = `values not checked: ${chart.name} has no values.yaml in the reference data`;
    return [...pin, { severity: "warning", check: "helm-values", resource: label, path: "values", message }];
  }
  const keys = valueKeyFindings(label, release.values, chart);
  // An unknown key is reported once, by the values.yaml check, even when the schema rejects it too.
  const reported = new Set(keys.map((finding) => finding.path));
  const schema = valuesSchemaFindings(label, release.values, chart).filter((finding) => !reported.has(finding.path));
  return [...pin, ...keys, ...schema];
}
