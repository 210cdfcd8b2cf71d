/**
 * Reads the stack's backup settings from the rendered objects of its offline plan, so a restore
 * follows wherever the program sends backups today (bucket, prefix, endpoint, credentials) with
 * nothing hard-coded here.
 */
import type { PlanDocument } from "../engine/plan-document";

/** A Kubernetes object as the plan rendered it (secret values are `[secret]`). */
export interface RenderedObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace: string; readonly [key: string]: unknown };
  readonly spec: Readonly<Record<string, unknown>>;
}

/** Every rendered object of `apiVersion`/`kind`, in plan order. */
export function objectsOf(plan: Pick<PlanDocument, "resources">, apiVersion: string, kind: string): RenderedObject[] {
  return plan.resources.flatMap((resource) => {
    const inputs = resource.inputs;
    if (inputs["apiVersion"] !== apiVersion || inputs["kind"] !== kind) return [];
    const metadata = record(inputs["metadata"]);
    const name = metadata["name"];
    if (typeof name !== "string") return [];
    const namespace = typeof metadata["namespace"] === "string" ? metadata["namespace"] : "default";
    return [{ apiVersion, kind, metadata: { ...metadata, name, namespace }, spec: record(inputs["spec"]) }];
  });
}

/** The value at `path` under `value`, or undefined where any step is missing. */
export function at(value: unknown, ...path: (string | number)[]): unknown {
  let current: unknown = value;
  for (const step of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string | number, unknown>)[step];
  }
  return current;
}

export function record(value: unknown): Readonly<Record<string, unknown>> {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function list(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

export function text(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}
