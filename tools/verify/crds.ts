/**
 * CustomResourceDefinitions found in `<charts>/*\/crds/*.yaml` (multi-document YAML; Helm
 * template guard lines such as `{{- if .Values.crds.create }}` are skipped), indexed by group and
 * kind, with each version's openAPIV3Schema turned into plain JSON Schema for ajv.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { isPlainObject } from "./key-path";

export interface CrdVersion {
  readonly name: string;
  readonly served: boolean;
  /** The version's openAPIV3Schema, converted by `toJsonSchema`; undefined when the CRD has none. */
  readonly schema: Readonly<Record<string, unknown>> | undefined;
}

export interface Crd {
  readonly group: string;
  readonly kind: string;
  /** File the CRD came from, relative to the charts folder. */
  readonly file: string;
  readonly versions: readonly CrdVersion[];
}

/** CRDs keyed by `<group>/<kind>`. */
export type CrdIndex = ReadonlyMap<string, Crd>;

const cache = new Map<string, CrdIndex>();

export function crdKey(group: string, kind: string): string {
  return `${group}/${kind}`;
}

export function loadCrds(chartsDir: string): CrdIndex {
  let index = cache.get(chartsDir);
  if (index === undefined) {
    index = readCrds(chartsDir);
    cache.set(chartsDir, index);
  }
  return index;
}

function readCrds(chartsDir: string): CrdIndex {
  const index = new Map<string, Crd>();
  for (const chart of readdirSync(chartsDir, { withFileTypes: true }).filter((entry) => entry.isDirectory())) {
    const crdDir = join(chartsDir, chart.name, "crds");
    if (!existsSync(crdDir)) {
      continue;
    }
    for (const file of readdirSync(crdDir).filter((name) => /\.ya?ml$/.test(name)).sort()) {
      for (const crd of crdsInFile(join(crdDir, file), `${chart.name}/crds/${file}`)) {
        index.set(crdKey(crd.group, crd.kind), crd);
      }
    }
  }
  return index;
}

function crdsInFile(path: string, label: string): Crd[] {
  const text = readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => !/^\s*\{\{.*\}\}\s*$/.test(line))
    .join("\n");
  return parseAllDocuments(text).flatMap((document) => {
    const crd: unknown = document.toJS({ maxAliasCount: -1 });
    return isPlainObject(crd) && crd["kind"] === "CustomResourceDefinition" ? toCrd(crd, label) : [];
  });
}

function toCrd(crd: Record<string, unknown>, file: string): Crd[] {
  const spec = crd["spec"];
  if (!isPlainObject(spec) || !isPlainObject(spec["names"]) || typeof spec["group"] !== "string") {
    return [];
  }
  const kind = spec["names"]["kind"];
  const versions = Array.isArray(spec["versions"]) ? spec["versions"] : [];
  return typeof kind === "string" ? [{ group: spec["group"], kind, file, versions: versions.flatMap(toVersion) }] : [];
}

function toVersion(version: unknown): CrdVersion[] {
  if (!isPlainObject(version) || typeof version["name"] !== "string") {
    return [];
  }
  const schema = isPlainObject(version["schema"]) ? version["schema"]["openAPIV3Schema"] : undefined;
  return [
    {
      name: version["name"],
      served: version["served"] !== false,
      schema: isPlainObject(schema) ? rootSchema(toJsonSchema(schema)) : undefined,
    },
  ];
}

/** Every object carries apiVersion, kind and metadata even where the CRD schema leaves them out. */
function rootSchema(schema: Record<string, unknown>): Record<string, unknown> {
  const properties = isPlainObject(schema["properties"]) ? schema["properties"] : {};
  return {
    ...schema,
    properties: {
      ...properties,
      apiVersion: { type: "string" },
      kind: { type: "string" },
      metadata: { type: "object" },
    },
  };
}

/**
 * Structural schema → JSON Schema:
 * - `x-kubernetes-int-or-string` becomes integer-or-string;
 * - `nullable: true` adds `null` to the type;
 * - an object with `properties` rejects other fields (the API server's strict field validation),
 *   unless it has `x-kubernetes-preserve-unknown-fields` or its own `additionalProperties`;
 * - `x-kubernetes-embedded-resource` objects also accept apiVersion, kind and metadata;
 * - every other `x-kubernetes-*` extension (list types, CEL validations) is dropped.
 */
export function toJsonSchema(node: Record<string, unknown>, closeObjects = true): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith("x-kubernetes-") || key === "nullable") {
      continue;
    }
    result[key] = convertChild(key, value, closeObjects);
  }
  if (node["x-kubernetes-int-or-string"] === true) {
    delete result["type"];
    result["anyOf"] = [{ type: "integer" }, { type: "string" }];
  }
  if (node["nullable"] === true && typeof result["type"] === "string") {
    result["type"] = [result["type"], "null"];
  }
  if (node["x-kubernetes-embedded-resource"] === true) {
    result["properties"] = { apiVersion: { type: "string" }, kind: { type: "string" }, metadata: { type: "object" }, ...asRecord(result["properties"]) };
  }
  const closed = closeObjects && isPlainObject(result["properties"]) && node["x-kubernetes-preserve-unknown-fields"] !== true;
  if (closed && result["additionalProperties"] === undefined) {
    result["additionalProperties"] = false;
  }
  return result;
}

function convertChild(key: string, value: unknown, closeObjects: boolean): unknown {
  const convert = (schema: unknown, close: boolean): unknown => (isPlainObject(schema) ? toJsonSchema(schema, close) : schema);
  if (key === "properties" || key === "patternProperties" || key === "definitions") {
    return isPlainObject(value) ? Object.fromEntries(Object.entries(value).map(([name, schema]) => [name, convert(schema, closeObjects)])) : value;
  }
  if (key === "items" || key === "additionalProperties") {
    return convert(value, closeObjects);
  }
  // Branches of allOf/anyOf/oneOf/not only add constraints to fields declared beside them, so
  // they must not reject the fields they do not repeat.
  if (key === "not") {
    return convert(value, false);
  }
  if (key === "allOf" || key === "anyOf" || key === "oneOf") {
    return Array.isArray(value) ? value.map((branch) => convert(branch, false)) : value;
  }
  return value;
}

function asRecord(value: unknown): Record<string, unknown> {
  return isPlainObject(value) ? value : {};
}
