/**
 * The inputs of a `kubernetes:helm.sh/v3:Release` (or `helm.sh/v4:Chart`) as the plan records them, and the checks on
 * where the chart comes from: the pinned version and the repository.
 */
import { type PlannedResource, SECRET_PLACEHOLDER } from "../engine/plan-document";
import type { ChartReference } from "./chart-reference";
import type { Finding } from "./findings";
import { isPlainObject } from "./key-path";

export const HELM_RELEASE_TYPE = "kubernetes:helm.sh/v3:Release";
/** A chart the provider renders and applies object by object; its pin and values take the same checks. */
export const HELM_CHART_TYPE = "kubernetes:helm.sh/v4:Chart";

export interface ReleaseInputs {
  readonly chart: string;
  readonly version: string | undefined;
  readonly repo: string | undefined;
  readonly values: Readonly<Record<string, unknown>>;
  /** True when the whole `values` input is a secret, so its keys cannot be seen offline. */
  readonly secretValues: boolean;
}

export function releaseInputs(resource: PlannedResource): ReleaseInputs {
  const { chart, version, repositoryOpts, values } = resource.inputs;
  const repo = isPlainObject(repositoryOpts) ? repositoryOpts["repo"] : undefined;
  return {
    chart: typeof chart === "string" ? chart : "",
    version: typeof version === "string" && version !== "" ? version : undefined,
    repo: typeof repo === "string" && repo !== "" ? repo : undefined,
    values: isPlainObject(values) ? values : {},
    secretValues: values === SECRET_PLACEHOLDER,
  };
}

/** The chart version must be one the reference data says is published; a leading `v` is not ignored. */
export function versionFindings(resource: string, release: ReleaseInputs, chart: ChartReference): Finding[] {
  const error = (message: string): Finding => ({ severity: "error", check: "chart-version", resource, path: "version", message });
  const published = chart.source?.chartVersions ?? [];
  if (chart.source === undefined) {
    return [{ severity: "warning", check: "chart-version", resource, path: "version", message: `not checked: ${chart.dir} has no SOURCE.txt` }];
  }
  if (published.length === 0) {
    return [error(`${chart.name} publishes no Helm chart (SOURCE.txt chart_version: none); install it another way`)];
  }
  if (release.version === undefined) {
    return [error(`no chart version pinned; pin ${quoteAll(published)}`)];
  }
  if (published.includes(release.version)) {
    return [];
  }
  const sameButPrefix = published.find((candidate) => candidate.replace(/^v/, "") === release.version?.replace(/^v/, ""));
  if (sameButPrefix !== undefined) {
    return [error(`"${release.version}" is not a published version; the chart is published only as ${quoteAll(published)}`)];
  }
  return [error(`pinned "${release.version}" differs from the reference release ${quoteAll(published)} (SOURCE.txt chart_version)`)];
}

/** Warns when the chart is pulled from somewhere the reference data does not list as an install location. */
export function sourceFindings(resource: string, release: ReleaseInputs, chart: ChartReference): Finding[] {
  if (chart.source === undefined) {
    return [];
  }
  const { helmRepos, ociRefs } = chart.source;
  const warning = (path: string, message: string): Finding => ({ severity: "warning", check: "chart-source", resource, path, message });
  const ociRef = release.chart.startsWith("oci://")
    ? release.chart
    : release.repo?.startsWith("oci://") === true
      ? `${release.repo.replace(/\/+$/, "")}/${release.chart}`
      : undefined;
  if (ociRef !== undefined) {
    const known = ociRefs.includes(ociRef.replace(/\/+$/, ""));
    return known ? [] : [warning("chart", `${ociRef} is not a documented OCI location (${quoteAll(ociRefs) || "none"})`)];
  }
  if (release.repo === undefined) {
    return [warning("repositoryOpts.repo", `no repository set; documented: ${quoteAll([...helmRepos, ...ociRefs]) || "none"}`)];
  }
  const known = helmRepos.includes(release.repo.replace(/\/+$/, ""));
  return known ? [] : [warning("repositoryOpts.repo", `${release.repo} is not a documented Helm repository (${quoteAll(helmRepos) || "none; use OCI"})`)];
}

function quoteAll(items: readonly string[]): string {
  return items.map((item) => `"${item}"`).join(" or ");
}
