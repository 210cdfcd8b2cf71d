/**
 * Ordering for monitors. ServiceMonitors, PodMonitors and charts that render them need the
 * Prometheus Operator CRDs, which the observability release installs in the same `pulumi up`.
 * The data services are declared before observability (its logs and traces need the object
 * store), so they wait on a promise the platform layer settles once observability is declared:
 * the CRD-installing release, or nothing when observability is off or deployed by another stack.
 */
import type * as pulumi from "@pulumi/pulumi";

/** What monitors wait for; settles to the release that installs the Prometheus Operator CRDs, if any. */
export type MonitoringCrds = Promise<readonly pulumi.Resource[]>;

/** A `MonitoringCrds` the caller settles later, once the releases it depends on are declared. */
export function deferredMonitoringCrds(): { readonly crds: MonitoringCrds; readonly settle: (resources: readonly pulumi.Resource[]) => void } {
  let settle: (resources: readonly pulumi.Resource[]) => void = () => undefined;
  const crds = new Promise<readonly pulumi.Resource[]>((resolve) => {
    settle = resolve;
  });
  return { crds, settle };
}

/** `dependsOn` for a resource that needs `deps` and, when given, the monitoring CRDs. */
export function withMonitoringCrds(deps: readonly pulumi.Input<pulumi.Resource>[], crds: MonitoringCrds | undefined): pulumi.Input<pulumi.Input<pulumi.Resource>[]> {
  return crds === undefined ? [...deps] : crds.then((extra) => [...deps, ...extra]);
}
