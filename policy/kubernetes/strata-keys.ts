/**
 * The strata key behind a Kubernetes field a policy names, so a violation on an app's pods says
 * what to change in the stack config (`strata:apps.services.<name>.<key>`), not only the field.
 * App pods carry `app.kubernetes.io/component: app` and their service's name
 * (`apps/service/index.ts`); other workloads are built by strata's own code, whose fix is there.
 */
import type { Workload } from "./workloads";

/** Kubernetes field (as policy messages write it) → the app service key that sets it. */
const APP_KEYS: readonly (readonly [RegExp, string])[] = [
  [/requests\.cpu/, "resources.cpuMillis"],
  [/requests\.memory/, "resources.memoryMi"],
  [/limits\.cpu/, "resources.limitCpuMillis"],
  [/limits\.memory/, "resources.limitMemoryMi"],
  [/readinessProbe|livenessProbe|startupProbe/, "probes"],
  [/\bimage\b/, "image"],
  [/readOnlyRootFilesystem/, "security.readOnlyRootFilesystem"],
  [/runAsNonRoot|runAsUser/, "security.runAsUser"],
  [/PodDisruptionBudget/, "minAvailable"],
];

/** The app service a workload runs, when it is one of `strata:apps.services`. */
export function appServiceOf(workload: Pick<Workload, "podLabels">): string | undefined {
  return workload.podLabels["app.kubernetes.io/component"] === "app" ? workload.podLabels["app.kubernetes.io/name"] : undefined;
}

/** `message`, followed by the strata keys that set the fields it names when the workload is an app. */
export function withStrataKey(workload: Pick<Workload, "podLabels">, message: string): string {
  const service = appServiceOf(workload);
  if (service === undefined) return message;
  const keys = APP_KEYS.filter(([field]) => field.test(message)).map(([, key]) => `strata:apps.services.${service}.${key}`);
  return keys.length === 0 ? message : `${message} (strata key: ${[...new Set(keys)].join(", ")})`;
}
