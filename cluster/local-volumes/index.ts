import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Placement } from "../../lib/contracts";
import { helmRelease } from "../../lib/helm";
import { LOCAL_STORAGE_CLASS, localPathValues } from "./values";

export interface LocalVolumesArgs {
  /** Kubernetes provider of the cluster. */
  readonly provider: k8s.Provider;
  /** Namespace the provisioner runs in (privileged: helper pods mount host paths). */
  readonly namespace: string;
  /** Host directory volumes are created under. @default "/var/lib/strata/local-volumes" */
  readonly path?: string;
  /** Placements of the pools that hold local volumes. */
  readonly targets: readonly Placement[];
  /** Resources the release waits for. @default [] */
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

const DEFAULTS = { path: "/var/lib/strata/local-volumes" } as const;

/** Node-local persistent volumes (local-path-provisioner), `Retain`ed, bound where the pod lands. */
export class LocalVolumes extends pulumi.ComponentResource {
  /** The StorageClass the chart creates. */
  public readonly storageClassName: string;

  constructor(name: string, args: LocalVolumesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("strata:cluster:LocalVolumes", name, {}, opts);
    helmRelease(
      `${name}-release`,
      { chart: "local-path-provisioner", namespace: args.namespace, values: localPathValues({ path: args.path ?? DEFAULTS.path, targets: args.targets }) },
      { parent: this, provider: args.provider, dependsOn: args.dependsOn ?? [] },
    );
    this.storageClassName = LOCAL_STORAGE_CLASS;
    this.registerOutputs({ storageClassName: this.storageClassName });
  }
}
