/**
 * Pure: the tracks a service runs and how its route weighs them. Without a release there is one
 * track, `<name>`. A canary adds `<name>-canary` (the same spec on the release image) and the
 * route sends it `weightPercent` % of the requests. Blue-green runs `<name>-blue` (`image`) and
 * `<name>-green` (`release.image`); the route and the Service `<name>` send everything to the
 * active one, a preview route on `previewHost` to the other.
 */
import type { AppServiceSpec } from "../../config/apps/service";
import type { ReleaseSpec } from "../../config/apps/route";
import { standardLabels } from "../../lib/labels";

export type TrackRole = "main" | "canary" | "blue" | "green";

/** One Deployment of the service, with its own Service, HPA, PDB and ServiceMonitor. */
export interface Track {
  /** Name of the track's Deployment, Service, HPA, PDB and ServiceMonitor. */
  readonly name: string;
  readonly role: TrackRole;
  readonly image: string;
  /** Pod selector of the track alone (`app.kubernetes.io/instance` is the track's name). */
  readonly selector: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
}

/** A weighted `backendRefs[*]` entry of an HTTPRoute rule. */
export interface RouteBackend {
  readonly name: string;
  readonly port: number;
  readonly weight: number;
}

const NAME = "app.kubernetes.io/name";
const INSTANCE = "app.kubernetes.io/instance";
export const TRACK_LABEL = "strata.io/track";

function track(app: string, name: string, role: TrackRole, image: string): Track {
  return {
    name,
    role,
    image,
    selector: { [NAME]: app, [INSTANCE]: name },
    labels: { ...standardLabels({ name: app, instance: name, component: "app" }), ...(role === "main" ? {} : { [TRACK_LABEL]: role }) },
  };
}

/** The service's tracks, the main (or blue) one first. */
export function releaseTracks(name: string, spec: Pick<AppServiceSpec, "image"> & { readonly release?: ReleaseSpec | undefined }): Track[] {
  const release = spec.release;
  if (release === undefined) return [track(name, name, "main", spec.image)];
  if (release.strategy === "canary") return [track(name, name, "main", spec.image), track(name, `${name}-canary`, "canary", release.image)];
  return [track(name, `${name}-blue`, "blue", spec.image), track(name, `${name}-green`, "green", release.image)];
}

/** Selector of every pod of the app, whatever its track (NetworkPolicy). */
export function appSelector(name: string): Record<string, string> {
  return { [NAME]: name };
}

/** Selector of the Service `<name>` that in-cluster callers use: the main track, or the active blue-green track. */
export function serviceSelector(name: string, release: ReleaseSpec | undefined): Record<string, string> {
  if (release?.strategy === "blueGreen") return { [NAME]: name, [INSTANCE]: `${name}-${release.active}` };
  return { [NAME]: name, [INSTANCE]: name };
}

/** The route's backends: the main Service alone; main and canary by weight; the active blue-green track alone. */
export function routeBackends(name: string, port: number, release: ReleaseSpec | undefined): RouteBackend[] {
  if (release === undefined) return [{ name, port, weight: 1 }];
  if (release.strategy === "canary") {
    return [
      { name, port, weight: 100 - release.weightPercent },
      { name: `${name}-canary`, port, weight: release.weightPercent },
    ];
  }
  // Only the active track: with cookie affinity an idle backend in the same rule would keep
  // pinned clients on the old track after a switch.
  return [{ name: `${name}-${release.active}`, port, weight: 1 }];
}

/** The preview route's backend (the idle blue-green track), when the release has a preview host. */
export function previewBackends(name: string, port: number, release: ReleaseSpec | undefined): RouteBackend[] | undefined {
  if (release?.strategy !== "blueGreen" || release.previewHost === undefined) return undefined;
  return [{ name: `${name}-${release.active === "blue" ? "green" : "blue"}`, port, weight: 1 }];
}

/** Every track runs as the app's one ServiceAccount (the Deployment builder names it after the Deployment). */
export function withServiceAccount<T extends { spec: { template: { spec: { serviceAccountName: string } } } }>(deployment: T, serviceAccountName: string): T {
  return { ...deployment, spec: { ...deployment.spec, template: { ...deployment.spec.template, spec: { ...deployment.spec.template.spec, serviceAccountName } } } };
}
