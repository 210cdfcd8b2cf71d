/**
 * Pure: the migration init container. It runs the spec's `migration` command before the app
 * starts, from the app's image unless another is named, with the app's environment (plain,
 * connection and generated variables), security context and resources, and its own writable
 * `/tmp` (an emptyDir not shared with the app).
 */
import type { AppServiceSpec } from "../../config/apps/service";

/** emptyDir volume mounted at `/tmp` in the migration container only. */
export const MIGRATION_TMP_VOLUME = "migration-tmp";

/** The parts of the app container the migration shares. */
export interface AppContainerParts<E, R, S> {
  readonly image: string;
  readonly env: readonly E[];
  readonly resources: R;
  readonly securityContext: S;
  /** Read-only mounts the migration needs as much as the app (Kafka's CA, which `caFile` points at). @default [] */
  readonly sharedMounts?: readonly { readonly name: string; readonly mountPath: string; readonly readOnly: boolean }[];
}

/** The init container and its volume; both empty without `migration`. */
export function migrationParts<E, R, S>(spec: AppServiceSpec, app: AppContainerParts<E, R, S>) {
  const migration = spec.migration;
  if (migration === undefined) return { initContainers: [], volumes: [] };
  return {
    initContainers: [
      {
        name: "migrate",
        image: migration.image ?? app.image,
        imagePullPolicy: "IfNotPresent",
        command: [...migration.command],
        ...(migration.args === undefined ? {} : { args: [...migration.args] }),
        env: [...app.env],
        resources: app.resources,
        securityContext: app.securityContext,
        volumeMounts: [{ name: MIGRATION_TMP_VOLUME, mountPath: "/tmp" }, ...(app.sharedMounts ?? [])],
      },
    ],
    volumes: [{ name: MIGRATION_TMP_VOLUME, emptyDir: {} }],
  };
}
