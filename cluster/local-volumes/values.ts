/** Pure: local-path-provisioner values for node-local volumes on storage and database nodes. */
import { IMAGES } from "../../lib/catalog";
import type { Placement } from "../../lib/contracts";

export const LOCAL_STORAGE_CLASS = "local-volumes";

export interface LocalVolumeOptions {
  /** Host directory volumes are created under. */
  readonly path: string;
  /** Placements of the pools that may hold local volumes (storage, database). */
  readonly targets: readonly Placement[];
}

/**
 * One allowed-topology term per target pool (terms are ORed), so a claim only binds on a node
 * of those pools; helper pods tolerate the pools' taints.
 */
export function localPathValues(options: LocalVolumeOptions) {
  const terms = options.targets
    .filter((target) => Object.keys(target.nodeSelector).length > 0)
    .map((target) => ({ matchLabelExpressions: Object.entries(target.nodeSelector).map(([key, value]) => ({ key, values: [value] })) }));
  const tolerations = options.targets.flatMap((target) => target.tolerations.map((t) => ({ ...t })));
  return {
    storageClass: {
      create: true,
      name: LOCAL_STORAGE_CLASS,
      defaultClass: false,
      reclaimPolicy: "Retain",
      volumeBindingMode: "WaitForFirstConsumer",
      allowedTopologies: terms,
    },
    nodePathMap: [{ node: "DEFAULT_PATH_FOR_NON_LISTED_NODES", paths: [options.path] }],
    helperImage: { repository: IMAGES.busybox.repository, tag: IMAGES.busybox.tag },
    priorityClassName: "platform-critical",
    configmap: { helperPod: { tolerations } },
  };
}
