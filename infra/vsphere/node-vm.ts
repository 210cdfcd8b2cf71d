/**
 * One node VM: cloned from the template, sized from its pool, disks on their tiers' datastores,
 * cloud-init handed over through guestinfo.
 */
import * as pulumi from "@pulumi/pulumi";
import type { VsphereSettings } from "../../config/infra/vsphere";
import { VSPHERE_NODE } from "../../lib/catalog";
import * as vsphere from "./binding";
import type { NodeDocuments } from "./bootstrap";
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
  readonly documents: pulumi.Output<NodeDocuments>;
  /** Protect the VM from deletion (stateful and control-plane pools in production). */
  readonly protect: boolean;
}

/**
 * Properties read from the template: a rebuilt template changes them, which must not show a diff
 * on every VM (they only matter when a VM is cloned).
 */
export const TEMPLATE_PROPERTIES = ["guestId", "firmware", "scsiType", "disks[0].thinProvisioned", "disks[0].eagerlyScrub"] as const;

/**
 * Minutes the provider waits for the clone, for the guest network, and for a guest shutdown before
 * a CPU or memory change (10 is the provider's maximum, `shutdown_wait_timeout`).
 */
export const VM_TIMEOUTS = { cloneMinutes: 30, guestNetMinutes: 10, shutdownMinutes: 10 } as const;

/** Lowest virtual hardware version the vSphere CSI driver supports. */
export const MIN_HARDWARE_VERSION = 15;

/**
 * Why a template cannot boot strata's nodes, or undefined: the wrong guest OS, a disk bigger than
 * the pool's OS disk, vApp properties (cloud-init's OVF datasource would then win over guestinfo
 * and the node would boot without its documents), or hardware too old for the CSI driver.
 */
export function templateProblem(t: vsphere.GetVirtualMachineResult, templateName: string, spec: Pick<NodeSpec, "pool">, osDiskGi: number): string | undefined {
  const expected = VSPHERE_NODE.template;
  if (t.guestId !== expected.guestId) {
    return `template ${templateName} has guestId ${t.guestId}; strata needs an Ubuntu ${expected.release} cloud image (guestId ${expected.guestId})`;
  }
  const vappProperties = Object.keys(t.vapp?.properties ?? {});
  if (vappProperties.length > 0) {
    return `template ${templateName} has vApp properties (${vappProperties.sort().join(", ")}); cloud-init's OVF datasource would read them instead of strata's guestinfo documents: disable vApp options on the template (Edit Settings > vApp Options) and convert it again`;
  }
  if (t.hardwareVersion !== undefined && t.hardwareVersion < MIN_HARDWARE_VERSION) {
    return `template ${templateName} has virtual hardware version ${t.hardwareVersion}; the vSphere CSI driver needs ${MIN_HARDWARE_VERSION} or later: upgrade the template's compatibility (Actions > Compatibility > Upgrade VM Compatibility)`;
  }
  const templateDisk = t.disks[0]?.size ?? 0;
  if (templateDisk > osDiskGi) {
    return `pool ${spec.pool}: osDiskGi ${osDiskGi} is smaller than the template's ${templateDisk} GB disk; raise strata:infra.vsphere.nodePools.${spec.pool}.osDiskGi`;
  }
  return undefined;
}

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
  // Checked as soon as the lookup answers, so `pulumi preview` already fails with the fix.
  const template = inventory.template.apply((t) => {
    const problem = templateProblem(t, settings.template, spec, osDisk.sizeGi);
    if (problem !== undefined) throw new Error(problem);
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
      extraConfig: pulumi.secret(args.documents.apply((docs) => ({ ...guestinfo(docs.userData, docs.metadata), ...docs.guestinfo }))),
      // guestinfo is read at first boot only: rewriting it (new token, key material removed) must
      // not power-cycle a running node. terraform-provider-vsphere 2.3.0 (#1603) added the switch;
      // it is in the pulumi-vsphere 4.17 schema as extraConfigRebootRequired.
      extraConfigRebootRequired: false,
      // A CPU or memory change shuts the guest down (no hot-add: enabling it needs a power cycle
      // itself, and CPU hot-add turns vNUMA off: vSphere Resource Management, "Virtual NUMA", KB 2040375). A guest that does not stop within the timeout
      // fails the update instead of being powered off under etcd or a database
      // (terraform-provider-vsphere `GracefulPowerOff`: with force false a shutdown timeout is returned as the error).
      shutdownWaitTimeout: VM_TIMEOUTS.shutdownMinutes,
      forcePowerOff: false,
      annotation: `Kubernetes node ${spec.name} (pool ${spec.pool}, role ${spec.role}). Managed by strata with Pulumi; do not edit by hand.`,
      waitForGuestNetTimeout: VM_TIMEOUTS.guestNetMinutes,
    },
    { ...opts, ...nodeVmOptions(args.protect) },
  );
}

/**
 * Lifecycle options of every node VM. A new template must not replace running nodes, so `clone`
 * and the template's properties reach only VMs created from then on. `extraConfig` is managed:
 * what vCenter keeps is what strata renders now (a fresh token for a replacement, no key material
 * once the cluster runs). Changing it rewrites guestinfo in place without a reboot
 * (`extraConfigRebootRequired: false`); cloud-init does not run again because the instance-id in
 * the metadata stays the VM's name. A replacement deletes the old VM first: the new one takes the
 * same name in the same folder (vCenter refuses a duplicate) and the same static address.
 */
export function nodeVmOptions(protect: boolean): Pick<pulumi.CustomResourceOptions, "protect" | "ignoreChanges" | "deleteBeforeReplace"> {
  return { protect, deleteBeforeReplace: true, ignoreChanges: ["clone", ...TEMPLATE_PROPERTIES] };
}
