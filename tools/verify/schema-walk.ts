/**
 * Looks up what a values.schema.json declares for a key, following local `$ref`s
 * (`#/$defs/…`, `#/definitions/…`) and `allOf` branches. Used to accept keys a chart documents
 * in its schema but leaves out of values.yaml.
 */
import { isPlainObject } from "./key-path";

export type SchemaNode = Readonly<Record<string, unknown>>;

const MAX_REF_HOPS = 32;

export function resolveRef(root: SchemaNode | undefined, node: SchemaNode | undefined): SchemaNode | undefined {
  let current = node;
  for (let hop = 0; hop < MAX_REF_HOPS && current !== undefined; hop++) {
    const ref = current["$ref"];
    if (typeof ref !== "string" || !ref.startsWith("#") || root === undefined) {
      return current;
    }
    const target = pointerIn(root, ref.slice(1));
    current = isPlainObject(target) ? target : undefined;
  }
  return current;
}

function pointerIn(root: SchemaNode, pointer: string): unknown {
  return pointer
    .split("/")
    .slice(1)
    .map((part) => decodeURIComponent(part).replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce<unknown>((node, part) => (isPlainObject(node) ? node[part] : undefined), root);
}

/** The schema of `key` below `node`, or undefined when the schema does not declare it. */
export function schemaChild(root: SchemaNode | undefined, node: SchemaNode | undefined, key: string): SchemaNode | undefined {
  for (const branch of branches(root, node)) {
    const properties = branch["properties"];
    if (isPlainObject(properties) && isPlainObject(properties[key])) {
      return resolveRef(root, properties[key]);
    }
  }
  return undefined;
}

/** True when the schema lets `node` hold keys it does not list (a map with an item schema or `additionalProperties: true`). */
export function isOpenMap(root: SchemaNode | undefined, node: SchemaNode | undefined): boolean {
  return branches(root, node).some((branch) => {
    const additional = branch["additionalProperties"];
    return additional === true || isPlainObject(additional) || isPlainObject(branch["patternProperties"]);
  });
}

/** True for an object schema that declares no properties and does not close itself: `{ "type": "object" }`. */
export function isFreeFormObject(root: SchemaNode | undefined, node: SchemaNode | undefined): boolean {
  const all = branches(root, node);
  const isObject = all.some((branch) => branch["type"] === "object" || (Array.isArray(branch["type"]) && branch["type"].includes("object")));
  const declares = all.some((branch) => isPlainObject(branch["properties"]) || branch["additionalProperties"] === false);
  return isObject && !declares;
}

function branches(root: SchemaNode | undefined, node: SchemaNode | undefined): SchemaNode[] {
  const resolved = resolveRef(root, node);
  if (resolved === undefined) {
    return [];
  }
  const allOf = Array.isArray(resolved["allOf"]) ? resolved["allOf"] : [];
  const nested = allOf.flatMap((branch: unknown) => (isPlainObject(branch) ? branches(root, branch) : []));
  return [resolved, ...nested];
}
