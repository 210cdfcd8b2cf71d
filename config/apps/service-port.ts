/**
 * `strata:apps.services.<name>.servicePort`: the port the Service (and the route, and callers)
 * use, when it differs from the container port. Lets an image that listens on a non-privileged
 * port (8080, 3000) keep the port 80 its clients know, without NET_BIND_SERVICE or root.
 */
import { port } from "../common";

export const servicePort = port.optional().describe("Port of the Service in front of the pods (routes and callers use it); it forwards to `port`. Default: `port`.");

/** The Service's port for a spec: `servicePort`, else the container port (of a kind `service`, which parsing made sure has one). */
export function servicePortOf(spec: { readonly port?: number | undefined; readonly servicePort?: number | undefined }): number {
  return spec.servicePort ?? containerPortOf(spec);
}

/** The container port of a kind `service`; parsing refuses a service without one (`workload-kind-checks.ts`). */
export function containerPortOf(spec: { readonly port?: number | undefined }): number {
  if (spec.port === undefined) throw new Error("a service without a port reached rendering; kind service requires one");
  return spec.port;
}

/** The Service cannot expose two ports with one number: `servicePort` must not be the metrics port. */
export function servicePortProblems(key: string, spec: { readonly servicePort?: number | undefined; readonly metricsPort?: number | undefined }): string[] {
  if (spec.servicePort === undefined || spec.servicePort !== spec.metricsPort) return [];
  return [`${key}.servicePort: must differ from metricsPort (got ${spec.servicePort}); the Service exposes both, so give HTTP another port such as 80`];
}
