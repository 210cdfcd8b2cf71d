/**
 * Pure: the explicit permissions of the cluster's VM folder. vSphere permissions add up down the
 * inventory and cannot be cut off from above; an explicit permission on the folder replaces, for
 * that one principal, what it inherits. So the folder lists exactly: the CPI account (ReadOnly),
 * the CSI account (its CNS-VM role), machine-controller's account (its VM role, when a pool
 * autoscales), the configured administrators (Admin) and the principals
 * that must lose what they inherit (NoAccess). The provisioning account is never listed: an
 * explicit role there would replace the rights it creates the VMs with.
 */
import type * as pulumi from "@pulumi/pulumi";
import { principalOf } from "../../config/infra/vsphere/accounts";
import type { EntityPermission } from "./binding";
import { SYSTEM_ROLE_IDS } from "./privileges";

/** A vCenter user or group named as vCenter stores principals, `DOMAIN\name`. */
export interface Principal {
  readonly principal: string;
  /** @default true */
  readonly group: boolean;
}

export interface FolderAccess {
  /** CPI login (`user@domain`) when it has its own account. @default - none: it runs on the provisioning account */
  readonly cpiUser?: string;
  /** CSI login when it has its own account. @default - none */
  readonly csiUser?: string;
  /** machine-controller's login when a pool autoscales and it has its own account. @default - none */
  readonly machineControllerUser?: string;
  /** Principals given Admin on the folder and everything in it. @default [] */
  readonly admins: readonly Principal[];
  /** Principals whose inherited access to the folder is replaced by NoAccess. @default [] */
  readonly noAccess: readonly Principal[];
}

/** The folder's permissions, sorted by principal as the provider reads them back (no diff on refresh). */
export function folderPermissions(access: FolderAccess, cnsVmRoleId: pulumi.Input<string>, machineControllerVmRoleId?: pulumi.Input<string>): EntityPermission[] {
  if (access.machineControllerUser !== undefined && machineControllerVmRoleId === undefined) throw new Error("folderPermissions: machine-controller's account needs its VM role's id");
  const entry = (principal: string, isGroup: boolean, roleId: pulumi.Input<string>) => ({ principal, permission: { userOrGroup: principal, isGroup, propagate: true, roleId } });
  const all = [
    ...(access.cpiUser === undefined ? [] : [entry(principalOf(access.cpiUser), false, SYSTEM_ROLE_IDS.readOnly)]),
    ...(access.csiUser === undefined ? [] : [entry(principalOf(access.csiUser), false, cnsVmRoleId)]),
    ...(access.machineControllerUser === undefined || machineControllerVmRoleId === undefined ? [] : [entry(principalOf(access.machineControllerUser), false, machineControllerVmRoleId)]),
    ...access.admins.map((p) => entry(p.principal, p.group, SYSTEM_ROLE_IDS.admin)),
    ...access.noAccess.map((p) => entry(p.principal, p.group, SYSTEM_ROLE_IDS.noAccess)),
  ];
  const key = (e: { principal: string }) => e.principal.toLowerCase();
  return all.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)).map((e) => e.permission);
}
