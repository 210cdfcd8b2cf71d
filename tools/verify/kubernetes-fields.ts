/**
 * Fields a built-in Kubernetes object sets that its type does not declare. The compiled schemas in
 * kubernetes-models do not forbid unknown fields, so the field list comes from the models generated
 * from the Kubernetes OpenAPI spec in `@kubernetes/client-node`: each model class lists every field
 * (JSON name and type) in `getAttributeTypeMap()`. The walk follows those types:
 *   - a model type (`V1PodSpec`): every key must be one of its fields;
 *   - `Array<T>`: each item is walked as `T`;
 *   - `{ [key: string]: T; }`: a map (labels, annotations, data, nodeSelector, resources.limits):
 *     any key, each value walked as `T`;
 *   - anything else (scalars, `IntOrString`, and `any` for free-form JSON such as `RawExtension`
 *     or a CRD's `default`) is not judged.
 * Types and values are kubernetes-models' concern: a value of the wrong shape is skipped here.
 */
import type { GroupVersion } from "./kubernetes-schema";
import type { Problem } from "./json-schema";
import { childPath, isPlainObject } from "./key-path";

export const UNKNOWN_FIELD = "unknown field (not in the Kubernetes schema)";

/** One entry of a generated model's `getAttributeTypeMap()`: `baseName` is the JSON field name. */
interface Attribute {
  readonly baseName: string;
  readonly type: string;
}

interface Model {
  getAttributeTypeMap(): unknown;
}

/** JSON field name → type, per model name; `undefined` when the name is not a model. */
type FieldCatalog = (typeName: string) => ReadonlyMap<string, string> | undefined;

const ARRAY = /^Array<(.+)>$/;
const MAP = /^\{ \[key: string\]: (.+); \}$/;

let catalog: Promise<FieldCatalog> | undefined;

function loadCatalog(): Promise<FieldCatalog> {
  // A variable specifier keeps the package's own type declarations (and the @types/node version
  // they pull in) out of this project's compilation; the models are checked at run time instead.
  const specifier: string = "@kubernetes/client-node";
  catalog ??= import(specifier).then((module: Readonly<Record<string, unknown>>) => catalogOf(module));
  return catalog;
}

function catalogOf(module: Readonly<Record<string, unknown>>): FieldCatalog {
  const fields = new Map<string, ReadonlyMap<string, string> | undefined>();
  return (typeName) => {
    if (!fields.has(typeName)) {
      const model = module[typeName];
      fields.set(typeName, isModel(model) ? fieldsOf(model) : undefined);
    }
    return fields.get(typeName);
  };
}

function isModel(value: unknown): value is Model {
  return typeof value === "function" && typeof (value as Partial<Model>).getAttributeTypeMap === "function";
}

function fieldsOf(model: Model): ReadonlyMap<string, string> | undefined {
  const attributes = model.getAttributeTypeMap();
  if (!Array.isArray(attributes) || !attributes.every(isAttribute)) {
    return undefined;
  }
  return new Map(attributes.map((attribute): [string, string] => [attribute.baseName, attribute.type]));
}

function isAttribute(value: unknown): value is Attribute {
  return isPlainObject(value) && typeof value["baseName"] === "string" && typeof value["type"] === "string";
}

/**
 * The model name the generator gives a kind: `<Version><Kind>` (`V1PriorityClass`), or with the
 * group's first label in front where two groups share a kind (`CoreV1Event`, `EventsV1Event`).
 */
function modelNames({ group, version }: GroupVersion, kind: string): string[] {
  const prefix = group === "" ? "Core" : capitalise(group.split(".")[0] ?? "");
  return [`${prefix}${capitalise(version)}${kind}`, `${capitalise(version)}${kind}`];
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/**
 * The model name for a top-level kind (one whose fields include apiVersion and kind), or
 * `undefined` when the Kubernetes API in `@kubernetes/client-node` does not serve it.
 */
export async function kindModel(groupVersion: GroupVersion, kind: string): Promise<string | undefined> {
  const fields = await loadCatalog();
  return modelNames(groupVersion, kind).find((name) => {
    const declared = fields(name);
    return declared?.has("apiVersion") === true && declared.has("kind");
  });
}

/** Keys of `value` (walked as type `typeName`, at `path`) that the Kubernetes API does not declare. */
export async function unknownFields(value: unknown, typeName: string, path = ""): Promise<Problem[]> {
  return walk(value, typeName, path, await loadCatalog());
}

function walk(value: unknown, type: string, path: string, fields: FieldCatalog): Problem[] {
  const item = ARRAY.exec(type)?.[1];
  if (item !== undefined) {
    return Array.isArray(value) ? value.flatMap((element: unknown, index) => walk(element, item, childPath(path, index), fields)) : [];
  }
  const entry = MAP.exec(type)?.[1];
  if (entry !== undefined) {
    return isPlainObject(value) ? Object.entries(value).flatMap(([key, child]) => walk(child, entry, childPath(path, key), fields)) : [];
  }
  const declared = fields(type);
  if (declared === undefined || !isPlainObject(value)) {
    return [];
  }
  return Object.entries(value).flatMap(([key, child]) => {
    const keyPath = childPath(path, key);
    const fieldType = declared.get(key);
    return fieldType === undefined ? [{ path: keyPath, message: UNKNOWN_FIELD }] : walk(child, fieldType, keyPath, fields);
  });
}
