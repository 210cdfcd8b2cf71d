/**
 * Key paths in findings. Plain keys join with dots; keys that are not identifiers (annotation
 * names such as `prometheus.io/scrape`) are quoted in brackets; list items use `[index]`.
 */

const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

export function childPath(parent: string, key: string | number): string {
  if (typeof key === "number") {
    return `${parent}[${key}]`;
  }
  if (!PLAIN_KEY.test(key)) {
    return `${parent}[${JSON.stringify(key)}]`;
  }
  return parent === "" ? key : `${parent}.${key}`;
}

/** Turns a JSON pointer (`/spec/template/0`) as reported by ajv into a key path (`spec.template[0]`). */
export function pointerToPath(pointer: string): string {
  if (pointer === "") {
    return "";
  }
  return pointer
    .split("/")
    .slice(1)
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce<string>((path, part) => childPath(path, /^\d+$/.test(part) ? Number(part) : part), "");
}

/** Reads the value a JSON pointer points to, or `undefined` when the pointer leaves the document. */
export function valueAtPointer(document: unknown, pointer: string): unknown {
  let current: unknown = document;
  for (const raw of pointer.split("/").slice(1)) {
    const part = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (current === null || typeof current !== "object") {
      return undefined;
    }
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
