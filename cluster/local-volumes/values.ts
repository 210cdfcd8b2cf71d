/**
 * Pure: local-path-provisioner values for node-local volumes: `local` on the OS disk of database
 * nodes (and of storage nodes without purposed data disks), and one class per storage-node
 * data-disk purpose on those disks (`object`, `object-fast`). One provisioner serves every class
 * through the chart's `storageClassConfigs`.
 */
import { IMAGES } from "../../lib/catalog";
import type { DataDiskPurpose, Placement } from "../../lib/contracts";

export const LOCAL_STORAGE_CLASS = "local-volumes";
/** Class names of the data-disk purposes. */
export const DATA_DISK_STORAGE_CLASSES: Readonly<Record<DataDiskPurpose, string>> = { object: "local-object", "object-fast": "local-object-fast" };

/** The provisioner's marker for "every node not listed by name". */
const EVERY_NODE = "DEFAULT_PATH_FOR_NON_LISTED_NODES";

/** One local class: the nodes it may bind on and the host directories its volumes go under. */
export interface LocalClass {
  readonly name: string;
  /** Placements of the pools whose nodes hold these volumes (terms are ORed). */
  readonly targets: readonly Placement[];
  /** Host directories on each of those nodes; the provisioner picks one per volume. */
  readonly paths: readonly string[];
}

export interface LocalVolumeOptions {
  /** The `local` class (OS-disk directory on database nodes). */
  readonly local: LocalClass;
  /** Classes on the storage nodes' data disks, by purpose. @default {} */
  readonly dataDisks?: Readonly<Partial<Record<DataDiskPurpose, LocalClass>>>;
}

const topologyTerms = (targets: readonly Placement[]) =>
  targets
    .filter((target) => Object.keys(target.nodeSelector).length > 0)
    .map((target) => ({ matchLabelExpressions: Object.entries(target.nodeSelector).map(([key, value]) => ({ key, values: [value] })) }));

/** `storageClassConfigs` entry: a Retain class that binds where the pod lands, on the listed pools only. */
function classConfig(local: LocalClass) {
  return {
    storageClass: {
      create: true,
      defaultClass: false,
      defaultVolumeType: "hostPath",
      reclaimPolicy: "Retain",
      volumeBindingMode: "WaitForFirstConsumer",
      allowedTopologies: topologyTerms(local.targets),
    },
    nodePathMap: [{ node: EVERY_NODE, paths: [...local.paths] }],
  };
}

export function localPathValues(options: LocalVolumeOptions) {
  const classes = [options.local, ...Object.values(options.dataDisks ?? {})];
  const seen = new Set<string>();
  const tolerations = classes
    .flatMap((c) => c.targets.flatMap((target) => target.tolerations))
    .filter((t) => {
      const id = `${t.key}=${t.value ?? ""}:${t.effect}`;
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    })
    .map((t) => ({ ...t }));
  return {
    // Every class comes from storageClassConfigs; the chart's single-class mode stays off.
    storageClass: { create: false },
    nodePathMap: [{ node: EVERY_NODE, paths: [...options.local.paths] }],
    storageClassConfigs: Object.fromEntries(classes.map((c) => [c.name, classConfig(c)])),
    helperImage: { repository: IMAGES.busybox.repository, tag: IMAGES.busybox.tag },
    priorityClassName: "platform-critical",
    configmap: { helperPod: { tolerations } },
  };
}
