import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { DataDiskPurpose, Placement } from "../../lib/contracts";
import { helmRelease } from "../../lib/helm";
import { DATA_DISK_STORAGE_CLASSES, LOCAL_STORAGE_CLASS, type LocalClass, localPathValues } from "./values";

export interface LocalVolumesArgs {
  /** Kubernetes provider of the cluster. */
  readonly provider: k8s.Provider;
  /** Namespace the provisioner runs in (privileged: helper pods mount host paths). */
  readonly namespace: string;
  /** Host directory `local` volumes are created under. @default "/var/lib/strata/local-volumes" */
  readonly path?: string;
  /** Placements of the pools that hold `local` volumes. */
  readonly targets: readonly Placement[];
  /** Storage-node data disks by purpose: the pools (as placements) and the mount paths. @default {} */
  readonly dataDisks?: Readonly<Partial<Record<DataDiskPurpose, { readonly targets: readonly Placement[]; readonly paths: readonly string[] }>>>;
  /** Resources the release waits for. @default [] */
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

const DEFAULTS = { path: "/var/lib/strata/local-volumes" } as const;

/** Node-local persistent volumes (local-path-provisioner), `Retain`ed, bound where the pod lands. */
export class LocalVolumes extends pulumi.ComponentResource {
  /** Class names by purpose: `local`, and `object`/`object-fast` where storage nodes have such disks. */
  public readonly storageClassNames: Readonly<Partial<Record<"local" | DataDiskPurpose, string>>>;

  constructor(name: string, args: LocalVolumesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("strata:cluster:LocalVolumes", name, {}, opts);
    const dataDisks: Partial<Record<DataDiskPurpose, LocalClass>> = {};
    for (const [purpose, set] of Object.entries(args.dataDisks ?? {}) as [DataDiskPurpose, { targets: readonly Placement[]; paths: readonly string[] }][]) {
      if (set.paths.length > 0) dataDisks[purpose] = { name: DATA_DISK_STORAGE_CLASSES[purpose], targets: set.targets, paths: set.paths };
    }
    const local: LocalClass = { name: LOCAL_STORAGE_CLASS, targets: args.targets, paths: [args.path ?? DEFAULTS.path] };
    helmRelease(
      `${name}-release`,
      { chart: "local-path-provisioner", namespace: args.namespace, values: localPathValues({ local, dataDisks }) },
      { parent: this, provider: args.provider, dependsOn: args.dependsOn ?? [] },
    );
    this.storageClassNames = { local: LOCAL_STORAGE_CLASS, ...Object.fromEntries(Object.entries(dataDisks).map(([purpose, c]) => [purpose, c.name])) };
    this.registerOutputs({ storageClassNames: this.storageClassNames });
  }
}
