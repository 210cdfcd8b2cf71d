/**
 * Built-in Kubernetes objects validate against the Kubernetes OpenAPI schema compiled into
 * kubernetes-models: the model class is found by apiVersion and kind in
 * `kubernetes-models/<group>/<version>` and its validator checks types and values. Fields the
 * schema does not declare are reported from the Kubernetes field list (see kubernetes-fields.ts).
 */
import type { ErrorObject } from "ajv";
import { type Problem, problemsFromErrors } from "./json-schema";
import { kindModel, unknownFields } from "./kubernetes-fields";
import { isPlainObject } from "./key-path";

/** API groups served by the Kubernetes API server itself (the groups kubernetes-models 5.1 covers); `""` is core. */
export const BUILT_IN_GROUPS: readonly string[] = [
  "",
  "admissionregistration.k8s.io",
  "apiextensions.k8s.io",
  "apiregistration.k8s.io",
  "apps",
  "authentication.k8s.io",
  "authorization.k8s.io",
  "autoscaling",
  "batch",
  "certificates.k8s.io",
  "coordination.k8s.io",
  "discovery.k8s.io",
  "events.k8s.io",
  "extensions",
  "flowcontrol.apiserver.k8s.io",
  "networking.k8s.io",
  "node.k8s.io",
  "policy",
  "rbac.authorization.k8s.io",
  "resource.k8s.io",
  "scheduling.k8s.io",
  "storage.k8s.io",
];

export interface GroupVersion {
  readonly group: string;
  readonly version: string;
}

/** `apps/v1` → `{ group: "apps", version: "v1" }`; `v1` and `core/v1` → the core group. */
export function splitApiVersion(apiVersion: string): GroupVersion {
  const slash = apiVersion.lastIndexOf("/");
  const group = slash < 0 ? "" : apiVersion.slice(0, slash);
  return { group: group === "core" ? "" : group, version: apiVersion.slice(slash + 1) };
}

export function isBuiltInApiVersion(apiVersion: string): boolean {
  return BUILT_IN_GROUPS.includes(splitApiVersion(apiVersion).group);
}

interface ModelClass {
  readonly apiVersion: string;
  readonly kind: string;
  readonly prototype: { validate(): void };
}

const modules = new Map<string, Promise<Readonly<Record<string, unknown>> | undefined>>();

async function modelClass({ group, version }: GroupVersion, kind: string): Promise<ModelClass | undefined> {
  const specifier = group === "" ? `kubernetes-models/${version}` : `kubernetes-models/${group}/${version}`;
  let loading = modules.get(specifier);
  if (loading === undefined) {
    loading = import(specifier).then(
      (module: Readonly<Record<string, unknown>>) => module,
      () => undefined,
    );
    modules.set(specifier, loading);
  }
  const candidate = (await loading)?.[kind];
  return isModelClass(candidate, kind) ? candidate : undefined;
}

function isModelClass(value: unknown, kind: string): value is ModelClass {
  return typeof value === "function" && (value as { kind?: unknown }).kind === kind;
}

/**
 * Problems with a built-in Kubernetes object (empty when valid). Secret placeholders do not fail
 * type or format checks. Objects of other API groups are custom resources and are reported as
 * such: check them against their CRD.
 */
export async function validateKubernetesObject(object: unknown): Promise<Problem[]> {
  if (!isPlainObject(object) || typeof object["apiVersion"] !== "string" || typeof object["kind"] !== "string") {
    return [{ path: "", message: "not a Kubernetes object: apiVersion and kind must be strings" }];
  }
  const { apiVersion, kind } = object;
  if (!isBuiltInApiVersion(apiVersion)) {
    return [{ path: "apiVersion", message: `${apiVersion} is not a built-in Kubernetes API group; validate ${kind} against its CRD` }];
  }
  const groupVersion = splitApiVersion(apiVersion);
  const model = await modelClass(groupVersion, kind);
  if (model === undefined) {
    return [{ path: "kind", message: `${kind} is not a kind served by ${apiVersion} (Kubernetes OpenAPI schema in kubernetes-models)` }];
  }
  const fields = await kindModel(groupVersion, kind);
  if (fields === undefined) {
    const message = `${apiVersion} ${kind} is not in the current Kubernetes API (@kubernetes/client-node models); use a served version`;
    return [{ path: "apiVersion", message }];
  }
  const document = withoutEngineFields(object);
  const errors = runValidator(model, document);
  return [...problemsFromErrors(errors, document), ...(await unknownFields(document, fields))];
}

/**
 * `metadata` of any object, custom resources included, is an ObjectMeta. It is checked by
 * validating it on a ConfigMap, the smallest built-in kind that holds nothing but metadata.
 */
export async function validateObjectMeta(metadata: unknown): Promise<Problem[]> {
  if (metadata === undefined) {
    return [];
  }
  const carrier = { apiVersion: "v1", kind: "ConfigMap", metadata };
  return validateKubernetesObject(carrier);
}

function runValidator(model: ModelClass, document: unknown): readonly ErrorObject[] {
  try {
    // The model's validate() checks `this`; calling it on the plain object avoids constructing a
    // model, which copies every field.
    model.prototype.validate.call(document);
    return [];
  } catch (error) {
    const errors = (error as { errors?: unknown }).errors;
    if (Array.isArray(errors)) {
      return errors as ErrorObject[];
    }
    throw error;
  }
}

/** `status` is output-only; the engine records it as null or leaves it out. */
function withoutEngineFields(object: Record<string, unknown>): Record<string, unknown> {
  const { status, ...rest } = object;
  return status === null || status === undefined ? rest : object;
}
