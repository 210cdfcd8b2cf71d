/**
 * `VsphereAccess`: the CSI driver's vCenter roles, machine-controller's (when a pool autoscales)
 * and the cluster VM folder's permissions,
 * declared before any VM exists (the VMs depend on `ready`). Grants on shared inventory (root
 * vCenter, datacenter, hosts, datastores) stay with the vCenter administrators: the provider's
 * `EntityPermissions` takes over every explicit permission of the entity it is declared on and
 * would remove theirs (infra/vsphere/README.md, "vCenter accounts and permissions").
 */
import * as pulumi from "@pulumi/pulumi";
import * as vsphere from "./binding";
import { type FolderAccess, folderPermissions } from "./permissions";
import { CSI_ROLE_PRIVILEGES, type CsiRole, csiRoleName, MACHINE_CONTROLLER_ROLE_PRIVILEGES, type MachineControllerRole } from "./privileges";

export interface VsphereAccessArgs {
  readonly clusterName: string;
  /** Managed object id of the cluster's VM folder (the `Folder` resource's id). */
  readonly folderId: pulumi.Input<string>;
  /** Who gets what on the folder. */
  readonly access: FolderAccess;
  /** Create machine-controller's roles (a pool autoscales). @default false */
  readonly machineControllerRoles?: boolean;
  /** The explicit vSphere provider. */
  readonly provider: pulumi.ProviderResource;
}

export class VsphereAccess extends pulumi.ComponentResource {
  /** The CSI roles by strata's name for them. */
  public readonly roles: Readonly<Record<CsiRole, vsphere.Role>> & Readonly<Partial<Record<MachineControllerRole, vsphere.Role>>>;
  /** What the node VMs wait for: the folder's permissions, when it has any. */
  public readonly ready: readonly pulumi.Resource[];

  constructor(name: string, args: VsphereAccessArgs, opts?: pulumi.ComponentResourceOptions) {
    super("strata:infra:VsphereAccess", name, {}, opts);
    const childOpts = { parent: this, provider: args.provider };
    const roles = Object.fromEntries(
      (Object.keys(CSI_ROLE_PRIVILEGES) as CsiRole[]).map((role) => [
        role,
        new vsphere.Role(`${name}-${role}`, { name: csiRoleName(args.clusterName, role), rolePrivileges: [...CSI_ROLE_PRIVILEGES[role]] }, childOpts),
      ]),
    ) as Record<CsiRole, vsphere.Role>;
    // The vCenter administrators grant these where MACHINE_CONTROLLER_GRANTS says; strata grants the folder's.
    const mcRoles = (args.machineControllerRoles === true ? (Object.keys(MACHINE_CONTROLLER_ROLE_PRIVILEGES) as MachineControllerRole[]) : []).map(
      (role) => [role, new vsphere.Role(`${name}-${role}`, { name: csiRoleName(args.clusterName, role), rolePrivileges: [...MACHINE_CONTROLLER_ROLE_PRIVILEGES[role]] }, childOpts)] as const,
    );
    const machineControllerRoles = Object.fromEntries(mcRoles) as Partial<Record<MachineControllerRole, vsphere.Role>>;
    this.roles = { ...roles, ...machineControllerRoles };
    const permissions = folderPermissions(args.access, roles["cns-vm"].id, machineControllerRoles["mc-vm"]?.id);
    this.ready =
      permissions.length === 0
        ? []
        : [new vsphere.EntityPermissions(`${name}-folder`, { entityId: args.folderId, entityType: "Folder", permissions }, childOpts)];
    this.registerOutputs({ roles: Object.fromEntries(Object.entries(this.roles).map(([k, r]) => [k, r?.name])) });
  }
}
