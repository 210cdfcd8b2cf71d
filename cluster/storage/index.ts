import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { StoragePurpose } from "../../lib/contracts";
import { standardLabels } from "../../lib/labels";
import type { StorageClassSpec } from "./values";

export interface StorageClassesArgs {
  /** Kubernetes provider of the cluster. */
  readonly provider: k8s.Provider;
  /** Classes to declare, by purpose. */
  readonly classes: Partial<Record<StoragePurpose, StorageClassSpec>>;
  /** Resources the classes wait for (the CSI driver). @default [] */
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/** StorageClasses with WaitForFirstConsumer binding, so volumes follow pod placement. */
export class StorageClasses extends pulumi.ComponentResource {
  /** Class names by purpose. */
  public readonly names: Readonly<Partial<Record<StoragePurpose, string>>>;

  constructor(name: string, args: StorageClassesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("strata:cluster:StorageClasses", name, {}, opts);
    const names: Partial<Record<StoragePurpose, string>> = {};
    for (const [purpose, spec] of Object.entries(args.classes) as [StoragePurpose, StorageClassSpec][]) {
      new k8s.storage.v1.StorageClass(
        `${name}-${purpose}`,
        {
          metadata: {
            name: spec.name,
            labels: standardLabels({ name: spec.name, component: "storage-class" }),
            annotations: { "storageclass.kubernetes.io/is-default-class": String(spec.isDefault) },
          },
          provisioner: spec.provisioner,
          parameters: { ...spec.parameters },
          reclaimPolicy: spec.reclaimPolicy,
          volumeBindingMode: "WaitForFirstConsumer",
          allowVolumeExpansion: spec.allowVolumeExpansion,
        },
        { parent: this, provider: args.provider, dependsOn: args.dependsOn ?? [] },
      );
      names[purpose] = spec.name;
    }
    this.names = names;
    this.registerOutputs({ names });
  }
}
