/**
 * The apps' requests at their most: each service's pod requests × its HPA maximum (or fixed
 * replica count), placed like `buildApps` places it (`pool`, else `role`).
 */
import { WAYPOINT_REPLICAS, WAYPOINT_REQUESTS } from "../service/resilience";
import type { AppServiceSpec } from "../../config/apps/service";
import { minAvailableFor } from "../service/autoscaler";
import type { Demand, Resources, Workload } from "./types";

/**
 * Init containers a service's pods run before the app (the migration init container of
 * `migration`, when that key exists). A pod's request is the larger of its containers' sum and
 * its largest init container (Kubernetes' effective request).
 */
export function initContainerRequests(spec: AppServiceSpec): readonly Resources[] {
  void spec;
  return [];
}

/**
 * Pods a service runs beside its stable Deployment at most: the canary or blue-green track of a
 * `release` (when that key exists). 0 without one.
 */
export function releaseTrackPods(spec: AppServiceSpec): number {
  void spec;
  return 0;
}

/** Kubernetes' effective pod request: max(sum of app containers, largest init container), per resource. */
export function podRequests(containers: readonly Resources[], initContainers: readonly Resources[]): Resources {
  const sum = containers.reduce((a, c) => ({ cpuMillis: a.cpuMillis + c.cpuMillis, memoryMi: a.memoryMi + c.memoryMi }), { cpuMillis: 0, memoryMi: 0 });
  return {
    cpuMillis: Math.max(sum.cpuMillis, ...initContainers.map((c) => c.cpuMillis)),
    memoryMi: Math.max(sum.memoryMi, ...initContainers.map((c) => c.memoryMi)),
  };
}

/**
 * Pods at the HPA maximum (or the fixed count), plus any release track; a cronjob or job counts
 * the pods one run starts at once (`parallelism`; with `concurrencyPolicy: Allow` overlapping runs
 * may start more, which strata does not count).
 */
export function maxPods(spec: AppServiceSpec): number {
  if (spec.kind === "cronjob") return spec.schedule?.parallelism ?? 1;
  if (spec.kind === "job") return spec.job?.parallelism ?? 1;
  return (spec.autoscaling?.maxReplicas ?? spec.replicas) + releaseTrackPods(spec);
}

/**
 * The apps' requests; with the mesh on, one waypoint per namespace whose services set
 * `resilience` (istiod values.yaml `global.waypoint.resources.requests`, on the worker pool:
 * Istio schedules waypoints without a node selector). `meshed` @default false
 */
export function appDemand(services: Readonly<Record<string, AppServiceSpec>>, meshed = false): Demand {
  const waypoints = meshed ? [...new Set(Object.values(services).flatMap((spec) => (spec.resilience === undefined ? [] : [spec.namespace])))].sort() : [];
  const workloads = Object.entries(services).map(
    ([name, spec]): Workload => ({
      owner: `app ${name}`,
      target: spec.pool === undefined ? { role: spec.role } : { pool: spec.pool },
      pods: maxPods(spec),
      perPod: podRequests([{ cpuMillis: spec.resources.cpuMillis, memoryMi: spec.resources.memoryMi }], initContainerRequests(spec)),
      // The Deployment's spread is ScheduleAnyway (apps/service/deployment.ts): only its budget constrains the nodes.
      ...budgetOf(name, spec),
    }),
  );
  const waypointWorkloads = waypoints.map((namespace): Workload => ({ owner: `waypoint ${namespace}`, target: { role: "worker" }, pods: WAYPOINT_REPLICAS, perPod: { ...WAYPOINT_REQUESTS } }));
  return { workloads: [...workloads, ...waypointWorkloads], daemonSets: [] };
}

/** The PodDisruptionBudget apps/service gives a service, as a placement rule. */
function budgetOf(name: string, spec: AppServiceSpec): Pick<Workload, "placement"> {
  const minAvailable = minAvailableFor(spec);
  return minAvailable === undefined ? {} : { placement: { onePerNode: false, minAvailable, key: `strata:apps.services.${name}.minAvailable` } };
}
