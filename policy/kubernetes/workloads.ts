/**
 * Finds the pod spec inside any Kubernetes workload the program declares (Pod, Deployment,
 * StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob), so one policy covers
 * every kind later layers add. Helm releases and `yaml` ConfigFiles are opaque here: the pods they
 * render are not Pulumi resources and never reach a policy.
 */

/** The Kubernetes kinds whose inputs carry a pod template, by type token. */
const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
  "kubernetes:core/v1:Pod": ["spec"],
  "kubernetes:core/v1:ReplicationController": ["spec", "template", "spec"],
  "kubernetes:apps/v1:Deployment": ["spec", "template", "spec"],
  "kubernetes:apps/v1:StatefulSet": ["spec", "template", "spec"],
  "kubernetes:apps/v1:DaemonSet": ["spec", "template", "spec"],
  "kubernetes:apps/v1:ReplicaSet": ["spec", "template", "spec"],
  "kubernetes:batch/v1:Job": ["spec", "template", "spec"],
  "kubernetes:batch/v1:CronJob": ["spec", "jobTemplate", "spec", "template", "spec"],
};

/** Kinds that run until stopped: these need probes. Jobs and bare pods run to completion or are one-offs. */
const LONG_RUNNING = new Set(["kubernetes:apps/v1:Deployment", "kubernetes:apps/v1:StatefulSet", "kubernetes:apps/v1:DaemonSet", "kubernetes:apps/v1:ReplicaSet", "kubernetes:core/v1:ReplicationController"]);

export type Obj = Record<string, unknown>;

export interface Container extends Obj {
  readonly name?: string;
  readonly image?: string;
  readonly securityContext?: Obj;
  readonly resources?: { readonly requests?: Obj; readonly limits?: Obj };
  readonly readinessProbe?: unknown;
  readonly livenessProbe?: unknown;
}

export interface PodSpec extends Obj {
  readonly containers?: readonly Container[];
  readonly initContainers?: readonly Container[];
  readonly securityContext?: Obj;
  readonly volumes?: readonly Obj[];
  readonly hostNetwork?: boolean;
  readonly hostPID?: boolean;
  readonly hostIPC?: boolean;
}

export interface Workload {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly longRunning: boolean;
  readonly pod: PodSpec;
  /** Labels of the pod template (what a PDB or Service selects). */
  readonly podLabels: Readonly<Record<string, string>>;
}

export function isObj(value: unknown): value is Obj {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function get(value: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>((acc, key) => (isObj(acc) ? acc[key] : undefined), value);
}

function strings(value: unknown): Record<string, string> {
  if (!isObj(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === "string"));
}

/** The workload a resource declares, or undefined when the type carries no pod template. */
export function workloadOf(type: string, props: Obj): Workload | undefined {
  const path = POD_SPEC_PATHS[type];
  if (path === undefined) return undefined;
  const pod = get(props, path);
  if (!isObj(pod)) return undefined;
  const templateMeta = type === "kubernetes:core/v1:Pod" ? props["metadata"] : get(props, [...path.slice(0, -1), "metadata"]);
  const metadata = isObj(props["metadata"]) ? props["metadata"] : {};
  return {
    kind: type.split(":").pop() ?? type,
    namespace: typeof metadata["namespace"] === "string" ? metadata["namespace"] : "default",
    name: typeof metadata["name"] === "string" ? metadata["name"] : "",
    longRunning: LONG_RUNNING.has(type),
    pod,
    podLabels: strings(get(templateMeta, ["labels"])),
  };
}

/** Every container of a pod, init containers included, with where it sits. */
export function containersOf(pod: PodSpec): { readonly container: Container; readonly init: boolean }[] {
  return [...(pod.initContainers ?? []).map((container) => ({ container, init: true })), ...(pod.containers ?? []).map((container) => ({ container, init: false }))];
}

/** `container "x"` or `init container "x"`, for messages. */
export function describe(entry: { readonly container: Container; readonly init: boolean }): string {
  return `${entry.init ? "init container" : "container"} "${entry.container.name ?? "?"}"`;
}
