/**
 * One node VM: cloned from the template, sized from its pool, disks on their tiers' datastores,
 * cloud-init handed over through guestinfo.
 */
import * as pulumi from "@pulumi/pulumi";
import type { VsphereSettings } from "../../config/infra-vsphere";
import { VSPHERE_NODE } from "../../lib/catalog";
import * as vsphere from "./binding";
import { guestinfo } from "./cloud-init";
import type { Inventory } from "./inventory";
import type { NodeSpec } from "./pools";

export interface NodeVmArgs {
  readonly spec: NodeSpec;
  readonly settings: VsphereSettings;
  readonly inventory: Inventory;
  /** VM folder path. */
  readonly folder: pulumi.Input<string>;
  /** The node's user-data and metadata (secret: the user-data carries key material). */
  readonly documents: pulumi.Output<{ userData: string; metadata: string }>;
  /** Protect the VM from deletion (stateful and control-plane pools in production). */
  readonly protect: boolean;
}

/**
 * Properties read from the template: a rebuilt template changes them, which must not show a diff
 * on every VM (they only matter when a VM is cloned).
 */
export const TEMPLATE_PROPERTIES = ["guestId", "firmware", "scsiType", "disks[0].thinProvisioned", "disks[0].eagerlyScrub"] as const;

/** Minutes the provider waits for the clone and for the guest network. */
export const VM_TIMEOUTS = { cloneMinutes: 30, guestNetMinutes: 10 } as const;

export function nodeVirtualMachine(args: NodeVmArgs, opts: pulumi.CustomResourceOptions): vsphere.VirtualMachine {
  const { spec, settings, inventory } = args;
  const datastoreOf = (tier: string) => {
    const id = inventory.datastores[tier];
    if (id === undefined) throw new Error(`node ${spec.name}: datastore tier ${tier} is not configured`);
    return id;
  };
  const networkId = inventory.networks[spec.network];
  if (networkId === undefined) throw new Error(`node ${spec.name}: network ${spec.network} is not configured`);
  const [osDisk, ...dataDisks] = spec.disks;
  if (osDisk === undefined) throw new Error(`node ${spec.name} has no OS disk`);
  // The template must be the Ubuntu image strata's cloud-init targets, and no bigger than the
  // OS disk (a clone can grow a disk, never shrink it). Checked as soon as the lookup answers,
  // so `pulumi preview` already fails with the fix.
  const template = inventory.template.apply((t) => {
    const expected = VSPHERE_NODE.template;
    if (t.guestId !== expected.guestId) {
      throw new Error(`template ${settings.template} has guestId ${t.guestId}; strata needs an Ubuntu ${expected.release} cloud image (guestId ${expected.guestId})`);
    }
    const templateDisk = t.disks[0]?.size ?? 0;
    if (templateDisk > osDisk.sizeGi) {
      throw new Error(`pool ${spec.pool}: osDiskGi ${osDisk.sizeGi} is smaller than the template's ${templateDisk} GB disk; raise strata:infra.vsphere.nodePools.${spec.pool}.osDiskGi`);
    }
    return t;
  });

  return new vsphere.VirtualMachine(
    spec.name,
    {
      name: spec.name,
      resourcePoolId: inventory.resourcePoolId,
      datastoreId: datastoreOf(osDisk.tier),
      folder: args.folder,
      numCpus: spec.cpus,
      memory: spec.memoryGi * 1024,
      guestId: template.guestId,
      firmware: template.firmware.apply((firmware) => (firmware === "efi" ? "efi" : "bios")),
      scsiType: template.scsiType,
      enableDiskUuid: true,
      // vmxnet3 always: the netplan config matches the NIC by that driver.
      networkInterfaces: [{ networkId, adapterType: "vmxnet3" }],
      disks: [
        {
          label: osDisk.label,
          size: osDisk.sizeGi,
          unitNumber: 0,
          thinProvisioned: template.disks.apply((disks) => disks[0]?.thinProvisioned ?? true),
          eagerlyScrub: template.disks.apply((disks) => disks[0]?.eagerlyScrub ?? false),
        },
        ...dataDisks.map((disk, i) => ({
          label: disk.label,
          size: disk.sizeGi,
          unitNumber: i + 1,
          datastoreId: datastoreOf(disk.tier),
          thinProvisioned: settings.datastoreTiers[disk.tier]?.thinProvisioned ?? true,
        })),
      ],
      clone: { templateUuid: template.uuid, timeout: VM_TIMEOUTS.cloneMinutes },
      extraConfig: pulumi.secret(args.documents.apply((docs) => guestinfo(docs.userData, docs.metadata))),
      annotation: `Kubernetes node ${spec.name} (pool ${spec.pool}, role ${spec.role}). Managed by strata with Pulumi; do not edit by hand.`,
      waitForGuestNetTimeout: VM_TIMEOUTS.guestNetMinutes,
    },
    { ...opts, ...nodeVmOptions(args.protect) },
  );
}

/**
 * Lifecycle options of every node VM. Bootstrap data is read once, on first boot: a rotated token
 * or a new template must not update (the vSphere provider would have to reconfigure) or replace
 * running nodes, so `extraConfig`, `clone` and the template's properties reach only VMs created
 * from then on. A replacement deletes the old VM first: the new one takes the same name in the
 * same folder (vCenter refuses a duplicate) and the same static address.
 */
export function nodeVmOptions(protect: boolean): Pick<pulumi.CustomResourceOptions, "protect" | "ignoreChanges" | "deleteBeforeReplace"> {
  return { protect, deleteBeforeReplace: true, ignoreChanges: ["extraConfig", "clone", ...TEMPLATE_PROPERTIES] };
}
