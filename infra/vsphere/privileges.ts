/**
 * The vCenter privileges of the cloud provider's, the CSI driver's and machine-controller's
 * accounts, as upstream documents them. One list per role; `tests/infra/vsphere/privileges.test.ts` holds them against
 * the upstream sources named here.
 *
 * - Cloud provider (CPI): kubernetes/cloud-provider-vsphere `docs/book/vcp_roles.md` (tag
 *   v1.35.1): the system role "ReadOnly" on the parents of the node VMs (folder, hosts,
 *   datacenter, datastores), nothing else.
 * - CSI driver: the roles of "vSphere Roles and Privileges" in VMware's Cloud Native Storage
 *   documentation, as kubernetes-sigs/vsphere-csi-driver's own end-to-end tests create them
 *   (`tests/e2e/config_secret_utils.go`, `userRoleMap`, tag v3.7.3, the driver strata pins):
 *   CNS-DATASTORE, CNS-HOST-CONFIG-STORAGE, CNS-VM, CNS-SEARCH-AND-SPBM and ReadOnly.
 *   CNS-HOST-CONFIG-STORAGE (`Host.Config.Storage`) serves file volumes on vSAN file services
 *   only; strata's storage classes provision block volumes, so it is left out.
 */

/**
 * - machine-controller (v1.66.2, autoscaled pools only): KubeOne's "machine-controller vSphere
 *   requirements" (kubermatic/docs `content/kubeone/main/architecture/requirements/machine-controller/vsphere`,
 *   roles `k8c-user-*`; privilege ids as kubermatic-labs/kubermatic-vsphere-permissions-terraform
 *   `roles.tf` spells them), cut to what the provider calls
 *   (`pkg/cloudprovider/provider/vsphere/`): `tpl.Clone` of the template VM into the folder with a
 *   datastore and resource pool (helper.go `createClonedVM`), `Reconfigure` for CPUs, memory,
 *   disk size, `DiskUuidEnabled` and NICs, floppy removal, the cloud-init ISO uploaded to the VM's
 *   datastore and inserted in its CD-ROM (`uploadAndAttachISO`), power on/off, the DRS
 *   anti-affinity rule (rule.go, `cluster.Reconfigure`), and on delete: PV disks detached,
 *   `Destroy`, the VM's datastore directory deleted (provider.go `Cleanup`). Left out: tags,
 *   snapshots, guest operations and customization specs, which strata's MachineDeployments never use.
 */

/** System roles every vCenter has, by their fixed ids (govmomi `simulator/esx/authorization_manager.go`). */
export const SYSTEM_ROLE_IDS = { admin: "-1", readOnly: "-2", noAccess: "-5" } as const;

/** The CSI driver's custom roles. vCenter adds System.Anonymous/Read/View to each by itself. */
export const CSI_ROLE_PRIVILEGES = {
  /** On the datastores that hold persistent volumes (no propagation). */
  "cns-datastore": ["Datastore.FileManagement"],
  /** On every node VM: here the cluster's VM folder, propagated to its VMs. */
  "cns-vm": ["VirtualMachine.Config.AddExistingDisk", "VirtualMachine.Config.AddRemoveDevice"],
  /** On the root vCenter (no propagation). */
  "cns-search-and-spbm": ["Cns.Searchable", "StorageProfile.View"],
} as const satisfies Record<string, readonly string[]>;

export type CsiRole = keyof typeof CSI_ROLE_PRIVILEGES;

/** machine-controller's custom roles, by where they are granted. */
export const MACHINE_CONTROLLER_ROLE_PRIVILEGES = {
  /** On the template VM (no propagation): the clone's source. */
  "mc-template": ["VirtualMachine.Provisioning.Clone"],
  /** On the cluster's VM folder, propagated: create the clone there, configure, power and delete it. */
  "mc-vm": [
    "VirtualMachine.Inventory.CreateFromExisting",
    "VirtualMachine.Inventory.Delete",
    "VirtualMachine.Config.AddRemoveDevice",
    "VirtualMachine.Config.CPUCount",
    "VirtualMachine.Config.DiskExtend",
    "VirtualMachine.Config.EditDevice",
    "VirtualMachine.Config.Memory",
    "VirtualMachine.Config.RemoveDisk",
    "VirtualMachine.Config.Settings",
    "VirtualMachine.Interact.DeviceConnection",
    "VirtualMachine.Interact.PowerOff",
    "VirtualMachine.Interact.PowerOn",
    "VirtualMachine.Interact.SetCDMedia",
  ],
  /** On the OS-disk datastores of the autoscaled pools (no propagation): the clone's disks and the cloud-init ISO. */
  "mc-datastore": ["Datastore.AllocateSpace", "Datastore.Browse", "Datastore.DeleteFile", "Datastore.FileManagement"],
  /** On the compute cluster, propagated to its resource pools: place the clone, keep its DRS anti-affinity rule. */
  "mc-cluster": ["Host.Inventory.EditCluster", "Resource.AssignVMToPool"],
  /** On the autoscaled pools' port groups (no propagation). */
  "mc-network": ["Network.Assign"],
} as const satisfies Record<string, readonly string[]>;

export type MachineControllerRole = keyof typeof MACHINE_CONTROLLER_ROLE_PRIVILEGES;

/** What cloning a machine from the template takes, wherever each privilege is granted (the checks of `Clone`). */
export const CLONING_PRIVILEGES = [
  "VirtualMachine.Provisioning.Clone",
  "VirtualMachine.Inventory.CreateFromExisting",
  "Datastore.AllocateSpace",
  "Resource.AssignVMToPool",
  "Network.Assign",
] as const;

/** Where each grant goes, as the documentation says; strata applies only the VM folder's itself. */
export interface Grant {
  /** Role: one of the CSI or machine-controller roles, or the system ReadOnly role. */
  readonly role: CsiRole | MachineControllerRole | "ReadOnly";
  /** The inventory objects it is granted on. */
  readonly on: "root vCenter" | "datacenter" | "compute cluster and hosts" | "datastores" | "cluster VM folder" | "template VM" | "port groups";
  readonly propagate: boolean;
}

/** Every permission the CPI account needs. */
export const CPI_GRANTS: readonly Grant[] = [
  { role: "ReadOnly", on: "datacenter", propagate: false },
  { role: "ReadOnly", on: "compute cluster and hosts", propagate: true },
  { role: "ReadOnly", on: "datastores", propagate: false },
  { role: "ReadOnly", on: "cluster VM folder", propagate: true },
];

/** Every permission the CSI account needs. */
export const CSI_GRANTS: readonly Grant[] = [
  { role: "cns-search-and-spbm", on: "root vCenter", propagate: false },
  { role: "ReadOnly", on: "datacenter", propagate: false },
  { role: "ReadOnly", on: "compute cluster and hosts", propagate: true },
  { role: "cns-datastore", on: "datastores", propagate: false },
  // CNS-VM includes the read-only system privileges, so one permission serves both on the VMs.
  { role: "cns-vm", on: "cluster VM folder", propagate: true },
];

/** Every permission machine-controller's account needs (only when a pool autoscales). */
export const MACHINE_CONTROLLER_GRANTS: readonly Grant[] = [
  // The finder resolves the datacenter, compute cluster, datastore and networks by path.
  { role: "ReadOnly", on: "datacenter", propagate: false },
  { role: "mc-cluster", on: "compute cluster and hosts", propagate: true },
  { role: "mc-datastore", on: "datastores", propagate: false },
  { role: "mc-network", on: "port groups", propagate: false },
  { role: "mc-template", on: "template VM", propagate: false },
  { role: "mc-vm", on: "cluster VM folder", propagate: true },
];

/** vCenter role name of a CSI or machine-controller role for one cluster (role names are unique per vCenter). */
export function csiRoleName(clusterName: string, role: CsiRole | MachineControllerRole): string {
  return `strata-${clusterName}-${role}`;
}
