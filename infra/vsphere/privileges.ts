/**
 * The vCenter privileges of the cloud provider's and the CSI driver's accounts, as VMware
 * documents them. One list per role; `tests/infra/vsphere/privileges.test.ts` holds them against
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

/** Where each grant goes, as the documentation says; strata applies only the VM folder's itself. */
export interface Grant {
  /** Role: one of the CSI roles or the system ReadOnly role. */
  readonly role: CsiRole | "ReadOnly";
  /** The inventory objects it is granted on. */
  readonly on: "root vCenter" | "datacenter" | "compute cluster and hosts" | "datastores" | "cluster VM folder";
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

/** vCenter role name of a CSI role for one cluster (role names are unique per vCenter). */
export function csiRoleName(clusterName: string, role: CsiRole): string {
  return `strata-${clusterName}-${role}`;
}
