/**
 * Where a chart ships values.schema.json, the values Helm would render with (values.yaml merged
 * with the release's values, as `helm install` does) must pass it.
 */
import type { ValidateFunction } from "ajv";
import type { ChartReference } from "./chart-reference";
import type { Finding } from "./findings";
import { compileSchema, schemaProblems } from "./json-schema";
import { isPlainObject } from "./key-path";

const compiled = new Map<string, ValidateFunction | Error>();

export function valuesSchemaFindings(resource: string, values: Readonly<Record<string, unknown>>, chart: ChartReference): Finding[] {
  if (chart.valuesSchema === undefined) {
    return [];
  }
  const validate = compiledFor(chart, chart.valuesSchema);
  if (validate instanceof Error) {
    return [{ severity: "warning", check: "helm-schema", resource, path: "", message: `not checked: ${chart.name}/values.schema.json does not compile: ${validate.message}` }];
  }
  const merged = coalesce(chart.values ?? {}, values);
  return schemaProblems(validate, merged).map((problem) => ({
    severity: "error",
    check: "helm-schema",
    resource,
    path: problem.path,
    message: `${problem.message} (${chart.name}/values.schema.json)`,
  }));
}

function compiledFor(chart: ChartReference, schema: Readonly<Record<string, unknown>>): ValidateFunction | Error {
  let entry = compiled.get(chart.dir);
  if (entry === undefined) {
    try {
      entry = compileSchema(schema);
    } catch (error) {
      entry = error instanceof Error ? error : new Error(String(error));
    }
    compiled.set(chart.dir, entry);
  }
  return entry;
}

/** Helm's merge: maps merge key by key, anything else replaces the default, and `null` removes it. */
export function coalesce(defaults: Readonly<Record<string, unknown>>, overrides: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const result: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(overrides)) {
    const base = result[key];
    if (value === null) {
      delete result[key];
    } else if (isPlainObject(value) && isPlainObject(base)) {
      result[key] = coalesce(base, value);
    } else {
      result[key] = value;
    }
  }
  return result;
}
