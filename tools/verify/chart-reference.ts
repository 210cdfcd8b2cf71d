/**
 * Reads one chart folder of the reference data (`<charts>/<chart>/`): SOURCE.txt, Chart.yaml,
 * values.yaml and values.schema.json. Folders are cached per path, a plan names the same chart
 * more than once only rarely but the files are large.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { isPlainObject } from "./key-path";

export interface ChartSource {
  /** Versions published for this chart release (`chart_version:`, plus "also published as"). Empty when there is no chart. */
  readonly chartVersions: readonly string[];
  /** Helm repository URLs (`helm_repo:`). */
  readonly helmRepos: readonly string[];
  /** OCI references the chart is pushed to (`oci:` and `install:` lines). */
  readonly ociRefs: readonly string[];
}

export interface ChartReference {
  readonly name: string;
  readonly dir: string;
  readonly source: ChartSource | undefined;
  /** Parsed values.yaml; undefined when the folder has none (manifest-only components). */
  readonly values: Readonly<Record<string, unknown>> | undefined;
  /** values.yaml as text, for keys documented only in comments. */
  readonly valuesText: string | undefined;
  readonly valuesSchema: Readonly<Record<string, unknown>> | undefined;
  /** Names (or aliases) of subcharts from Chart.yaml `dependencies`. */
  readonly subcharts: readonly string[];
}

const cache = new Map<string, ChartReference | undefined>();

/** The chart folder name for a release's `chart` input: `cert-manager`, `jetstack/cert-manager` or `oci://…/cert-manager`. */
export function chartNameOf(chart: string): string {
  const trimmed = chart.replace(/\/+$/, "");
  return trimmed.slice(trimmed.lastIndexOf("/") + 1);
}

export function loadChartReference(chartsDir: string, name: string): ChartReference | undefined {
  const dir = join(chartsDir, name);
  if (!cache.has(dir)) {
    cache.set(dir, existsSync(dir) ? readChart(dir, name) : undefined);
  }
  return cache.get(dir);
}

function readChart(dir: string, name: string): ChartReference {
  const sourceText = readOptional(join(dir, "SOURCE.txt"));
  const valuesText = readOptional(join(dir, "values.yaml"));
  const schemaText = readOptional(join(dir, "values.schema.json"));
  const chartText = readOptional(join(dir, "Chart.yaml"));
  const values: unknown = valuesText === undefined ? undefined : parse(valuesText);
  const schema: unknown = schemaText === undefined ? undefined : JSON.parse(schemaText);
  return {
    name,
    dir,
    source: sourceText === undefined ? undefined : parseSource(sourceText),
    // An empty values.yaml parses to null: the chart takes no values, which is an empty map.
    values: valuesText === undefined ? undefined : isPlainObject(values) ? values : {},
    valuesText,
    valuesSchema: isPlainObject(schema) ? schema : undefined,
    subcharts: chartText === undefined ? [] : subchartsOf(parse(chartText)),
  };
}

function readOptional(file: string): string | undefined {
  return existsSync(file) ? readFileSync(file, "utf8") : undefined;
}

/** SOURCE.txt is `key: value` lines; a value may carry a note in parentheses. */
export function parseSource(text: string): ChartSource {
  const fields = new Map<string, string>();
  for (const line of text.split("\n")) {
    const match = /^([a-z_]+):\s*(.*)$/.exec(line);
    if (match?.[1] !== undefined && match[2] !== undefined && !fields.has(match[1])) {
      fields.set(match[1], match[2].trim());
    }
  }
  const versionField = fields.get("chart_version") ?? "";
  const primary = versionField.split(/\s+/)[0] ?? "";
  const alsoPublished = [...versionField.matchAll(/also published as ([^\s),;]+)/g)].map((m) => m[1] ?? "");
  const chartVersions = primary === "" || primary === "none" ? [] : [primary, ...alsoPublished];
  return {
    chartVersions: chartVersions.filter((version) => version !== ""),
    helmRepos: urlsIn(fields.get("helm_repo"), /https?:\/\/[^\s;,()]+/g),
    ociRefs: [...urlsIn(fields.get("oci"), /oci:\/\/[^\s;,()]+/g), ...urlsIn(fields.get("install"), /oci:\/\/[^\s;,()]+/g)],
  };
}

function urlsIn(field: string | undefined, pattern: RegExp): string[] {
  return [...(field ?? "").matchAll(pattern)].map((match) => match[0].replace(/\/+$/, ""));
}

function subchartsOf(chartYaml: unknown): string[] {
  if (!isPlainObject(chartYaml) || !Array.isArray(chartYaml["dependencies"])) {
    return [];
  }
  return chartYaml["dependencies"].flatMap((dependency: unknown) => {
    if (!isPlainObject(dependency)) {
      return [];
    }
    const name = dependency["alias"] ?? dependency["name"];
    return typeof name === "string" ? [name] : [];
  });
}
