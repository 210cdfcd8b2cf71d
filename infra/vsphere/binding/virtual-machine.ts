/**
 * `vsphere:index/virtualMachine:VirtualMachine`: the subset of the upstream inputs strata sets,
 * named exactly as in the provider schema, plus the computed outputs it reads.
 */
import * as pulumi from "@pulumi/pulumi";
import { PLUGINS } from "../../../lib/catalog";

export const VIRTUAL_MACHINE_TYPE = "vsphere:index/virtualMachine:VirtualMachine";

export interface VirtualMachineDisk {
  /** Unique label, e.g. `disk0`. */
  readonly label: pulumi.Input<string>;
  /** Size in GB. */
  readonly size?: pulumi.Input<number>;
  /** Position on the SCSI bus; 0 is the OS disk. */
  readonly unitNumber?: pulumi.Input<number>;
  readonly datastoreId?: pulumi.Input<string>;
  readonly thinProvisioned?: pulumi.Input<boolean>;
  readonly eagerlyScrub?: pulumi.Input<boolean>;
  /** Keep the VMDK when the disk is removed from the VM. */
  readonly keepOnRemove?: pulumi.Input<boolean>;
  readonly controllerType?: pulumi.Input<"scsi" | "sata" | "nvme" | "ide">;
}

export interface VirtualMachineNetworkInterface {
  readonly networkId: pulumi.Input<string>;
  readonly adapterType?: pulumi.Input<string>;
}

export interface VirtualMachineClone {
  /** UUID of the template VM. */
  readonly templateUuid: pulumi.Input<string>;
  readonly linkedClone?: pulumi.Input<boolean>;
  /** Minutes to wait for the clone. */
  readonly timeout?: pulumi.Input<number>;
}

export interface VirtualMachineArgs {
  readonly name: pulumi.Input<string>;
  readonly resourcePoolId: pulumi.Input<string>;
  readonly datastoreId?: pulumi.Input<string>;
  /** Folder path relative to the datacenter's vm folder. */
  readonly folder?: pulumi.Input<string>;
  readonly numCpus?: pulumi.Input<number>;
  readonly numCoresPerSocket?: pulumi.Input<number>;
  /** Memory in MB. */
  readonly memory?: pulumi.Input<number>;
  readonly guestId?: pulumi.Input<string>;
  readonly firmware?: pulumi.Input<"bios" | "efi">;
  readonly scsiType?: pulumi.Input<string>;
  /** Expose disk UUIDs to the guest; the vSphere CSI driver requires it. */
  readonly enableDiskUuid?: pulumi.Input<boolean>;
  /** Advanced VMX settings; strata passes cloud-init through `guestinfo.*` keys here. */
  readonly extraConfig?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Power-cycle the VM when `extraConfig` changes (the provider's default is true). */
  readonly extraConfigRebootRequired?: pulumi.Input<boolean>;
  readonly disks?: pulumi.Input<pulumi.Input<VirtualMachineDisk>[]>;
  readonly networkInterfaces?: pulumi.Input<pulumi.Input<VirtualMachineNetworkInterface>[]>;
  readonly clone?: pulumi.Input<VirtualMachineClone>;
  readonly annotation?: pulumi.Input<string>;
  readonly cpuHotAddEnabled?: pulumi.Input<boolean>;
  /** Minutes to wait for a guest shutdown when a change needs the VM off (1–10; the provider's default is 3). */
  readonly shutdownWaitTimeout?: pulumi.Input<number>;
  /** Power the VM off when the guest shutdown times out (the provider's default is true). */
  readonly forcePowerOff?: pulumi.Input<boolean>;
  readonly memoryHotAddEnabled?: pulumi.Input<boolean>;
  /** Minutes to wait for a routable guest network; below 1 disables the wait. */
  readonly waitForGuestNetTimeout?: pulumi.Input<number>;
  /** Minutes to wait for a guest IP address; below 1 disables the wait. */
  readonly waitForGuestIpTimeout?: pulumi.Input<number>;
  readonly waitForGuestNetRoutable?: pulumi.Input<boolean>;
}

export class VirtualMachine extends pulumi.CustomResource {
  public declare readonly name: pulumi.Output<string>;
  public declare readonly moid: pulumi.Output<string>;
  public declare readonly uuid: pulumi.Output<string>;
  public declare readonly defaultIpAddress: pulumi.Output<string>;
  public declare readonly guestIpAddresses: pulumi.Output<string[]>;
  public declare readonly powerState: pulumi.Output<string>;
  public declare readonly numCpus: pulumi.Output<number>;
  public declare readonly memory: pulumi.Output<number>;

  constructor(name: string, args: VirtualMachineArgs, opts?: pulumi.CustomResourceOptions) {
    const computed = { moid: undefined, uuid: undefined, defaultIpAddress: undefined, guestIpAddresses: undefined, powerState: undefined };
    super(VIRTUAL_MACHINE_TYPE, name, { ...args, ...computed }, { ...opts, version: PLUGINS.vsphere });
  }
}
