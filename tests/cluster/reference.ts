/**
 * Checks rendered objects against the chart reference data (values.yaml keys, CRD schemas) and
 * built-in objects against the Kubernetes OpenAPI schema (kubernetes-models). The reference
 * folder is found by walking up from the repository to `shared/reference/charts`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import Ajv from "ajv";
import { parse, parseAllDocuments } from "yaml";

export function findChartReference(): string | undefined {
  let dir = path.resolve(__dirname, "../..");
  for (let i = 0; i < 5; i++) {
    const candidate = path.join(dir, "shared", "reference", "charts");
    if (fs.existsSync(path.join(candidate, "INDEX.md"))) return candidate;
    dir = path.dirname(dir);
  }
  return undefined;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
const isMap = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Pulumi serialises secrets as a signature-tagged wrapper; the tests want the plain value. */
export function unwrapSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (!isMap(value)) return value;
  if ("4dabf18193072939515e22adb298388d" in value) return unwrapSecrets(value["value"]);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrapSecrets(v)]));
}

/** Keys whose value is a label/annotation-style map: any key is allowed inside, whatever the default holds. */
const FREE_FORM_KEYS = new Set(["nodeSelector", "annotations", "labels", "podAnnotations", "podLabels", "commonLabels", "additionalLabels"]);

/** Key paths set in `values` that the chart's values.yaml does not have (free-form maps and lists excepted). */
export function unknownValueKeys(values: unknown, defaults: unknown, at = ""): string[] {
  if (!isMap(values) || !isMap(defaults)) return [];
  if (Object.keys(defaults).length === 0 || FREE_FORM_KEYS.has(at.split(".").pop() ?? "")) return [];
  return Object.entries(values).flatMap(([key, value]) => {
    const here = at === "" ? key : `${at}.${key}`;
    if (!(key in defaults)) return [here];
    const def = defaults[key];
    if (isMap(value) && isMap(def)) return unknownValueKeys(value, def, here);
    return [];
  });
}

export function chartDefaults(reference: string, chart: string): unknown {
  return parse(fs.readFileSync(path.join(reference, chart, "values.yaml"), "utf8"));
}

interface Schema {
  readonly properties?: Record<string, Schema>;
  readonly items?: Schema;
  readonly additionalProperties?: Schema | boolean;
  readonly "x-kubernetes-preserve-unknown-fields"?: boolean;
}

export interface CrdIndex {
  readonly schemaOf: (apiVersion: string, kind: string) => Schema | undefined;
}

export function loadCrds(reference: string): CrdIndex {
  const schemas = new Map<string, Schema>();
  for (const chart of fs.readdirSync(reference)) {
    const dir = path.join(reference, chart, "crds");
    if (!fs.existsSync(dir)) continue;
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".yaml"))) {
      for (const doc of parseAllDocuments(fs.readFileSync(path.join(dir, file), "utf8"))) {
        const crd = doc.toJS() as { kind?: string; spec?: { group: string; names: { kind: string }; versions: { name: string; schema?: { openAPIV3Schema: Schema } }[] } } | null;
        if (crd?.kind !== "CustomResourceDefinition" || !crd.spec) continue;
        for (const version of crd.spec.versions) {
          if (version.schema) schemas.set(`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`, version.schema.openAPIV3Schema);
        }
      }
    }
  }
  return { schemaOf: (apiVersion, kind) => schemas.get(`${apiVersion}/${kind}`) };
}

/** Fields a structural schema would silently prune: typos the API server never reports. */
export function unknownFields(value: unknown, schema: Schema, at = ""): string[] {
  if (schema["x-kubernetes-preserve-unknown-fields"]) return [];
  if (Array.isArray(value)) return schema.items ? value.flatMap((item, i) => unknownFields(item, schema.items!, `${at}[${i}]`)) : [];
  if (!isMap(value)) return [];
  if (!schema.properties) {
    const extra = schema.additionalProperties;
    return typeof extra === "object" ? Object.entries(value).flatMap(([k, v]) => unknownFields(v, extra, `${at}.${k}`)) : [];
  }
  return Object.entries(value).flatMap(([key, v]) => {
    const sub = schema.properties?.[key];
    if (sub === undefined) return [`${at}.${key}`];
    return unknownFields(v, sub, `${at}.${key}`);
  });
}

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });

/** Schema errors of a custom resource against its CRD (metadata is checked by the API server). */
export function crdErrors(object: Record<string, unknown>, schema: Schema): string[] {
  const withoutMeta = { ...object, metadata: {} };
  const validate = ajv.compile(schema as object);
  const errors = validate(withoutMeta) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ""}`);
  return [...errors, ...unknownFields(withoutMeta, schema).map((f) => `${f} is not in the CRD schema`)];
}

type ModelClass = new (data: unknown) => { validate(): void };

/** Validates a built-in object against the Kubernetes OpenAPI schema via kubernetes-models. */
export async function builtInErrors(object: Record<string, unknown> & { apiVersion: string; kind: string }): Promise<string | undefined> {
  const mod = (await import(`kubernetes-models/${object.apiVersion}/${object.kind}`)) as Record<string, ModelClass>;
  const Model = mod[object.kind];
  if (Model === undefined) return `no kubernetes-models class for ${object.apiVersion} ${object.kind}`;
  try {
    new Model(object).validate();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

export type { Json };
