/**
 * Finds fields a schema validator never looked at. The Kubernetes schemas compiled into
 * kubernetes-models do not forbid unknown fields, but their validators read every declared
 * property of every object they descend into. Wrapping the document in proxies that record those
 * reads shows which fields are not part of the schema. Two guards keep this honest:
 *   - an object whose keys the validator enumerated is a map (labels, annotations, data), so all
 *     of its keys are accepted;
 *   - an object the validator read nothing from (free-form JSON such as `RawExtension`, or a part
 *     it never reached) is not judged.
 * `x-kubernetes-*` keys are always accepted: they are real fields of CRD schemas
 * (JSONSchemaProps) that the compiled schema does not list.
 */
import { childPath, isPlainObject } from "./key-path";
import type { Problem } from "./json-schema";

export class FieldTracker {
  private readonly reads = new WeakMap<object, Set<string>>();
  private readonly enumerated = new WeakSet<object>();
  private readonly proxies = new WeakMap<object, object>();

  /** A proxy of `value` that records reads; pass a copy, never shared or frozen data. */
  public wrap(value: unknown): unknown {
    if (value === null || typeof value !== "object") {
      return value;
    }
    const cached = this.proxies.get(value);
    if (cached !== undefined) {
      return cached;
    }
    const proxy = new Proxy(value, {
      get: (target, key, receiver) => {
        this.record(target, key);
        return this.wrap(Reflect.get(target, key, receiver));
      },
      has: (target, key) => {
        this.record(target, key);
        return Reflect.has(target, key);
      },
      ownKeys: (target) => {
        this.enumerated.add(target);
        return Reflect.ownKeys(target);
      },
    });
    this.proxies.set(value, proxy);
    return proxy;
  }

  /** Fields of `document` (the object that was wrapped) that the validator did not read. */
  public unknownFields(document: unknown, path = ""): Problem[] {
    if (Array.isArray(document)) {
      return document.flatMap((item: unknown, index) => this.unknownFields(item, childPath(path, index)));
    }
    if (!isPlainObject(document)) {
      return [];
    }
    const reads = this.reads.get(document);
    const judged = reads !== undefined && !this.enumerated.has(document);
    return Object.entries(document).flatMap(([key, value]) => {
      const keyPath = childPath(path, key);
      if (judged && !reads.has(key) && !key.startsWith("x-kubernetes-")) {
        return [{ path: keyPath, message: "unknown field (not in the Kubernetes schema)" }];
      }
      return this.unknownFields(value, keyPath);
    });
  }

  private record(target: object, key: string | symbol): void {
    if (typeof key !== "string") {
      return;
    }
    let reads = this.reads.get(target);
    if (reads === undefined) {
      reads = new Set();
      this.reads.set(target, reads);
    }
    reads.add(key);
  }
}
